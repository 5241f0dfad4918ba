import { defineCheck, type Report } from '../../src/engine/check.js';
import { DEPLOY_FILES } from '../../src/model/deploy/files.js';
import { PLATFORM_FILES } from '../../src/model/platform/files.js';
import { isLoopback, serverBinding, startPaths, type ServerBinding, type StartPath } from '../../src/model/platform/start-paths.js';
import type { Severity } from '../../src/engine/types.js';
import type { SimpleCommand } from '../../src/model/shell.js';

const PLATFORM_NAMES: Record<string, string> = { heroku: 'Heroku', railway: 'Railway', nixpacks: 'Nixpacks', render: 'Render', fly: 'Fly' };

export default defineCheck({
  id: 'platform/port-not-bound',
  title: 'Web process does not listen where the platform sends traffic',
  severity: 'critical',
  files: [...DEPLOY_FILES, ...PLATFORM_FILES],
  docs:
    'The web process of a deploy must listen on all interfaces and on the port the platform routes to. Heroku, ' +
    'Railway and Nixpacks hand the process a `PORT` variable and route only there; Fly routes to the `internal_port` ' +
    'of fly.toml; a container is reached on its own network interface, never on its 127.0.0.1. This rule reads the ' +
    'server command (uvicorn, gunicorn, hypercorn, daphne, `flask run`, `manage.py runserver`, waitress) with each ' +
    "server's documented defaults (uvicorn and `flask run` listen on 127.0.0.1 unless told otherwise) and reports: a " +
    'fixed or default port where the platform assigns `$PORT`, a port that differs from fly.toml `internal_port`, a ' +
    'loopback host, and `$PORT` in a command that runs without a shell (exec-form `CMD [..., "$PORT"]`, or a Railway ' +
    'start command on a Dockerfile build) where it is passed on as the literal text `$PORT`. The platform then marks ' +
    'the deploy unhealthy ("Web process failed to bind to $PORT within 60 seconds", "connection refused").',
  fix: 'Listen on 0.0.0.0 and on the port the platform gives: `--host 0.0.0.0 --port $PORT` (run through a shell).',
  effort: 5,
  example: 'web: uvicorn app.main:app --port 8000   # Heroku routes to $PORT; uvicorn also defaults to 127.0.0.1',
  run(model) {
    const out: Report[] = [];
    const paths = model.get(startPaths);
    for (const sp of paths) {
      if (sp.role !== 'web') continue;
      // fly.toml without a command runs the image's CMD: judge that command against internal_port.
      const commands =
        sp.commands.length === 0 && sp.dockerfile ? (paths.find((p) => p.origin === 'dockerfile' && p.file === sp.dockerfile)?.commands ?? []) : sp.commands;
      const r = exec(sp, commands) ?? bound(sp, commands);
      if (r) out.push({ file: sp.file, line: sp.line, ...r, ...(sp.devOnly && (r.severity ?? 'critical') === 'critical' ? { severity: 'high' as const } : {}) });
    }
    return out;
  },
});

type Problem = Omit<Report, 'file' | 'line'>;

function where(sp: StartPath): string {
  return sp.text ? `${sp.key} (\`${sp.text}\`)` : `${sp.key} of ${sp.dockerfile ?? 'the image'}`;
}

/** `$PORT` in words that no shell expands. */
function exec(sp: StartPath, commands: SimpleCommand[]): Problem | undefined {
  if (sp.shell !== false) return undefined;
  if (!commands.flatMap((c) => c.argv).some((a) => /\$\{?PORT\b/.test(a))) return undefined;
  // Name it as written (`$PORT`, `${PORT:-8000}`); the parsed words spell every variable `${PORT}`.
  const word = /\$\{?PORT(?::?-[^}\s]*)?\}?/.exec(sp.text)?.[0] ?? '$PORT';
  const railway = sp.origin === 'railway';
  const cmd = commands.map((c) => c.argv.join(' ')).join(' && ');
  return {
    key: `${sp.name}:exec-port`,
    message:
      `${where(sp)} passes \`${word}\` ${railway ? `but Railway runs the start command of a Dockerfile build (${sp.dockerfile}) without a shell` : 'in exec form, which Docker runs without a shell'}: ` +
      `the server receives the literal text \`${word}\` as its port and exits ("Invalid value for '--port'"), so the container never listens.`,
    fix: railway
      ? `Wrap it in a shell: \`/bin/sh -c "exec ${cmd.replace(/"/g, '\\"')}"\`.`
      : `Use the shell form, or a shell in exec form: \`CMD ["sh", "-c", "exec ${cmd.replace(/"/g, '\\"').replace(/\$\{?PORT\}?/g, '${PORT:-8000}')}"]\`.`,
  };
}

function bound(sp: StartPath, commands: SimpleCommand[]): Problem | undefined {
  let b: ServerBinding | undefined;
  for (const c of commands) if ((b = serverBinding(c, sp.env))) break;
  if (!b) return undefined;
  const platform = PLATFORM_NAMES[sp.origin];
  const hostDesc = (v: { value: string; from: string }) => (v.from === 'default' ? `${v.value} (${b!.server}'s default when no host is given)` : v.value);
  if (b.host && isLoopback(b.host.value)) {
    const reach = platform ? `${platform}'s router` : 'anything outside the container (published ports, other services, the load balancer)';
    return {
      key: `${sp.name}:host`,
      message: `${where(sp)} listens on ${hostDesc(b.host)}, which only the ${platform ? 'instance' : 'container'} itself can reach: ${reach} gets "connection refused" and the service never becomes healthy.`,
      fix: `Bind all interfaces: add \`${b.server === 'manage.py runserver' ? '0.0.0.0:$PORT' : b.fixArgs}\` to the command${sp.shell === false ? ' (through `sh -c` so $PORT expands)' : ''}.`,
    };
  }
  if (sp.origin === 'fly' && sp.internalPort && b.port && !b.port.envVar) {
    if (String(sp.internalPort.value) === b.port.value) return undefined;
    return {
      key: `${sp.name}:fly-port`,
      message: `${where(sp)} listens on port ${b.port.value}${b.port.from === 'default' ? ` (${b.server}'s default)` : ''}, but fly.toml routes to internal_port ${sp.internalPort.value} (line ${sp.internalPort.line}): Fly's proxy finds nothing listening and the health checks fail.`,
      fix: `Make them agree: set \`internal_port = ${b.port.value}\` in fly.toml, or listen on ${sp.internalPort.value} (\`${b.fixArgs.replace('$PORT', String(sp.internalPort.value))}\`).`,
    };
  }
  if (!sp.setsPort || sp.origin === 'render' || b.readsPortEnv || !b.port) return undefined;
  if (b.port.envVar) return undefined; // $PORT, or another variable we cannot judge
  const severity: Severity = sp.origin === 'heroku' ? 'critical' : 'high';
  return {
    key: `${sp.name}:port`,
    severity,
    message:
      `${where(sp)} listens on port ${b.port.value}${b.port.from === 'default' ? ` (${b.server}'s default when no port is given)` : ''}, but ${platform} assigns the port in \`$PORT\` and routes only there` +
      `${sp.origin === 'heroku' ? ': the dyno is killed with "Web process failed to bind to $PORT within 60 seconds of launch" (R10).' : ': requests reach nothing unless the service\'s target port is set to ' + b.port.value + ' by hand.'}`,
    fix: `Listen on the assigned port: \`${b.fixArgs}\`${sp.origin === 'railway' || sp.origin === 'nixpacks' ? ' (or use `${PORT:-' + b.port.value + '}` to keep the local default)' : ''}.`,
  };
}
