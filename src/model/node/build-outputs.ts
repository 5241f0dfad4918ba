import { posix } from 'node:path';
import { dockerfilesFor } from './deploy-view.js';
import type { ProjectModel } from '../project.js';
import { joinPath } from '../shell.js';
import { asObject, asString, parseJson } from './json.js';
import type { NodePackage } from './packages.js';
import { expandCommands, expandScript, programArgv, type ScriptStep } from './scripts.js';
import { loadTsConfig, tscInputs, tscOutputFor, tscRootDir, type TsConfig } from './tsconfig.js';

/** Build-time commands that never write the start target (cleaners, linters, code generators). */
const NON_PRODUCERS = new Set([
  'rimraf', 'rm', 'del', 'del-cli', 'eslint', 'prettier', 'prisma', 'echo', 'mkdir', 'true', 'tsc-alias', 'husky',
  'lint-staged', 'jest', 'vitest', 'mocha', 'npm-run-all', 'run-s', 'run-p', 'concurrently', 'cross-env', 'node-gyp',
  'patch-package', 'typeorm', 'knex', 'sequelize', 'cd', 'export', 'set',
]);

/** What a package's build can tell about a start target. */
export type BuildVerdict =
  /** Some build step writes it, or a step we cannot judge might. */
  | { produced: true }
  /** Every build step is understood and none writes it; `tsc` steps say where their output goes. */
  | { produced: false; steps: string[]; tscWrites?: { config: string; source: string; output: string } };

/**
 * Whether the package's build produces `target` (repo-relative): the `build`, `prestart`,
 * `postinstall` and `heroku-postbuild` scripts, the commands before the start in `start` itself,
 * and the RUN steps of Dockerfiles that build the package. `tsc` and `nest build` are followed
 * exactly (outDir, rootDir computed from the inputs as tsc does); any other tool is assumed to.
 */
export function buildProduces(model: ProjectModel, pkg: NodePackage, target: string, before: readonly ScriptStep[]): BuildVerdict {
  const steps: ScriptStep[] = [...before];
  for (const s of ['build', 'postinstall', 'heroku-postbuild', 'prepare', 'vercel-build']) steps.push(...expandScript(pkg, s));
  // Every stage's RUN steps: the final stage's chain and the stages it copies from.
  for (const df of dockerfilesFor(model, pkg)) {
    for (const st of df.stages) for (const r of st.runs) steps.push(...expandCommands(pkg, r.commands, 'Dockerfile', r.line));
  }
  const described: string[] = [];
  let tscWrites: { config: string; source: string; output: string } | undefined;
  for (const step of steps) {
    const argv = programArgv(step.argv);
    const bin = (argv[0] ?? '').split('/').pop() ?? '';
    if (bin === 'tsc' || (bin === 'nest' && argv[1] === 'build')) {
      const tc = bin === 'tsc' ? tscConfigFor(model, pkg, step.cwd, argv) : nestConfig(model, pkg);
      if (!tc) return { produced: true };
      if (tc === 'bundled') return { produced: true };
      const r = tscProduces(model, tc, target);
      if (r.produced) return { produced: true };
      const d = `${argv.join(' ')} (${tc.file})`;
      if (!described.includes(d)) described.push(d);
      tscWrites ??= r.writes;
      continue;
    }
    if (bin === '' || NON_PRODUCERS.has(bin)) continue;
    if (['npm', 'yarn', 'pnpm', 'bun'].includes(bin) && ['install', 'ci', 'i', 'prune'].includes(argv[1] ?? '')) continue;
    // A tool we do not model (babel, swc, esbuild, webpack, cp, make...) might write it.
    return { produced: true };
  }
  const v: BuildVerdict = { produced: false, steps: described };
  if (tscWrites) v.tscWrites = tscWrites;
  return v;
}

/** `tsc -p tsconfig.build.json --outDir build`: the config it compiles with. */
function tscConfigFor(model: ProjectModel, pkg: NodePackage, cwd: string, argv: string[]): TsConfig | undefined {
  let file = joinPath(cwd, 'tsconfig.json');
  let outDir: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '-p' || a === '--project' || a === '-b' || a === '--build') && argv[i + 1] && !argv[i + 1]!.startsWith('-')) {
      const p = joinPath(cwd, argv[++i]!);
      file = p.endsWith('.json') ? p : joinPath(p, 'tsconfig.json');
    } else if (a === '--outDir' && argv[i + 1]) outDir = joinPath(cwd, argv[++i]!);
    else if (a.startsWith('--outDir=')) outDir = joinPath(cwd, a.slice('--outDir='.length));
  }
  const tc = model.exists(file) ? loadTsConfig(model, file) : pkg.tsconfig;
  if (!tc) return undefined;
  return outDir !== undefined ? { ...tc, outDir } : tc;
}

/** `nest build`: nest-cli.json's tsConfigPath (default tsconfig.build.json), unless webpack bundles. */
function nestConfig(model: ProjectModel, pkg: NodePackage): TsConfig | 'bundled' | undefined {
  const cli = asObject(parseJson(model.text(joinPath(pkg.dir, 'nest-cli.json')) ?? '').value);
  const opts = asObject(cli?.compilerOptions);
  if (opts?.webpack === true || opts?.builder === 'webpack' || asObject(opts?.builder)?.type === 'webpack') return 'bundled';
  const explicit = asString(opts?.tsConfigPath);
  const file = [explicit, 'tsconfig.build.json', 'tsconfig.json'].filter((f): f is string => !!f).map((f) => joinPath(pkg.dir, f)).find((f) => model.exists(f));
  return file ? loadTsConfig(model, file) : undefined;
}

const SOURCE_FOR_JS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};

/** Does this tsc config write `target`? If not, where does the matching source go? */
function tscProduces(model: ProjectModel, tc: TsConfig, target: string): { produced: boolean; writes?: { config: string; source: string; output: string } } {
  if (tc.noEmit) return { produced: false };
  const ext = posix.extname(target);
  const exts = SOURCE_FOR_JS[ext];
  if (!exts) return { produced: false };
  const inputs = tscInputs(model, tc);
  const root = tscRootDir(model, tc);
  for (const src of inputs) if (tscOutputFor(src, root, tc.outDir) === target) return { produced: true };
  // Not produced: find the source the user most likely meant (same base name, and the output whose
  // tail matches the target best) to say where tsc writes it instead.
  const stem = posix.basename(target, ext);
  const rel = tc.outDir && target.startsWith(tc.outDir + '/') ? target.slice(tc.outDir.length + 1) : posix.basename(target);
  const candidates = inputs
    .filter((p) => posix.basename(p).replace(/\.[^.]+$/, '') === stem && exts.some((e) => p.endsWith(e)))
    .sort((a, b) => Number(tscOutputFor(b, root, tc.outDir).endsWith('/' + rel)) - Number(tscOutputFor(a, root, tc.outDir).endsWith('/' + rel)) || a.length - b.length);
  const candidate = candidates[0];
  return candidate ? { produced: false, writes: { config: tc.file, source: candidate, output: tscOutputFor(candidate, root, tc.outDir) } } : { produced: false };
}
