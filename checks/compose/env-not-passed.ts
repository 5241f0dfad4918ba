import { posix } from 'node:path';
import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import {
  argvCommands,
  COMPOSE_GLOBS,
  contextCopies,
  DOCKERFILE_GLOBS,
  dockerignoreFor,
  expandStart,
  isDockerIgnored,
  isEnvFilePath,
  SCRIPT_GLOBS,
  stageChain,
  type Dockerfile,
  type DockerStage,
} from '../../src/model/deploy/index.js';
import { composeKeyLine, composeStacks, isDevService, COMPOSE_USAGE_GLOBS, isTestComposePath, dockerfileOf, envFileKeys, type ComposeStack, type StackService } from '../../src/model/compose-extra.js';
import { ENV_READ_FILES, envReads, type EnvRead } from '../../src/model/env-reads.js';
// the language extractors register their reads into envReads when loaded
import '../../src/model/python/settings.js';
import '../../src/model/node/env.js';
import type { ProjectModel } from '../../src/model/project.js';
import type { SimpleCommand } from '../../src/model/shell.js';
import { joinPath } from '../../src/model/shell.js';

/** Set by the OS, Docker or a hosting platform, or baked into a frontend bundle at build time: never compose's job. */
const AMBIENT = /^(HOME|PATH|PWD|USER|HOSTNAME|SHELL|LANG|LC_[A-Z]+|TZ|TERM|TMPDIR|PYTHON[A-Z_]*|VIRTUAL_ENV|NODE_ENV|NODE_OPTIONS|npm_[a-z_]+|CI|GITHUB_[A-Z_]+|RAILWAY_[A-Z_]+|RENDER(_[A-Z_]+)?|FLY_[A-Z_]+|HEROKU_[A-Z_]+|DYNO|VERCEL(_[A-Z_]+)?|K_SERVICE|KUBERNETES_[A-Z_]+|AWS_LAMBDA_[A-Z_]+|AWS_EXECUTION_ENV|PYTEST_[A-Z_]+|JEST_[A-Z_]+)$/;
const BUILD_TIME = /^(NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|GATSBY_|PUBLIC_|STORYBOOK_)/;
/** Code that is in the image but not run by the service. */
const NOT_RUNTIME = /(^|\/)(tests?|__tests__|specs?|e2e|testing|fixtures|examples?|docs|scripts|benchmarks?)\/|(^|\/)(test_[^/]*|[^/]*_test\.py|conftest\.py|setup\.py|noxfile\.py|[^/]*\.(test|spec)\.[cm]?[jt]sx?)$/;
/** Code that loads a dotenv file by itself (python-dotenv, pydantic `env_file=`, dotenv for Node, django-environ). */
const LOADS_DOTENV = /load_dotenv|env_file\s*=|dotenv|read_env\(|RepositoryEnv/;
const SECRET = /(SECRET|PASSWORD|PASSWD|(^|_)TOKEN$|(^|_)API_KEY$|(ACCESS|PRIVATE|SIGNING|ENCRYPTION|MASTER)_KEY$|CREDENTIALS?$)/;
/** Defaults that switch a feature, not credentials: `"true"`, `"0"`, `None`. */
const NOT_A_SECRET = /^(true|false|yes|no|on|off|none|null|\d+)?$/i;
/** Reads that give undefined/None when the variable is unset, instead of raising. */
const SOFT_VIA = /^(os\.getenv|os\.environ\.get|process\.env|import\.meta\.env)/;
/**
 * Unset (None/undefined) breaks the app for these: its database or broker connection, or the secret
 * a framework refuses to start without. Optional integrations (STATSD_HOST, SENTRY_DSN, METRICS_KEY)
 * are switched off by None, which is fine.
 */
const UNSET_MATTERS = /(DATABASE|(^|_)DB_(URL|URI|HOST|NAME)$|MONGO(DB)?_(URL|URI)|REDIS_(URL|URI)|POSTGRES|MYSQL|BROKER_URL|AMQP|CELERY_BROKER|(^|_)SECRET_KEY$|(^|_)SECRET$|JWT_SECRET)/;
const LOOPBACK = /(localhost|127\.0\.0\.1|\[::1\])/;

/** How a missing variable hurts: `benign` ones (usable code defaults) are listed, not reported. */
type MissingKind = 'required' | 'loopback' | 'secret' | 'unset' | 'benign';
interface Missing {
  read: EnvRead;
  kind: MissingKind;
}
const RANK: Record<MissingKind, number> = { required: 0, loopback: 1, secret: 2, unset: 3, benign: 4 };
const WHY: Record<MissingKind, (r: EnvRead) => string> = {
  required: () => 'required',
  loopback: (r) => `defaults to "${r.defaultValue ?? ''}", the container itself`,
  secret: (r) => `defaults to the literal "${(r.defaultValue ?? '').slice(0, 24)}"`,
  unset: () => 'no default: None/undefined',
  benign: () => 'has a usable default',
};

/** Code that sets arbitrary variables (from a config file): what the service receives cannot be judged. */
const DYNAMIC_ASSIGN = /process\.env\[\s*[A-Za-z_$][\w$.]*\s*\]\s*=[^=]|Object\.assign\(\s*process\.env|os\.environ\.update\(|os\.environ\[\s*[A-Za-z_][\w.]*\s*\]\s*=[^=]/;
/** Code that sets one variable before reading it: `process.env.X = ...`, `os.environ["X"] = ...`, `os.environ.setdefault("X", ...)`. */
const NAMED_ASSIGN = /process\.env\.([A-Z_][A-Z0-9_]*)\s*(?:\?\?|\|\|)?=[^=]|os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]\s*=[^=]|os\.environ\.setdefault\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']/g;

/** Line ranges of `if __name__ == "__main__":` blocks: code the server never runs. */
function mainBlocks(model: ProjectModel, file: string): [number, number][] {
  if (!file.endsWith('.py')) return [];
  const lines = model.lines(file);
  const out: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^if\s+__name__\s*==\s*['"]__main__['"]\s*:/.test(lines[i]!)) continue;
    let j = i + 1;
    while (j < lines.length && (lines[j]!.trim() === '' || /^\s/.test(lines[j]!))) j++;
    out.push([i + 1, j]);
    i = j - 1;
  }
  return out;
}

/**
 * Django settings variants the service does not load: with DJANGO_SETTINGS_MODULE=app.settings.dev,
 * the reads of app/settings/production.py never run (base.py, imported by dev.py, does).
 */
function unusedSettings(model: ProjectModel, module: string | undefined, roots: string[]): (file: string) => boolean {
  if (!module || !/^[\w.]+$/.test(module)) return () => false;
  const rel = module.replace(/\./g, '/') + '.py';
  const selected = roots.map((r) => joinPath(r, rel)).find((p) => model.exists(p)) ?? model.listed(`**/${rel}`)[0];
  if (!selected) return () => false;
  const dir = posix.dirname(selected);
  const loaded = new Set([posix.basename(selected, '.py'), '__init__']);
  const todo = [selected];
  while (todo.length) {
    const text = model.text(todo.pop()!) ?? '';
    for (const m of text.matchAll(/^\s*from\s+(?:\.|[\w.]+\.)(\w+)\s+import/gm)) {
      const name = m[1]!;
      if (loaded.has(name) || !model.exists(`${dir}/${name}.py`)) continue;
      loaded.add(name);
      todo.push(`${dir}/${name}.py`);
    }
  }
  return (file) => posix.dirname(file) === dir && file.endsWith('.py') && !loaded.has(posix.basename(file, '.py'));
}

function classify(r: EnvRead): MissingKind {
  if (!r.hasDefault) {
    if (!SOFT_VIA.test(r.via)) return 'required';
    return UNSET_MATTERS.test(r.name) ? 'unset' : 'benign';
  }
  const d = r.defaultValue;
  if (d === undefined) return 'benign'; // computed default (secrets.token_hex(), a function call)
  if (LOOPBACK.test(d)) return 'loopback';
  if (SECRET.test(r.name) && !NOT_A_SECRET.test(d.trim())) return 'secret';
  return 'benign';
}
const LOWER: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low' };

/** Repo paths whose files end up in the container: context COPY sources (minus .dockerignore) and bind-mounted folders. */
function codePaths(model: ProjectModel, s: StackService, df: Dockerfile | undefined): { paths: string[]; ignored: (p: string) => boolean } {
  const context = s.build!.context;
  const paths = new Set<string>();
  if (df) {
    for (const stage of df.stages) {
      for (const c of contextCopies(df, stage)) {
        for (const src of c.sources) {
          if (src.includes('$') || /^(https?|git):\/\//.test(src)) continue;
          const glob = src.search(/[*?[]/);
          paths.add(joinPath(context, glob >= 0 ? posix.dirname(src.slice(0, glob) + 'x') : src));
        }
      }
    }
  }
  for (const d of s.defs) {
    for (const v of d.volumes) {
      if (!v.source || !/^\.{1,2}(\/|$)/.test(v.source)) continue;
      const p = joinPath(posix.dirname(d.file) === '.' ? '' : posix.dirname(d.file), v.source);
      if (model.dirExists(p) || model.exists(p)) paths.add(p);
    }
  }
  if (paths.size === 0) paths.add(context);
  const ig = df ? dockerignoreFor(model, df, context) : undefined;
  const ignored = (p: string) => {
    if (!ig) return false;
    const inCtx = context === '' ? p : p.startsWith(context + '/') ? p.slice(context.length + 1) : undefined;
    return inCtx !== undefined && isDockerIgnored(ig, inCtx);
  };
  return { paths: [...paths], ignored };
}

function under(p: string, dir: string): boolean {
  return dir === '' || p === dir || p.startsWith(dir + '/');
}

function languageOf(df: Dockerfile | undefined, stage: DockerStage | undefined): EnvRead['language'] | undefined {
  const img = (stage ?? df?.final)?.resolvedImage.toLowerCase() ?? '';
  if (/(^|\/)(python|pypy)|\/uv:|conda|miniconda|jupyter/.test(img)) return 'python';
  if (/(^|\/)(node|bun|deno)(:|$)|oven\/bun|denoland/.test(img)) return 'node';
  return undefined;
}

interface Received {
  names: Set<string>;
  /** An env_file whose keys cannot be known (git-ignored, no template): the service may get anything. */
  unknown: boolean;
}

function received(model: ProjectModel, s: StackService, df: Dockerfile | undefined, stage: DockerStage | undefined): Received {
  const names = new Set(s.environment.map((e) => e.name));
  let unknown = false;
  for (const f of s.envFiles) {
    const k = envFileKeys(model, f.path);
    if (!k.known) {
      unknown ||= f.required;
      continue;
    }
    for (const n of k.names) names.add(n);
  }
  if (df) for (const st of stageChain(df, stage)) for (const e of st.env) names.add(e.name);
  // assignments on the start path: `FOO=1 uvicorn ...`, `export FOO=...` in the entrypoint script
  let cmds: SimpleCommand[] = [];
  const ep = s.entrypoint;
  const cmd = s.command;
  if (ep || cmd) cmds = [...(ep?.commands ?? []), ...(cmd?.commands ?? [])];
  else if (df?.start) cmds = df.start.commands;
  if (ep?.form === 'list' && cmd) cmds = argvCommands([...ep.argv, ...(cmd.form === 'list' ? cmd.argv : cmd.commands.flatMap((c) => c.argv))]);
  const steps = expandStart(model, { file: s.primary.file, line: s.primary.line, ...(df ? { dockerfile: df } : {}), context: s.build!.context, baseDir: s.build!.context }, cmds);
  for (const st of steps) {
    for (const n of Object.keys(st.env)) names.add(n);
    if (st.argv[0] === 'export' || st.argv[0] === 'declare') for (const a of st.argv.slice(1)) names.add(a.split('=')[0]!);
    if (st.argv[0] === 'source' || st.argv[0] === '.') unknown = true; // sources a file of variables
  }
  return { names, unknown };
}

/** Dotenv files the code may load from inside the container: its copied/mounted folders' env files or their templates. */
function dotenvNames(model: ProjectModel, paths: string[], ignored: (p: string) => boolean, reads: EnvRead[]): Set<string> | undefined {
  const loads = [...new Set(reads.map((r) => r.file))].some((f) => LOADS_DOTENV.test(model.text(f) ?? ''));
  if (!loads) return undefined;
  const out = new Set<string>();
  let any = false;
  for (const dir of paths) {
    if (ignored(joinPath(dir, '.env'))) continue;
    for (const f of model.listed(`${dir ? dir + '/' : ''}{.env,.env.*,*.env}`).filter(isEnvFilePath)) {
      any = true;
      const k = envFileKeys(model, f);
      if (k.known) for (const n of k.names) out.add(n);
    }
  }
  return any ? out : undefined;
}

function indentOf(model: ProjectModel, file: string, line: number): string {
  return /^\s*/.exec(model.lines(file)[line - 1] ?? '')?.[0] ?? '';
}

function fixBlock(model: ProjectModel, s: StackService, missing: Missing[]): string {
  const def = s.primary;
  const envDef = def.environment[0];
  const svcIndent = indentOf(model, def.file, def.line);
  const keyIndent = svcIndent + '  ';
  // a secret's code default is a placeholder: make compose demand the real value instead of copying it
  const value = (m: Missing) => (m.kind === 'secret' || SECRET.test(m.read.name) ? `\${${m.read.name}:?set ${m.read.name} in .env}` : `\${${m.read.name}}`);
  if (envDef) {
    const itemIndent = indentOf(model, def.file, envDef.line);
    const listForm = (model.lines(def.file)[envDef.line - 1] ?? '').trimStart().startsWith('-');
    const lines = missing.map((m) => (listForm ? `${itemIndent}- ${m.read.name}=${value(m)}` : `${itemIndent}${m.read.name}: ${value(m)}`));
    return `Add to the \`environment:\` of \`${s.name}\` in ${def.file}:\n${lines.join('\n')}`;
  }
  const lines = missing.map((m) => `${keyIndent}  ${m.read.name}: ${value(m)}`);
  return `Add to \`${s.name}\` in ${def.file} (line ${def.line}):\n${keyIndent}environment:\n${lines.join('\n')}`;
}

function judge(model: ProjectModel, stack: ComposeStack, s: StackService, dev: boolean): Report | undefined {
  const df = dockerfileOf(model, s);
  const stage = s.build?.target && df ? df.stages.find((x) => x.name === s.build!.target!.toLowerCase()) : undefined;
  const got = received(model, s, df, stage);
  if (got.unknown) return undefined;
  const { paths, ignored } = codePaths(model, s, df);
  // code of other services of the stack that live deeper inside this one's context belongs to them
  const others = [...stack.services.values()].filter((o) => o !== s && o.build && !o.build.remote && o.build.context !== s.build!.context).map((o) => o.build!.context);
  const lang = languageOf(df, stage);
  const djangoModule =
    s.environment.find((e) => e.name === 'DJANGO_SETTINGS_MODULE')?.value ??
    (df ? stageChain(df, stage).flatMap((st) => st.env).find((e) => e.name === 'DJANGO_SETTINGS_MODULE')?.value : undefined);
  const unused = unusedSettings(model, djangoModule, paths);
  const blocks = new Map<string, [number, number][]>();
  const inMain = (r: EnvRead) => {
    let b = blocks.get(r.file);
    if (!b) blocks.set(r.file, (b = mainBlocks(model, r.file)));
    return b.some(([a, z]) => r.line > a && r.line <= z);
  };
  // `if "X" in os.environ:` / `if (process.env.X)` right above: the read only runs when the variable is set
  const guarded = (r: EnvRead) => {
    const ls = model.lines(r.file);
    const n = r.name.replace(/[^A-Za-z0-9_]/g, '');
    const re = new RegExp(`["']${n}["']\\s+in\\s+os\\.environ|process\\.env\\.${n}\\s*(&&|\\))|os\\.(getenv|environ\\.get)\\(\\s*["']${n}["']\\s*\\)\\s*(:|and\\b)`);
    const own = ls[r.line - 1] ?? '';
    const above = [ls[r.line - 2], ls[r.line - 3]].filter((l): l is string => l !== undefined);
    return above.some((l) => re.test(l)) || (/^\s*if\b/.test(own) && re.test(own));
  };
  const reads = model.get(envReads).filter(
    (r) =>
      paths.some((p) => under(r.file, p)) &&
      !ignored(r.file) &&
      !NOT_RUNTIME.test(r.file) &&
      !others.some((o) => o.length > s.build!.context.length && under(r.file, o) && !paths.some((p) => p.length >= o.length && under(r.file, p))) &&
      (lang === undefined || r.language === lang) &&
      !unused(r.file) &&
      !inMain(r) &&
      !guarded(r),
  );
  if (reads.length === 0) return undefined;
  const dotenv = dotenvNames(model, paths, ignored, reads);
  // code that fills the environment itself: `process.env[key] = config[key]`, `os.environ.update(...)`
  const assigned = new Set<string>();
  for (const f of new Set(reads.map((r) => r.file))) {
    const text = model.text(f) ?? '';
    if (DYNAMIC_ASSIGN.test(text)) return undefined;
    for (const m of text.matchAll(NAMED_ASSIGN)) assigned.add(m[1] ?? m[2] ?? m[3]!);
  }
  const isGot = (n: string) => got.names.has(n) || assigned.has(n) || !!dotenv?.has(n);
  // a settings field the code fills in itself: `AppSettings(SECRET=..., **{"SESSION_SECRET": ...})`
  const givenInCode = (r: EnvRead) => {
    const m = /^([A-Z]\w*)\.(\w+)$/.exec(r.via);
    if (!m || r.hasDefault) return false;
    const f = m[2]!.replace(/[^\w]/g, '');
    const text = model.text(r.file) ?? '';
    return new RegExp(`["']${f}["']\\s*:|[(,]\\s*${f}\\s*=(?!=)|^\\s+${f}\\s*=(?!=)[^\\n]*,\\s*$`, 'im').test(text);
  };
  // `os.environ.get("REDASH_REDIS_URL", os.environ.get("REDIS_URL", ...))`: the inner read is only a fallback
  const fallbackOf = new Set(reads.filter((r) => isGot(r.name)).map((r) => `${r.file}:${r.line}`));
  const byName = new Map<string, Missing>();
  for (const r of reads) {
    if (AMBIENT.test(r.name) || BUILD_TIME.test(r.name) || isGot(r.name) || fallbackOf.has(`${r.file}:${r.line}`)) continue;
    if (r.via === 'os.environ.pop') continue; // removes a variable, does not configure anything
    if (givenInCode(r)) continue;
    const m: Missing = { read: r, kind: classify(r) };
    const prev = byName.get(r.name);
    if (!prev || RANK[m.kind] < RANK[prev.kind]) byName.set(r.name, m);
  }
  const all = [...byName.values()].sort((a, b) => RANK[a.kind] - RANK[b.kind] || (a.read.name < b.read.name ? -1 : 1));
  const missing = all.filter((m) => m.kind !== 'benign');
  if (missing.length === 0) return undefined;
  const benign = all.filter((m) => m.kind === 'benign').map((m) => m.read.name);
  const required = missing.filter((m) => m.kind === 'required').map((m) => m.read.name);
  let severity: Severity = required.length ? 'critical' : 'high';
  if (dev) severity = LOWER[severity];
  const list = missing.map((m) => `${m.read.name} (${m.read.file}:${m.read.line}, ${WHY[m.kind](m.read)})`).join(', ');
  const what =
    s.environment.length && s.envFiles.length
      ? 'its `environment:` and env_file pass only other variables'
      : s.environment.length
        ? 'its `environment:` passes only other variables'
        : s.envFiles.length
          ? 'its env_file does not define them'
          : 'it has no `environment:` or `env_file`';
  const def = s.primary;
  const line = composeKeyLine(model, def.file, ['services', s.name, 'environment']) ?? def.line;
  return {
    file: def.file,
    line,
    key: s.name,
    severity,
    message: [
      `Service \`${s.name}\` runs code that reads ${missing.length} variable${missing.length > 1 ? 's' : ''} it never receives (${what}): ${list}.`,
      required.length ? `${required.join(', ')} ${required.length > 1 ? 'are' : 'is'} required, so the app fails at start or on first use.` : '',
      missing.length > required.length
        ? `Inside the container ${required.length ? 'the others fall' : missing.length > 1 ? 'they fall' : 'it falls'} back to a placeholder, localhost or nothing.`
        : '',
      benign.length ? `Also not passed, with usable code defaults: ${benign.slice(0, 12).join(', ')}${benign.length > 12 ? ` and ${benign.length - 12} more` : ''}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    fix: fixBlock(model, s, missing) + (s.envFiles.length ? `\n(or add the names to ${s.envFiles.map((f) => f.raw).join(', ')} / its .env.example)` : ''),
    effort: Math.min(60, 5 + 2 * missing.length),
  };
}

export default defineCheck({
  id: 'compose/env-not-passed',
  title: 'Compose service does not pass variables its code reads',
  severity: 'critical',
  files: [...COMPOSE_GLOBS, ...DOCKERFILE_GLOBS, ...SCRIPT_GLOBS, ...COMPOSE_USAGE_GLOBS, ...ENV_READ_FILES, '**/.env', '**/.env.*', '**/*.env', '**/.dockerignore', '**/*.dockerignore'],
  docs:
    'A service built from this repository whose code reads environment variables (os.environ, pydantic settings, ' +
    'process.env, envalid/zod schemas, django-environ...) that the compose service never receives: no ' +
    '`environment:` entry, no `env_file` that defines it (a git-ignored .env is judged by its .env.example), no ' +
    'Dockerfile `ENV`, no assignment on the start path. Critical when a variable is required (no default, and the ' +
    'read raises: `os.environ["X"]`, a settings field without default): the app crashes at start. High when the ' +
    'fallback is wrong in a container: a default pointing at localhost, a literal default for a secret, or ' +
    'None/undefined for the database or broker connection or the framework secret. Variables with usable defaults ' +
    '(and optional integrations left unset) are listed in the message but do ' +
    'not fire on their own. One level lower for dev compose files. The code that belongs to a service is what its ' +
    'build copies into the image (COPY sources from the build context, minus .dockerignore) or bind-mounts, in the ' +
    'image\'s language, without tests, scripts, `if __name__ == "__main__"` blocks, reads guarded by ' +
    '`if "X" in os.environ`, variables the code sets itself (`os.environ.setdefault`, settings built with explicit ' +
    'arguments), and Django settings variants DJANGO_SETTINGS_MODULE does not load. Reported once per ' +
    'service with the block to paste. Image-only services (postgres, redis) are not judged, nor services whose ' +
    'env_file keys cannot be known, or whose code loads a .env its folder documents.',
  fix: 'Pass every variable the code reads: add them under the service\'s `environment:` (`NAME: ${NAME}`), or put them in the env_file and its .env.example.',
  effort: 15,
  example: 'services:\n  backend:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://db/app\n# backend/config.py reads JWT_SECRET_KEY, SMTP_HOST, CORS_ORIGINS too',
  run(model) {
    const out: Report[] = [];
    for (const stack of model.get(composeStacks)) {
      for (const s of stack.services.values()) {
        // test and CI compose files run the suite with the CI's environment, not a deploy's
      if (!s.build || s.build.remote || s.incomplete || s.extendsBase || isTestComposePath(s.primary.file)) continue;
      // a container kept alive for `exec` (`sleep infinity`, `tail -f /dev/null`) does not run the app
      const argv0 = (s.entrypoint ?? s.command)?.commands[0]?.argv ?? [];
      if (argv0[0] === 'sleep' || (argv0[0] === 'tail' && argv0.includes('-f'))) continue;
        const dev = isDevService(model, s);
        const r = judge(model, stack, s, dev);
        if (r) out.push(r);
      }
    }
    return out;
  },
});
