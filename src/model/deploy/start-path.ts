import type { ProjectModel } from '../project.js';
import { joinPath, parseCommandLine, type SimpleCommand } from '../shell.js';
import { repoPathFor } from './container-paths.js';
import { argvCommands, containerJoin, type Dockerfile } from './dockerfile.js';
import { packageJsons } from './package-json.js';
import { shellScripts } from './scripts.js';

/** One command on a start path, with where it is written. */
export interface StartStep extends SimpleCommand {
  file: string;
  line: number;
  /** Files followed to get here (start file, script, package.json), outermost first. */
  via: string[];
}

/** Where a start path begins and how its paths map to repository files. */
export interface StartOrigin {
  file: string;
  line: number;
  /** The image the command runs in, when there is one (paths are then container paths). */
  dockerfile?: Dockerfile;
  context?: string;
  /** Repo directory relative commands run in when there is no image (a Procfile's directory). */
  baseDir: string;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', '/bin/sh', '/bin/bash', '/bin/dash', '/usr/bin/bash', 'source', '.']);
const MAX_DEPTH = 5;

/** Drops process supervisors that just run their arguments: `tini --`, `dumb-init`, `gosu app`. */
export function stripWrappers(argv: readonly string[]): string[] {
  let a = [...argv];
  for (let k = 0; k < 4; k++) {
    const base = (a[0] ?? '').split('/').pop() ?? '';
    if (base === 'tini' || base === 'dumb-init') a = a.slice(a[1] === '--' ? 2 : 1);
    else if (base === 'gosu' || base === 'su-exec' || base === 'chpst') a = a.slice(2);
    else break;
  }
  return a;
}

/** The script file a command runs: `./start.sh`, `/app/entrypoint.sh`, `bash scripts/x.sh`. */
export function scriptArg(argv: readonly string[]): { path: string; rest: string[] } | undefined {
  const a0 = argv[0] ?? '';
  if (SHELLS.has(a0)) {
    const i = argv.findIndex((x, k) => k > 0 && !x.startsWith('-'));
    return i > 0 ? { path: argv[i]!, rest: argv.slice(i + 1) } : undefined;
  }
  if (a0.includes('/') || /\.(sh|bash)$/.test(a0)) return { path: a0, rest: argv.slice(1) };
  return undefined;
}

/** Resolves a path a start command names to the repository file, through the image's COPYs. */
export function resolveStartPath(model: ProjectModel, o: StartOrigin, p: string, cwd: string): string | undefined {
  if (p.includes('$')) return undefined;
  if (o.dockerfile) {
    const wd = o.dockerfile.final?.workdir ?? '/';
    const dir = cwd.startsWith('/') ? cwd : containerJoin(wd, cwd || '.');
    return repoPathFor(model, o.dockerfile, containerJoin(dir, p), o.context ?? o.dockerfile.dir);
  }
  const r = joinPath(joinPath(o.baseDir, cwd), p);
  return model.exists(r) || model.dirExists(r) ? r : undefined;
}

/** `npm start`, `npm run x`, `yarn x`, `pnpm run x` → the script name, or undefined. */
export function npmScriptName(argv: readonly string[]): string | undefined {
  const [tool, a1, a2] = argv;
  if (tool === 'npm') {
    if (a1 === 'start' || a1 === 'test') return a1;
    if (a1 === 'run' || a1 === 'run-script') return a2;
    return undefined;
  }
  if (tool === 'yarn' || tool === 'pnpm' || tool === 'bun') {
    if (a1 === 'run') return a2;
    if (a1 && !a1.startsWith('-') && !['install', 'add', 'exec', 'dlx', 'x', 'ci', 'i'].includes(a1)) return a1;
  }
  return undefined;
}

function npmSteps(model: ProjectModel, o: StartOrigin, c: SimpleCommand, name: string, via: string[], depth: number): StartStep[] | undefined {
  const pkgs = model.get(packageJsons);
  const dir = resolveStartPath(model, o, '.', c.cwd) ?? o.context ?? o.baseDir;
  const pkg = pkgs.get(dir) ?? pkgs.get(o.context ?? o.baseDir);
  if (!pkg || pkg.scripts[name] === undefined) return undefined;
  const out: StartStep[] = [];
  const lines = (model.text(pkg.file) ?? '').split('\n');
  for (const n of [`pre${name}`, name, `post${name}`]) {
    const body = pkg.scripts[n];
    if (body === undefined) continue;
    const line = Math.max(1, lines.findIndex((l) => l.includes(`"${n}"`)) + 1);
    const inner: StartOrigin = { ...o, file: pkg.file, line };
    out.push(...expand(model, inner, parseCommandLine(body, c.cwd), [...via, pkg.file], depth + 1));
  }
  return out;
}

function expand(model: ProjectModel, o: StartOrigin, cmds: readonly SimpleCommand[], via: string[], depth: number, rest: string[] = []): StartStep[] {
  const out: StartStep[] = [];
  for (const raw of cmds) {
    const c: SimpleCommand = { ...raw, argv: stripWrappers(raw.argv) };
    if (c.argv.length === 0) continue;
    if ((c.argv[0] === '${@}' || c.argv[0] === '$@') && rest.length) {
      out.push(...expand(model, o, argvCommands(rest), via, depth + 1));
      continue;
    }
    out.push({ ...c, file: o.file, line: o.line, via });
    if (depth >= MAX_DEPTH) continue;
    const npm = npmScriptName(c.argv);
    if (npm) {
      const steps = npmSteps(model, o, c, npm, via, depth);
      if (steps) out.push(...steps);
      continue;
    }
    const s = scriptArg(c.argv);
    if (!s) continue;
    const file = resolveStartPath(model, o, s.path, c.cwd);
    const lines = file ? model.get(shellScripts).get(file) : undefined;
    if (!file || !lines) continue;
    for (const l of lines) out.push(...expand(model, { ...o, file, line: l.line }, l.commands, [...via, file], depth + 1, s.rest));
  }
  return out;
}

/**
 * Every command a start path runs, following scripts it calls (through the image's COPYs),
 * `exec "$@"` back into the CMD, and npm/yarn/pnpm scripts with their pre/post hooks.
 */
export function expandStart(model: ProjectModel, origin: StartOrigin, commands: readonly SimpleCommand[]): StartStep[] {
  return expand(model, origin, commands, [origin.file], 0);
}
