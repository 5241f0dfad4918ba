import { unwrapRunners } from '../commands.js';
import { composeFiles } from '../deploy/compose.js';
import { isDevCompose } from '../deploy/dev-compose.js';
import { isDevOnlyPath } from '../deploy/files.js';
import { deployServices } from '../deploy/services.js';
import { defineFacts, type ProjectModel } from '../project.js';
import type { SimpleCommand } from '../shell.js';
import { obj, platformConfigs, platformFacts, type Platform, type PlatformCommand } from './configs.js';

/**
 * Every command that starts something in a deploy, from any source, in one shape: platform
 * files and Procfiles (src/model/platform), compose services and Dockerfile CMD/ENTRYPOINT
 * (src/model/deploy). Rules about start targets, ports and dev servers read this list.
 */
export type StartPath = Omit<PlatformCommand, 'platform'> & {
  origin: Platform | 'compose' | 'dockerfile';
  /** Local development or CI only (a dev compose file, Dockerfile.dev, tests/ folder). */
  devOnly: boolean;
  /** Variables the platform or image sets for the process (names; values when literal). */
  env: Record<string, string | undefined>;
};

export const startPaths = defineFacts('platform-start-paths', (model): StartPath[] => {
  const out: StartPath[] = [];
  const services = model.get(deployServices);
  const imageEnv = (file: string | undefined): Record<string, string | undefined> => {
    const s = file ? services.find((x) => x.kind === 'dockerfile' && x.file === file) : undefined;
    return Object.fromEntries((s?.env ?? []).map((e) => [e.name, e.value]));
  };
  for (const c of model.get(platformFacts).commands) {
    if (c.role === 'build') continue;
    // Only `Procfile` itself is read by Heroku; Procfile.windows / Procfile.dev are for `heroku local`.
    if (c.key.startsWith('Procfile') && !/(^|\/)Procfile$/.test(c.file)) continue;
    const shell = c.shell === false && wrapsShell(c.text.trim().split(/\s+/)) ? true : c.shell;
    const env = { ...imageEnv(c.dockerfile), ...platformEnv(model, c.file, c.name) };
    out.push({ ...c, origin: c.platform, devOnly: isDevOnlyPath(c.file), env, ...(shell !== undefined ? { shell } : {}) });
  }
  const devCompose = new Map(model.get(composeFiles).map((cf) => [cf.file, isDevCompose(cf)]));
  // A Dockerfile CMD that every production compose service building it replaces never runs.
  const shadowed = (file: string) => {
    const users = services.filter((x) => x.kind === 'compose' && x.dockerfile?.file === file && !x.devOnly && devCompose.get(x.file) !== true);
    return users.length > 0 && users.every((x) => x.startAt && x.startAt.file === x.file);
  };
  for (const s of services) {
    if (s.kind === 'procfile' || !s.startAt || s.start.length === 0) continue;
    // An image the repo does not build: its command is arguments to an entrypoint we cannot see.
    if (s.kind === 'compose' && !s.dockerfile) continue;
    if (s.kind === 'dockerfile' && s.builtByCompose && shadowed(s.file)) continue;
    const df = s.dockerfile;
    // A compose service that sets no command runs its image's CMD: the Dockerfile is the place.
    const fromImage = s.startAt.file !== s.file || s.kind === 'dockerfile';
    // Exec form runs without a shell, unless the words themselves are `sh -c "..."`.
    const exec = fromImage && df?.start ? df.start.exec && !wrapsShell(df.start.argv) : undefined;
    out.push({
      origin: s.kind === 'compose' && !fromImage ? 'compose' : 'dockerfile',
      file: s.startAt.file,
      line: s.startAt.line,
      role: 'web',
      name: s.name,
      key: s.kind === 'compose' && !fromImage ? `service \`${s.name}\` command` : 'CMD',
      text: s.startAt.text,
      commands: s.start,
      dir: s.context ?? df?.dir ?? '',
      ...(df ? { dockerfile: df.file } : {}),
      ...(exec !== undefined ? { shell: !exec } : {}),
      setsPort: false,
      env: Object.fromEntries(s.env.map((e) => [e.name, e.value])),
      devOnly: s.devOnly || (s.kind === 'compose' && devCompose.get(s.file) === true) || (df ? isDevOnlyPath(df.file) : false),
    });
  }
  // Dedupe: a Dockerfile CMD reached through several compose services is one place to fix.
  const seen = new Set<string>();
  return out.filter((p) => {
    const k = `${p.file}:${p.line}:${p.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
});

/** Variables a platform file sets for a process: fly [env], nixpacks variables, render envVars, app.json env. */
function platformEnv(model: ProjectModel, file: string, name: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  for (const c of model.get(platformConfigs)) {
    if (c.dir !== dir) continue;
    const v = obj(c.doc.value);
    if (!v) continue;
    const take = (o: unknown) => {
      for (const [k, val] of Object.entries(obj(o) ?? {})) out[k] = typeof val === 'string' || typeof val === 'number' ? String(val) : undefined;
    };
    if (c.platform === 'fly') take(v.env);
    else if (c.platform === 'nixpacks') take(v.variables);
    else if (c.platform === 'heroku' && c.file.endsWith('app.json')) take(v.env);
    else if (c.platform === 'render' && c.file === file && Array.isArray(v.services)) {
      const svc = v.services.map(obj).find((x) => x?.name === name);
      for (const e of Array.isArray(svc?.envVars) ? svc!.envVars : []) {
        const key = obj(e)?.key;
        if (typeof key === 'string') out[key] = typeof obj(e)?.value === 'string' ? (obj(e)!.value as string) : undefined;
      }
    }
  }
  return out;
}

/** `["sh", "-c", "..."]`, `/bin/bash -lc ...`: words that start a shell on a command string. */
export function wrapsShell(argv: readonly string[]): boolean {
  const a0 = (argv[0] ?? '').replace(/^"|"$/g, '');
  const base = a0.slice(a0.lastIndexOf('/') + 1);
  return ['sh', 'bash', 'dash', 'zsh', 'ash'].includes(base) && argv.slice(1).some((a) => /^-[a-z]*c$/.test(a));
}

// ---------------------------------------------------------------------------------------------
// What a start command runs

/** A Python object a server or worker command imports. */
export interface PythonTarget {
  runner: string;
  /** `app.main` */
  module: string;
  /** `app` (uvicorn/gunicorn `module:attr`); undefined when the runner imports the module only. */
  attribute?: string;
  /** `--app-dir`, `--chdir`: the folder the import happens from, relative to the command's cwd. */
  appDir?: string;
  /** The argument as written. */
  arg: string;
  /** True for gunicorn's `module` without `:attr` (it then looks for `application`). */
  defaultAttribute?: boolean;
  /** uvicorn/hypercorn need `module:attr`; undefined when the form is fine. */
  malformed?: string;
}

const VALUE_FLAGS: Record<string, ReadonlySet<string>> = {
  uvicorn: new Set(['--host', '--port', '--uds', '--fd', '--reload-dir', '--reload-include', '--reload-exclude', '--reload-delay', '--workers', '--loop', '--http', '--ws', '--ws-max-size', '--ws-max-queue', '--ws-ping-interval', '--ws-ping-timeout', '--lifespan', '--interface', '--env-file', '--log-config', '--log-level', '--root-path', '--limit-concurrency', '--limit-max-requests', '--backlog', '--timeout-keep-alive', '--timeout-graceful-shutdown', '--ssl-keyfile', '--ssl-certfile', '--ssl-keyfile-password', '--ssl-version', '--ssl-cert-reqs', '--ssl-ca-certs', '--ssl-ciphers', '--header', '--forwarded-allow-ips', '--app-dir', '--h11-max-incomplete-event-size']),
  gunicorn: new Set(['-b', '--bind', '-w', '--workers', '-k', '--worker-class', '-c', '--config', '--chdir', '--pythonpath', '-t', '--timeout', '--log-level', '--access-logfile', '--error-logfile', '--log-file', '-e', '--env', '--threads', '--max-requests', '--max-requests-jitter', '--graceful-timeout', '--keep-alive', '-n', '--name', '--log-config', '--forwarded-allow-ips', '--worker-connections', '-u', '--user', '-g', '--group', '-m', '--umask', '--certfile', '--keyfile', '-p', '--pid', '--worker-tmp-dir', '--backlog', '--limit-request-line', '--limit-request-fields', '--limit-request-field_size', '--access-logformat', '--statsd-host', '--statsd-prefix', '--proxy-allow-from', '--paste', '--reload-engine', '--reload-extra-file', '--logger-class', '--ca-certs', '--ssl-version', '--ciphers', '--capture-output-file', '--worker-tmp-dir', '--initgroups', '-R']),
  hypercorn: new Set(['-b', '--bind', '-w', '--workers', '-k', '--worker-class', '-c', '--config', '--root-path', '--log-level', '--access-logfile', '--error-logfile', '--keep-alive', '--graceful-timeout', '--certfile', '--keyfile', '--ca-certs', '--insecure-bind', '--quic-bind', '--access-logformat', '--log-config', '--backlog', '-u', '--user', '-g', '--group', '--pid', '--umask', '--statsd-host', '--statsd-prefix', '--server-name', '--read-timeout', '--max-requests', '--max-requests-jitter']),
  daphne: new Set(['-p', '--port', '-b', '--bind', '-u', '--unix-socket', '--fd', '-e', '--endpoint', '-v', '--verbosity', '-t', '--http-timeout', '--access-log', '--log-fmt', '--ping-interval', '--ping-timeout', '--application-close-timeout', '--websocket_timeout', '--websocket_connect_timeout', '--root-path', '--proxy-headers-host', '--proxy-headers-port', '--server-name']),
};

function positionalArgs(args: readonly string[], flags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      if (flags.has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function flagValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(n + '=')) return a.slice(n.length + 1);
      // `-Aproj` (celery) short option glued to its value
      if (n.length === 2 && !n.startsWith('--') && a.startsWith(n) && a.length > 2 && !a.startsWith('--')) return a.slice(2);
    }
  }
  return undefined;
}

const PY = /^(python|python3(\.\d+)?|py)$/;

/** The program and its arguments after runner prefixes and `python -m <tool>`. */
export function programOf(cmd: SimpleCommand): { prog: string; args: string[] } {
  let argv = unwrapRunners(cmd.argv);
  const base = (s: string) => s.slice(s.lastIndexOf('/') + 1);
  if (argv[0] && PY.test(base(argv[0])) && argv[1] === '-m' && argv[2] && ['uvicorn', 'gunicorn', 'hypercorn', 'celery', 'daphne', 'flask'].includes(argv[2])) argv = argv.slice(2);
  return { prog: base(argv[0] ?? ''), args: argv.slice(1) };
}

/** The Python module (and attribute) a server, worker or `python -m` command imports. */
export function pythonTarget(cmd: SimpleCommand): PythonTarget | undefined {
  const { prog, args } = programOf(cmd);
  const split = (arg: string, runner: string): PythonTarget | undefined => {
    if (!arg || /[$`{}\s]/.test(arg)) return undefined;
    const colon = arg.indexOf(':');
    const module = colon >= 0 ? arg.slice(0, colon) : arg;
    if (!/^[A-Za-z_][\w.]*$/.test(module)) return undefined;
    const t: PythonTarget = { runner, module, arg };
    if (colon >= 0) {
      const attr = arg.slice(colon + 1).replace(/\(.*\)$/, '');
      if (/^[A-Za-z_]\w*$/.test(attr)) t.attribute = attr;
      else if (attr) return undefined;
    }
    return t;
  };
  if (prog === 'uvicorn' || prog === 'hypercorn' || prog === 'daphne') {
    const flags = VALUE_FLAGS[prog]!;
    if (prog === 'hypercorn' && flagValue(args, ['-c', '--config'])) return undefined;
    const arg = positionalArgs(args, flags)[0];
    if (arg === undefined) return undefined;
    const t = split(arg, prog);
    if (!t) return undefined;
    const appDir = flagValue(args, ['--app-dir']);
    if (appDir && !/[$`]/.test(appDir)) t.appDir = appDir;
    if (!t.attribute && !args.includes('--factory')) t.malformed = `${prog} needs \`module:attribute\`, got \`${arg}\``;
    return t;
  }
  if (prog === 'gunicorn') {
    const arg = positionalArgs(args, VALUE_FLAGS.gunicorn!)[0];
    if (arg === undefined || args.includes('--paste')) return undefined;
    const t = split(arg, prog);
    if (!t) return undefined;
    if (!t.attribute) {
      t.attribute = 'application';
      t.defaultAttribute = true;
    }
    const chdir = flagValue(args, ['--chdir']);
    if (chdir && !/[$`]/.test(chdir)) t.appDir = chdir;
    return t;
  }
  if (prog === 'celery') {
    const app = flagValue(args, ['-A', '--app']);
    if (!app) return undefined;
    // `-A proj` imports `proj` (then proj.celery / proj.app); `-A proj.tasks:app` names the attribute.
    const t = split(app, prog);
    const workdir = flagValue(args, ['--workdir']);
    if (t && workdir && !/[$`]/.test(workdir)) t.appDir = workdir;
    return t;
  }
  if (PY.test(prog) && args[0] === '-m' && args[1]) {
    const t = split(args[1], 'python -m');
    return t && !t.attribute ? t : undefined;
  }
  return undefined;
}

/** The npm-style script a command runs: `npm start`, `npm run build`, `yarn serve`, `pnpm run x`. */
export function packageScript(cmd: SimpleCommand): { manager: string; script: string } | undefined {
  const argv = unwrapRunners(cmd.argv).filter((a) => !/^--(silent|quiet|prefer-offline|if-present)$/.test(a));
  const [pm, a1, a2] = argv;
  if (pm !== 'npm' && pm !== 'yarn' && pm !== 'pnpm' && pm !== 'bun') return undefined;
  if (argv.some((a) => a === '--prefix' || a === '-C' || a === '--cwd' || a === '--dir' || a === '--workspace' || a === '-w' || a === '--filter')) return undefined;
  if (a1 === 'run' || a1 === 'run-script') return a2 && !a2.startsWith('-') && !/[$`]/.test(a2) ? { manager: pm, script: a2 } : undefined;
  if (a1 === 'start' || a1 === 'test') return { manager: pm, script: a1 };
  // `yarn dev` / `pnpm dev` run the script of that name unless it is a built-in command.
  if ((pm === 'yarn' || pm === 'pnpm') && a1 && /^[\w:.-]+$/.test(a1) && !PM_BUILTINS.has(a1)) return { manager: pm, script: a1 };
  return undefined;
}

const PM_BUILTINS = new Set([
  'add', 'audit', 'autoclean', 'bin', 'cache', 'config', 'create', 'dedupe', 'dlx', 'exec', 'explain', 'fetch', 'global', 'help',
  'import', 'info', 'init', 'install', 'i', 'link', 'list', 'ls', 'login', 'logout', 'node', 'outdated', 'owner', 'pack', 'patch',
  'plugin', 'prune', 'publish', 'rebuild', 'remove', 'rm', 'root', 'set', 'setup', 'store', 'unlink', 'up', 'update', 'upgrade',
  'upgrade-interactive', 'version', 'versions', 'why', 'workspace', 'workspaces', 'x', 'env', 'licenses', 'policies', 'tag', 'team',
  'unplug', 'constraints', 'deploy', 'doctor', 'import', 'server', 'start', 'test',
]);

// ---------------------------------------------------------------------------------------------
// Where a server command listens

/** A host or port as the command gives it: a literal, `$PORT`-style variable, or the server's default. */
export interface BindValue {
  value: string;
  /** `arg`: given on the command line; `default`: the server's built-in default. */
  from: 'arg' | 'default';
  /** The variable it reads (`PORT` for `$PORT`, `${PORT:-8000}`). */
  envVar?: string;
}

export interface ServerBinding {
  server: string;
  host?: BindValue;
  port?: BindValue;
  /** gunicorn with no bind listens on `0.0.0.0:$PORT` when PORT is set. */
  readsPortEnv?: boolean;
  /** The option to use in a fix: `--host 0.0.0.0 --port $PORT`, `--bind 0.0.0.0:$PORT`. */
  fixArgs: string;
}

/** `$PORT`, `${PORT}`, `${PORT:-8000}` → `PORT`; undefined for a literal. */
export function envVarOf(v: string): string | undefined {
  const m = /^\$\{?([A-Za-z_]\w*)(?::?[-=][^}]*)?\}?$/.exec(v);
  return m ? m[1] : undefined;
}

function bindValue(v: string | undefined, dflt: string): BindValue {
  if (v === undefined) return { value: dflt, from: 'default' };
  const envVar = envVarOf(v);
  return envVar ? { value: v, from: 'arg', envVar } : { value: v, from: 'arg' };
}

/** `0.0.0.0:8000`, `:$PORT`, `[::]:8000`, `$HOST:$PORT` → host and port. */
function splitBind(b: string): { host: string; port?: string } | undefined {
  if (b.startsWith('unix:') || b.startsWith('fd://')) return undefined;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.+))?$/.exec(b);
  if (!m) return undefined;
  return { host: m[1] || '0.0.0.0', ...(m[2] !== undefined ? { port: m[2] } : {}) };
}

/**
 * Where a Python server command listens, with each server's documented defaults: uvicorn,
 * hypercorn and daphne default to 127.0.0.1:8000, `flask run` to 127.0.0.1:5000, `manage.py
 * runserver` to 127.0.0.1:8000, waitress to 0.0.0.0:8080; gunicorn binds `0.0.0.0:$PORT` when
 * PORT is set and no `--bind` is given. Undefined for anything else or when a config file or
 * environment option may set the address (`-c gunicorn.conf.py`, `GUNICORN_CMD_ARGS`).
 */
export function serverBinding(cmd: SimpleCommand, env: Record<string, unknown> = {}): ServerBinding | undefined {
  const { prog, args } = programOf(cmd);
  // The servers also read their address from the environment (UVICORN_HOST, FLASK_RUN_PORT...).
  const envKeys = [...Object.keys(cmd.env), ...Object.keys(env)];
  if (prog === 'uvicorn') {
    if (args.includes('--fd') || args.includes('--uds') || envKeys.some((k) => k.startsWith('UVICORN_'))) return undefined;
    return {
      server: 'uvicorn',
      host: bindValue(flagValue(args, ['--host']), '127.0.0.1'),
      port: bindValue(flagValue(args, ['--port']), '8000'),
      fixArgs: '--host 0.0.0.0 --port $PORT',
    };
  }
  if (prog === 'gunicorn' || prog === 'hypercorn') {
    if (flagValue(args, ['-c', '--config']) || envKeys.includes('GUNICORN_CMD_ARGS')) return undefined;
    const b = flagValue(args, ['-b', '--bind']);
    if (b === undefined) {
      return prog === 'gunicorn'
        ? { server: prog, readsPortEnv: true, fixArgs: '--bind 0.0.0.0:$PORT' }
        : { server: prog, host: { value: '127.0.0.1', from: 'default' }, port: { value: '8000', from: 'default' }, fixArgs: '--bind 0.0.0.0:$PORT' };
    }
    const hp = splitBind(b);
    if (!hp) return undefined;
    return { server: prog, host: bindValue(hp.host, '0.0.0.0'), port: bindValue(hp.port, '8000'), fixArgs: '--bind 0.0.0.0:$PORT' };
  }
  if (prog === 'daphne') {
    if (args.includes('-u') || args.includes('--unix-socket') || args.includes('--fd') || args.includes('-e') || args.includes('--endpoint')) return undefined;
    return { server: 'daphne', host: bindValue(flagValue(args, ['-b', '--bind']), '127.0.0.1'), port: bindValue(flagValue(args, ['-p', '--port']), '8000'), fixArgs: '-b 0.0.0.0 -p $PORT' };
  }
  if (prog === 'flask' && args.includes('run')) {
    if (envKeys.some((k) => k.startsWith('FLASK_RUN_'))) return undefined;
    return { server: 'flask run', host: bindValue(flagValue(args, ['--host', '-h']), '127.0.0.1'), port: bindValue(flagValue(args, ['--port', '-p']), '5000'), fixArgs: '--host 0.0.0.0 --port $PORT' };
  }
  const mi = args.indexOf('runserver');
  if (mi >= 0 && (prog === 'manage.py' || (/^python/.test(prog) && /(^|\/)manage\.py$/.test(args[0] ?? '')) || prog === 'django-admin')) {
    const addr = args.slice(mi + 1).find((a) => !a.startsWith('-'));
    let host = '127.0.0.1';
    let port = '8000';
    if (addr) {
      if (/^\d+$/.test(addr) || envVarOf(addr)) port = addr;
      else {
        const hp = splitBind(addr);
        if (!hp) return undefined;
        host = hp.host === '0' ? '0.0.0.0' : hp.host;
        if (hp.port) port = hp.port;
      }
    }
    return { server: 'manage.py runserver', host: addr ? bindValue(host, host) : { value: host, from: 'default' }, port: addr ? bindValue(port, port) : { value: port, from: 'default' }, fixArgs: '0.0.0.0:$PORT' };
  }
  if (prog === 'waitress-serve') {
    const listen = flagValue(args, ['--listen']);
    const hp = listen ? splitBind(listen) : undefined;
    return {
      server: 'waitress-serve',
      host: bindValue(hp?.host ?? flagValue(args, ['--host']), '0.0.0.0'),
      port: bindValue(hp?.port ?? flagValue(args, ['--port']), '8080'),
      fixArgs: '--listen=*:$PORT',
    };
  }
  return undefined;
}

/** True for addresses only the container or machine itself can reach. */
export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

// ---------------------------------------------------------------------------------------------
// Development servers

export interface DevServer {
  /** What runs: `uvicorn --reload`, `manage.py runserver`, `nodemon`, `npm run dev`. */
  what: string;
  /** Why it does not belong in production, in one clause. */
  why: string;
  /** The production command to use instead, when it can be said generically. */
  instead: string;
}

const NODE_DEV: Record<string, DevServer> = {
  nodemon: { what: 'nodemon', why: 'a file watcher that restarts the process on every change and keeps dev tooling in the image', instead: 'node <entry file>' },
  'ts-node-dev': { what: 'ts-node-dev', why: 'compiles TypeScript on the fly and restarts on file changes', instead: 'tsc at build time, then node dist/<entry>.js' },
  tsnd: { what: 'ts-node-dev', why: 'compiles TypeScript on the fly and restarts on file changes', instead: 'tsc at build time, then node dist/<entry>.js' },
  'webpack-dev-server': { what: 'webpack-dev-server', why: 'serves an unoptimised in-memory bundle for development', instead: 'a production build served by a real server' },
};

/** The development server or mode a command starts, if any. */
export function devServer(cmd: SimpleCommand): DevServer | undefined {
  const { prog, args } = programOf(cmd);
  const has = (...xs: string[]) => xs.some((x) => args.includes(x) || args.some((a) => a.startsWith(x + '=')));
  if ((prog === 'uvicorn' || prog === 'hypercorn' || prog === 'gunicorn') && has('--reload')) {
    return {
      what: `${prog} --reload`,
      why: 'starts a file watcher that restarts the server on code changes' + (prog === 'uvicorn' ? ' and runs a single worker process' : ''),
      instead: `${prog === 'uvicorn' ? 'uvicorn ... --workers 2 (without --reload), or gunicorn -k uvicorn.workers.UvicornWorker' : `${prog} without --reload`}`,
    };
  }
  if (args.includes('runserver') && (prog === 'django-admin' || /(^|\/)manage\.py$/.test(args[0] ?? '') || prog === 'manage.py')) {
    return { what: 'manage.py runserver', why: "is Django's development server (\"do not use this server in a production setting\": single process, not security-audited)", instead: 'gunicorn <project>.wsgi:application --bind 0.0.0.0:$PORT' };
  }
  if (prog === 'flask' && args.includes('run')) {
    return { what: 'flask run', why: "is Werkzeug's development server (\"do not use it in a production deployment\")", instead: "gunicorn 'app:create_app()' --bind 0.0.0.0:$PORT (or your module:app)" };
  }
  if (NODE_DEV[prog]) return NODE_DEV[prog];
  if (prog === 'tsx' && args[0] === 'watch') return { what: 'tsx watch', why: 'compiles TypeScript on the fly and restarts on file changes', instead: 'tsc at build time, then node dist/<entry>.js' };
  if (prog === 'node' && has('--watch')) return { what: 'node --watch', why: 'restarts the process on file changes', instead: 'node <entry file>' };
  if ((prog === 'next' || prog === 'nuxt' || prog === 'astro' || prog === 'remix') && args[0] === 'dev') return { what: `${prog} dev`, why: 'is the development server (no production build, hot reloading)', instead: `${prog} build at build time, then ${prog === 'next' ? 'next start' : `${prog} start/preview per its docs`}` };
  if (prog === 'vite' && (args.length === 0 || args[0] === 'dev' || args[0] === 'serve' || args[0]!.startsWith('-'))) return { what: 'vite (dev server)', why: 'serves unbundled modules with hot reloading for development', instead: 'vite build, then serve dist/ with a static server' };
  if (prog === 'ng' && args[0] === 'serve') return { what: 'ng serve', why: 'is the Angular development server', instead: 'ng build, then serve dist/ with a static server' };
  if (prog === 'react-scripts' && args[0] === 'start') return { what: 'react-scripts start', why: 'is the Create React App development server', instead: 'react-scripts build, then serve build/' };
  if (prog === 'webpack' && (args[0] === 'serve' || has('--watch'))) return { what: `webpack ${args[0] === 'serve' ? 'serve' : '--watch'}`, why: 'is a development server or watcher', instead: 'webpack --mode production, then serve the output' };
  if (prog === 'nest' && args[0] === 'start' && has('--watch', '-w')) return { what: 'nest start --watch', why: 'recompiles and restarts on file changes', instead: 'nest build, then node dist/main.js' };
  return undefined;
}

/** `npm run dev`, `yarn dev`, `pnpm start:dev`: script names that mean a development mode. */
export function isDevScriptName(name: string): boolean {
  return /^(dev|develop|development|watch|serve:dev|start:dev|start-dev|dev:server|server:dev|start:watch)$/.test(name);
}
