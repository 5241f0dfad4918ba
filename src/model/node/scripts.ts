import { joinPath, parseCommandLine, type SimpleCommand } from '../shell.js';
import type { NodePackage } from './packages.js';

/** One simple command reached from a package script, with the script it was written in. */
export interface ScriptStep extends SimpleCommand {
  /** The script (`start`, `prestart`...) whose text holds this command. */
  script: string;
  /** Its line in package.json. */
  line: number;
}

const RUNNERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
/** Recursion bound for scripts that call scripts. */
const MAX_SCRIPT_DEPTH = 5;
/** npm/yarn/pnpm commands that are not `run <script>`. */
const PM_BUILTINS = new Set([
  'install', 'i', 'ci', 'add', 'remove', 'rm', 'uninstall', 'prune', 'dedupe', 'update', 'up', 'upgrade', 'link', 'publish',
  'pack', 'version', 'init', 'create', 'audit', 'outdated', 'cache', 'config', 'set', 'login', 'logout', 'why', 'list', 'ls',
  'exec', 'dlx', 'x', 'workspace', 'workspaces', 'rebuild', 'import', 'patch', 'node',
]);

/**
 * The commands `npm run <name>` executes: its `pre` hook, the script, its `post` hook, with
 * `npm run x` / `yarn x` / `pnpm x` inside them expanded. Commands stay in order.
 */
export function expandScript(pkg: NodePackage, name: string, depth = 0, cwd = pkg.dir): ScriptStep[] {
  if (depth > MAX_SCRIPT_DEPTH) return [];
  const out: ScriptStep[] = [];
  for (const n of [`pre${name}`, name, `post${name}`]) {
    const s = pkg.scripts.get(n);
    if (!s) continue;
    for (const c of parseCommandLine(s.command, cwd)) {
      const inner = scriptCalled(c, pkg);
      if (inner !== undefined) out.push(...expandScript(pkg, inner, depth + 1, c.cwd));
      else out.push({ ...c, script: n, line: s.line });
    }
  }
  return out;
}

/** Expands a command line that may call package scripts (`npm start`, `yarn build`). */
export function expandCommands(pkg: NodePackage, cmds: readonly SimpleCommand[], script = '', line = 0): ScriptStep[] {
  return cmds.flatMap((c) => {
    const inner = scriptCalled(c, pkg);
    return inner !== undefined ? expandScript(pkg, inner, 1, c.cwd) : [{ ...c, script, line }];
  });
}

/** `npm start`, `npm run build`, `yarn build`, `pnpm run x`: the script name; else undefined. */
export function scriptCalled(c: SimpleCommand, pkg: NodePackage): string | undefined {
  const [pm, ...rest] = c.argv;
  if (!pm || !RUNNERS.has(pm)) return undefined;
  const args = withoutFlags(rest);
  const first = args[0];
  if (first === undefined) return undefined; // bare `yarn` installs
  if (['start', 'test', 'stop', 'restart'].includes(first)) return first;
  if (first === 'run' || first === 'run-script') return args[1];
  // yarn/pnpm/bun run a script named directly: `yarn build`.
  if (pm !== 'npm' && !PM_BUILTINS.has(first) && pkg.scripts.has(first)) return first;
  return undefined;
}

/** Drops package-manager flags (`--silent`, `-s`, `--prefix dir`, `--workspace=x`). */
function withoutFlags(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === '--prefix' || a === '-C' || a === '--cwd' || a === '--dir' || a === '-w' || a === '--workspace' || a === '--filter' || a === '-F') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    out.push(a);
  }
  return out;
}

/**
 * The program a command runs once `npx`, `yarn <bin>`, `pnpm exec` and friends are peeled off:
 * `npx prisma migrate deploy` → `['prisma', 'migrate', 'deploy']`.
 */
export function programArgv(argv: readonly string[]): string[] {
  let a = [...argv];
  for (let i = 0; i < 4; i++) {
    const head = a[0];
    if (head === 'npx' || head === 'bunx' || head === 'pnpx') a = a.slice(1);
    else if ((head === 'pnpm' || head === 'yarn' || head === 'npm' || head === 'bun') && ['exec', 'dlx', 'x'].includes(a[1] ?? '')) a = a.slice(2);
    else if (head === 'yarn' && a[1] && !PM_BUILTINS.has(a[1]) && a[1] !== 'run' && !a[1].startsWith('-')) a = a.slice(1);
    else break;
    while (a[0]?.startsWith('-')) a = a.slice(a[0] === '-p' || a[0] === '--package' ? 2 : 1);
  }
  return a;
}

/** Node runners whose first non-flag argument is the script to run. */
const FILE_RUNNERS = new Set(['node', 'ts-node', 'tsx', 'ts-node-dev', 'tsnd', 'nodemon', 'node-dev', 'babel-node', 'esno', 'esr', 'bun', 'deno', 'ts-node-esm', 'swc-node', 'vite-node']);
/** Flags of those runners that take a value in the next argument. */
const FLAGS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-P', '--project', '--watch', '-w', '--exec', '-x', '--inspect-port', '-C', '--conditions', '--env-file', '--title', '--ignore', '-i', '--ext', '-e', '--eval', '-p', '--print', '--cwd', '--tsconfig']);

export interface NodeTarget {
  /** The runner (`node`, `ts-node`, `tsx`...). */
  runner: string;
  /** As written. */
  raw: string;
  /** Repo-relative (joined onto the command's directory). */
  path: string;
}

/** `node -r dotenv/config dist/index.js` → dist/index.js; undefined for anything else. */
export function nodeTarget(c: SimpleCommand): NodeTarget | undefined {
  const argv = programArgv(c.argv);
  let runner = argv[0];
  if (!runner) return undefined;
  runner = runner.split('/').pop()!;
  if (!FILE_RUNNERS.has(runner)) return undefined;
  let i = 1;
  if ((runner === 'bun' || runner === 'deno') && argv[1] === 'run') i = 2;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') return undefined;
    if (FLAGS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    if (a.includes('$') || a === 'watch') return undefined;
    return { runner, raw: a, path: joinPath(c.cwd, a) };
  }
  return undefined;
}
