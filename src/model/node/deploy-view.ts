import { parse as parseToml } from 'smol-toml';
import { composeFiles, type ComposeService } from '../deploy/compose.js';
import { stageChain } from '../deploy/container-paths.js';
import { dockerfiles, type Dockerfile, type DockerStage } from '../deploy/dockerfile.js';
import { envFiles } from '../deploy/dotenv.js';
import { isDevOnlyPath, DOCKERFILE_GLOBS, COMPOSE_GLOBS, ENV_FILE_GLOBS, PROCFILE_GLOBS } from '../deploy/files.js';
import { procfiles } from '../deploy/procfile.js';
import type { ProjectModel } from '../project.js';
import { joinPath, type SimpleCommand } from '../shell.js';
import { parseYaml } from '../yaml.js';
import { asObject, parseJson } from './json.js';
import type { NodePackage } from './packages.js';
import { programArgv, scriptCalled } from './scripts.js';
import { deployServices } from '../deploy/services.js';
import { platformConfigs, platformFacts } from '../platform/configs.js';
import { PLATFORM_FILES as PLATFORM_MODEL_FILES } from '../platform/files.js';

/**
 * How the Node rules see the deploy: which Dockerfiles and compose services build a package,
 * whether its image installs production dependencies only, which platform runs it, and which
 * variables the deploy hands it. Built on the deploy model (src/model/deploy); the platform files
 * it does not model yet (fly.toml, render.yaml, app.json, railway) are read here, minimally.
 */

/** Every deploy file the Node rules may consult. */
export const NODE_DEPLOY_FILES: readonly string[] = [...DOCKERFILE_GLOBS, ...COMPOSE_GLOBS, ...ENV_FILE_GLOBS, ...PROCFILE_GLOBS, ...PLATFORM_MODEL_FILES];

/** True when `dir` is the package directory or one of its ancestors (a root deploy file covers it). */
function covers(dir: string, pkg: NodePackage): boolean {
  return dir === pkg.dir || dir === '' || pkg.dir.startsWith(dir + '/');
}

/** Production Dockerfiles that build this package (in its directory, or a compose build of it). */
export function dockerfilesFor(model: ProjectModel, pkg: NodePackage): Dockerfile[] {
  const out = new Set<Dockerfile>();
  const byFile = new Map(model.get(dockerfiles).map((d) => [d.file, d]));
  for (const df of byFile.values()) {
    if (isDevOnlyPath(df.file)) continue;
    if (df.dir === pkg.dir) out.add(df);
    // A root Dockerfile of a monorepo that copies this package in.
    else if (covers(df.dir, pkg) && pkg.dir !== '' && df.stages.some((s) => s.copies.some((c) => !c.from && c.sources.some((src) => joinPath(df.dir, src).startsWith(pkg.dir))))) out.add(df);
  }
  for (const s of composeServicesFor(model, pkg)) {
    const df = s.build ? byFile.get(s.build.dockerfile) : undefined;
    if (df) out.add(df);
  }
  return [...out];
}

/** Compose services (not dev-only files) whose build context is this package. */
export function composeServicesFor(model: ProjectModel, pkg: NodePackage): ComposeService[] {
  return model
    .get(composeFiles)
    .filter((cf) => !isDevOnlyPath(cf.file))
    .flatMap((cf) => cf.services.filter((s) => s.build && !s.build.remote && s.build.context === pkg.dir));
}

export interface InstallMode {
  prodOnly: boolean;
  file: string;
  line: number;
  /** The command or platform behaviour, for messages: `npm ci --omit=dev`. */
  how: string;
}

/**
 * Whether the deployed image or platform installs production dependencies only: a final stage
 * that runs `npm ci --omit=dev` (or installs with NODE_ENV=production, or prunes), or copies
 * node_modules from a stage that did; or Heroku's Node buildpack, which prunes devDependencies
 * after the build. Undefined when nothing says.
 */
export function installModeFor(model: ProjectModel, pkg: NodePackage): InstallMode | undefined {
  const dfs = dockerfilesFor(model, pkg);
  for (const df of dfs) {
    if (!df.final) continue;
    const m = stageInstall(df, df.final, 0);
    if (m?.prodOnly) return m;
  }
  if (dfs.length === 0) {
    // A platform build without a Dockerfile: nixpacks `[phases.install] cmds`, render buildCommand.
    for (const c of model.get(platformFacts).commands) {
      if (c.role !== 'build' || c.dockerfile || !covers(c.dir, pkg)) continue;
      let mode: InstallMode | undefined;
      for (const cmd of c.commands) {
        const k = installKind(cmd, false);
        if (k !== undefined) mode = { prodOnly: k, file: c.file, line: c.line, how: cmd.argv.join(' ') };
      }
      if (mode?.prodOnly) return mode;
    }
  }
  if (dfs.length === 0 && herokuBuildpack(model, pkg)) {
    const file = ['app.json', joinPath(pkg.dir, 'app.json')].find((f) => model.exists(f)) ?? 'app.json';
    return { prodOnly: true, file, line: 1, how: "Heroku's Node.js buildpack pruning devDependencies after the build" };
  }
  return undefined;
}

function stageInstall(df: Dockerfile, stage: DockerStage, depth: number): InstallMode | undefined {
  if (depth > 6) return undefined;
  let result: InstallMode | undefined;
  let nodeEnvProd = false;
  for (const s of stageChain(df, stage)) {
    type Ev = { line: number; run: () => void };
    const events: Ev[] = [];
    for (const e of s.env) {
      if (e.name === 'NODE_ENV' || e.name === 'NPM_CONFIG_PRODUCTION') events.push({ line: e.line, run: () => (nodeEnvProd = /^(production|true)$/.test(e.value ?? '')) });
    }
    for (const c of s.copies) {
      if (!c.from) continue;
      const from = df.stages.find((x) => x.name === c.from!.toLowerCase() || String(x.index) === c.from);
      // node_modules, or the whole app directory, copied from a stage that installed it.
      if (from && from !== stage && c.sources.some((src) => /node_modules/.test(src) || src === '.' || src === from.workdir || src === `${from.workdir}/`)) {
        events.push({ line: c.line, run: () => (result = stageInstall(df, from, depth + 1) ?? result) });
      }
    }
    for (const r of s.runs) {
      events.push({
        line: r.line,
        run: () => {
          for (const c of r.commands) {
            const m = installKind(c, nodeEnvProd);
            if (m !== undefined) result = { prodOnly: m, file: df.file, line: r.line, how: c.argv.join(' ') };
          }
        },
      });
    }
    for (const e of events.sort((a, b) => a.line - b.line)) e.run();
  }
  return result;
}

/** true = installs production deps only; false = installs everything; undefined = not an install. */
export function installKind(c: SimpleCommand, nodeEnvProd: boolean): boolean | undefined {
  // `npm --prefix api --omit=dev install`: flags may come before the subcommand.
  const argv: string[] = [];
  for (let i = 0; i < c.argv.length; i++) {
    const a = c.argv[i]!;
    if (i > 0 && ['--prefix', '-C', '--cwd', '--dir', '-w', '--workspace', '--filter'].includes(a)) {
      i++;
      continue;
    }
    if ((a === '--omit' || a === '--only') && c.argv[i + 1]) {
      argv.push(`${a}=${c.argv[++i]}`);
      continue;
    }
    argv.push(a);
  }
  const pm = argv[0];
  const sub = argv.slice(1).find((a) => !a.startsWith('-'));
  const envProd = nodeEnvProd || c.env.NODE_ENV === 'production' || c.env.NPM_CONFIG_PRODUCTION === 'true';
  const prodFlag = argv.some((a) => ['--omit=dev', '--production', '--prod', '--only=prod', '--only=production', '-P', '--production=true'].includes(a));
  if (pm === 'npm' && (sub === 'prune')) return prodFlag ? true : undefined;
  if (pm === 'yarn' && sub === 'workspaces' && argv.slice(1).filter((a) => !a.startsWith('-'))[1] === 'focus') return prodFlag;
  const isInstall =
    (pm === 'npm' && ['ci', 'install', 'i'].includes(sub ?? '')) ||
    (pm === 'yarn' && (sub === undefined || sub === 'install')) ||
    (pm === 'pnpm' && ['install', 'i'].includes(sub ?? '')) ||
    (pm === 'bun' && ['install', 'i'].includes(sub ?? ''));
  if (!isInstall) return undefined;
  // `npm install -g pm2` or `npm install express` installs a tool or one package, not the project.
  const extra = argv.slice(1).filter((a) => !a.startsWith('-')).slice(1);
  if (argv.includes('-g') || argv.includes('--global') || extra.length > 0) return undefined;
  return prodFlag || envProd;
}

/** An app.json for Heroku (not an Expo app.json) with no Dockerfile: the Node buildpack builds it. */
function herokuBuildpack(model: ProjectModel, pkg: NodePackage): boolean {
  if (model.exists('heroku.yml') || model.exists(joinPath(pkg.dir, 'heroku.yml'))) return false;
  for (const f of ['app.json', joinPath(pkg.dir, 'app.json')]) {
    const o = asObject(parseJson(model.text(f) ?? '').value);
    if (!o || 'expo' in o) continue;
    if (['buildpacks', 'formation', 'addons', 'scripts', 'stack', 'env'].some((k) => k in o)) {
      const env = asObject(o.env);
      const keep = env && ['NPM_CONFIG_PRODUCTION', 'YARN_PRODUCTION'].some((k) => {
        const v = env[k];
        const value = typeof v === 'string' ? v : asObject(v)?.value;
        return value === 'false';
      });
      return !keep;
    }
  }
  return false;
}

export type Platform = 'heroku' | 'railway' | 'nixpacks' | 'render' | 'fly';

export interface PlatformInfo {
  platform: Platform;
  file: string;
  /** fly.toml `internal_port`, the port Fly routes to. */
  internalPort?: string;
}

/** Platform files that cover this package (in its directory or above it), from the platform model. */
export function platformsFor(model: ProjectModel, pkg: NodePackage): PlatformInfo[] {
  const out: PlatformInfo[] = [];
  const facts = model.get(platformFacts);
  for (const c of model.get(platformConfigs)) {
    if (c.doc.error || !covers(c.dir, pkg)) continue;
    const info: PlatformInfo = { platform: c.platform, file: c.file };
    const port = facts.commands.find((x) => x.file === c.file && x.internalPort)?.internalPort;
    // fly.toml without a process command still routes to its internal_port.
    const internal = port ? String(port.value) : c.platform === 'fly' ? flyInternalPort(model.text(c.file) ?? '') : undefined;
    if (internal !== undefined) info.internalPort = internal;
    out.push(info);
  }
  for (const p of model.get(procfiles)) {
    const dir = p.file.includes('/') ? p.file.slice(0, p.file.lastIndexOf('/')) : '';
    if (p.type === 'web' && covers(dir, pkg) && !out.some((o) => o.file === p.file)) out.push({ platform: 'heroku', file: p.file });
  }
  return out;
}

function flyInternalPort(text: string): string | undefined {
  try {
    const t = parseToml(text) as Record<string, unknown>;
    const hs = t.http_service as Record<string, unknown> | undefined;
    if (hs?.internal_port !== undefined) return String(hs.internal_port);
    const services = Array.isArray(t.services) ? (t.services as Record<string, unknown>[]) : [];
    const p = services[0]?.internal_port;
    return p !== undefined ? String(p) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the package runs in a container (a production Dockerfile or compose service builds it). */
export function isContainerised(model: ProjectModel, pkg: NodePackage): boolean {
  return dockerfilesFor(model, pkg).length > 0 || composeServicesFor(model, pkg).length > 0;
}

/** Where a variable is given to the package by the deploy: a file and line to name. */
export interface ProvidedVar {
  file: string;
  line: number;
  /** From an env template (`.env.example`), not a live env file. */
  template?: boolean;
}

/**
 * Variables the deploy hands the package: Dockerfile ENV/ARG, compose `environment` and
 * `env_file`, Procfile assignments, render.yaml envVars, app.json env, fly.toml [env].
 */
export function deployEnvFor(model: ProjectModel, pkg: NodePackage): Map<string, ProvidedVar> {
  const out = new Map<string, ProvidedVar>();
  const add = (name: string, file: string, line: number): void => {
    if (!out.has(name)) out.set(name, { file, line });
  };
  for (const df of dockerfilesFor(model, pkg)) {
    for (const s of stageChain(df)) for (const v of [...s.env, ...s.args]) add(v.name, df.file, v.line);
  }
  const envs = new Map(model.get(envFiles).map((e) => [e.file, e]));
  for (const s of composeServicesFor(model, pkg)) {
    for (const e of s.environment) add(e.name, s.file, e.line);
    for (const f of s.envFiles) for (const e of envs.get(f.path)?.entries ?? []) add(e.name, f.path, e.line);
  }
  for (const p of model.get(procfiles)) {
    if (!covers(p.file.includes('/') ? p.file.slice(0, p.file.lastIndexOf('/')) : '', pkg)) continue;
    for (const c of p.commands) for (const name of Object.keys(c.env)) add(name, p.file, p.line);
  }
  for (const d of [...new Set([pkg.dir, ''])]) {
    const render = model.text(joinPath(d, 'render.yaml'));
    if (render !== undefined) {
      const parsed = parseYaml(render);
      const services = (parsed.value as { services?: unknown } | undefined)?.services;
      for (const svc of Array.isArray(services) ? services : []) {
        const vars = (svc as { envVars?: unknown }).envVars;
        for (const v of Array.isArray(vars) ? vars : []) {
          const key = (v as { key?: unknown }).key;
          if (typeof key === 'string') add(key, joinPath(d, 'render.yaml'), 1);
        }
      }
    }
    const appFile = joinPath(d, 'app.json');
    const app = parseJson(model.text(appFile) ?? '');
    for (const k of Object.keys(asObject(asObject(app.value)?.env) ?? {})) add(k, appFile, app.lineOf(['env', k]));
    const fly = model.text(joinPath(d, 'fly.toml'));
    if (fly !== undefined) {
      try {
        const env = (parseToml(fly) as Record<string, unknown>).env;
        for (const k of Object.keys((env as Record<string, unknown> | undefined) ?? {})) add(k, joinPath(d, 'fly.toml'), 1);
      } catch {
        // An invalid fly.toml is platform/config-invalid's business.
      }
    }
  }
  return out;
}

/**
 * Env files that document the package's variables: templates (`.env.example`, `src/.example.env`)
 * and committed env files other than test ones, in the package, a folder above it, or anywhere
 * inside it (not inside a nested package). Templates come first.
 */
export function envTemplatesFor(model: ProjectModel, pkg: NodePackage, packages: readonly NodePackage[] = []): Map<string, ProvidedVar> {
  const out = new Map<string, ProvidedVar>();
  const inside = (dir: string): boolean => {
    if (!(pkg.dir === '' || dir === pkg.dir || dir.startsWith(pkg.dir + '/'))) return false;
    return !packages.some((p) => p !== pkg && p.dir.length > pkg.dir.length && (dir === p.dir || dir.startsWith(p.dir + '/')));
  };
  const files = [...model.get(envFiles)].sort((a, b) => Number(b.template) - Number(a.template));
  for (const f of files) {
    // Templates, and committed env files the app loads (`src/.env.production`); not test ones.
    if (/(^|[._-])test([._-]|$)/i.test(f.file.slice(f.file.lastIndexOf('/') + 1)) || !(covers(f.dir, pkg) || inside(f.dir))) continue;
    for (const e of [...f.entries, ...f.commented]) if (!out.has(e.name)) out.set(e.name, { file: f.file, line: e.line, ...(f.template ? { template: true } : {}) });
  }
  return out;
}

/** `prisma migrate deploy`, `knex migrate:latest`, `typeorm migration:run`, `sequelize db:migrate`... */
export function migrationCommand(c: SimpleCommand): string | undefined {
  const a = programArgv(c.argv);
  const bin = (a[0] ?? '').split('/').pop() ?? '';
  const rest = a.slice(1).filter((x) => !x.startsWith('-'));
  const has = (...words: string[]): boolean => words.every((w, i) => rest[i] === w);
  if (bin === 'prisma' && (has('migrate', 'deploy') || has('db', 'push'))) return `prisma ${rest.slice(0, 2).join(' ')}`;
  if (bin === 'knex' && ['migrate:latest', 'migrate:up'].includes(rest[0] ?? '')) return `knex ${rest[0]}`;
  if (/^typeorm(-ts-node-(commonjs|esm))?$/.test(bin) && rest[0] === 'migration:run') return 'typeorm migration:run';
  if (/^sequelize(-cli)?$/.test(bin) && rest[0] === 'db:migrate') return 'sequelize db:migrate';
  if (bin === 'node-pg-migrate' && (rest[0] === 'up' || rest.length === 0)) return 'node-pg-migrate up';
  if (bin === 'db-migrate' && rest[0] === 'up') return 'db-migrate up';
  if (bin === 'drizzle-kit' && ['migrate', 'push'].includes(rest[0] ?? '')) return `drizzle-kit ${rest[0]}`;
  if (bin === 'mikro-orm' && rest[0] === 'migration:up') return 'mikro-orm migration:up';
  return undefined;
}

/**
 * Package scripts that the deploy's start commands run for this package (`CMD ["npm", "run",
 * "start:prod"]`, `web: npm run serve`), besides `start`, which platforms run by default.
 */
export function deployedScripts(model: ProjectModel, pkg: NodePackage): string[] {
  const out = new Set<string>(['start']);
  for (const s of model.get(deployServices)) {
    if (s.devOnly) continue;
    const dir = s.kind === 'procfile' ? (s.file.includes('/') ? s.file.slice(0, s.file.lastIndexOf('/')) : '') : s.context ?? s.dockerfile?.dir;
    if (dir === undefined || !(dir === pkg.dir || (s.kind === 'procfile' && covers(dir, pkg)))) continue;
    for (const c of s.start) {
      const name = scriptCalled(c, pkg);
      if (name && pkg.scripts.has(name)) out.add(name);
    }
  }
  return [...out];
}
