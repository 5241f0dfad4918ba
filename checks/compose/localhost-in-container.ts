import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { COMPOSE_GLOBS, DOCKERFILE_GLOBS, envFiles, findInterpolations, stageChain } from '../../src/model/deploy/index.js';
import {
  isDevService,
  composeStacks,
  COMPOSE_USAGE_GLOBS,
  dockerfileOf,
  envFileKeys,
  interpolationDefinitions,
  storeOfService,
  type ComposeStack,
  type StackService,
} from '../../src/model/compose-extra.js';
import type { ProjectModel } from '../../src/model/project.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
/** Browser-facing settings, where localhost is right: the browser runs on the host. */
const BROWSER_FACING = /(PUBLIC|ORIGIN|CORS|ALLOWED|REDIRECT|CALLBACK|FRONTEND|SITE|DOMAIN|HOSTS|VITE_|REACT_APP_|CLIENT|BROWSER|WEBHOOK|EXTERNAL|_HOST_URL)/i;
/** Names of URLs one service calls on another. */
const SERVER_TO_SERVER = /(API|BACKEND|SERVICE|INTERNAL|UPSTREAM|GRPC|RPC|WORKER|ENGINE|INFERENCE|MODEL_SERVER|AUTH_SERVER|_SVC)/i;
/** `*_HOST` style names and the store they usually point at. */
const HOST_VAR = /(^|_)(HOST|HOSTNAME|SERVER|ADDR|ADDRESS)$/i;
const HOST_PREFIX: [RegExp, string[]][] = [
  [/(POSTGRES|PG|PSQL)/i, ['postgres']],
  [/(MYSQL|MARIADB)/i, ['mysql']],
  [/MONGO/i, ['mongo']],
  [/REDIS|CACHE/i, ['redis']],
  [/(RABBIT|AMQP|BROKER)/i, ['rabbitmq', 'redis']],
  [/ELASTIC|OPENSEARCH/i, ['elasticsearch']],
  [/KAFKA/i, ['kafka']],
  [/(^|_)(DB|DATABASE)(_|$)/i, ['postgres', 'mysql', 'mongo', 'mssql']],
];

interface Target {
  service: StackService;
  /** The port to use from inside the network. */
  port?: number;
}

function containerPorts(model: ProjectModel, s: StackService): { target: number; published?: number }[] {
  const out: { target: number; published?: number }[] = [];
  for (const d of s.defs) {
    for (const p of d.ports) {
      const t = Number(p.target?.split('-')[0]);
      if (!Number.isFinite(t)) continue;
      const pub = Number(p.published?.split('-')[0]);
      out.push(Number.isFinite(pub) ? { target: t, published: pub } : { target: t });
    }
    for (const e of d.expose) {
      const t = Number(e.value.split('/')[0]);
      if (Number.isFinite(t)) out.push({ target: t });
    }
  }
  const df = dockerfileOf(model, s);
  if (df) for (const st of stageChain(df)) for (const e of st.expose) {
    const t = Number(e.port.split('/')[0]);
    if (Number.isFinite(t)) out.push({ target: t });
  }
  return out;
}

/** The other service a loopback address was meant for, if the stack has exactly one candidate. */
function targetFor(model: ProjectModel, stack: ComposeStack, self: StackService, kinds: string[], port: number | undefined): Target | undefined {
  const found: Target[] = [];
  for (const s of stack.services.values()) {
    if (s === self) continue;
    const store = storeOfService(model, s);
    if (kinds.length) {
      if (!store || !kinds.includes(store.kind)) continue;
      const ports = containerPorts(model, s);
      const mapped = port !== undefined ? ports.find((p) => p.published === port) : undefined;
      found.push({ service: s, port: mapped?.target ?? store.port });
      continue;
    }
    if (port === undefined) continue;
    const ports = containerPorts(model, s);
    const hit = ports.find((p) => p.published === port) ?? ports.find((p) => p.target === port && p.published === undefined);
    if (hit) found.push({ service: s, port: hit.target });
  }
  return found.length === 1 ? found[0] : undefined;
}

interface Hit {
  target: Target;
  fixed: string;
  what: string;
  confident: boolean;
}

/** Judges one variable's value; undefined when it does not point a loopback address at another service. */
function judge(model: ProjectModel, stack: ComposeStack, self: StackService, name: string, value: string): Hit | undefined {
  const probe = value.replace(/\$\{[^}]*\}/g, 'x');
  const urlMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(probe);
  if (urlMatch) {
    let url: URL;
    try {
      url = new URL(probe);
    } catch {
      return undefined;
    }
    if (!LOOPBACK.has(url.hostname)) return undefined;
    const scheme = urlMatch[1]!.toLowerCase().split('+')[0]!;
    const port = url.port ? Number(url.port) : undefined;
    const isWeb = ['http', 'https', 'ws', 'wss'].includes(scheme);
    // a web URL is often the public address (links in emails, redirects): only judge server-to-server names
    if (isWeb && (BROWSER_FACING.test(name) || !SERVER_TO_SERVER.test(name))) return undefined;
    const kinds = isWeb ? [] : storeKindsForScheme(scheme);
    if (!isWeb && kinds.length === 0) return undefined;
    const target = targetFor(model, stack, self, kinds, port ?? (isWeb ? (scheme.endsWith('s') ? 443 : 80) : undefined));
    if (!target) return undefined;
    const hostPort = `${url.hostname}${url.port ? ':' + url.port : ''}`;
    const newHostPort = `${target.service.name}${url.port || (isWeb && target.port !== undefined) ? ':' + target.port : ''}`;
    return { target, fixed: value.replace(hostPort, newHostPort), what: `${scheme} URL`, confident: !isWeb };
  }
  if (!HOST_VAR.test(name) || BROWSER_FACING.test(name)) return undefined;
  const [host, portText] = probe.split(':');
  if (!host || !LOOPBACK.has(host)) return undefined;
  const kinds = HOST_PREFIX.find(([re]) => re.test(name))?.[1];
  let target: Target | undefined;
  if (kinds) target = targetFor(model, stack, self, kinds, portText ? Number(portText) : undefined);
  else {
    // API_HOST=localhost next to a service called `api`
    const prefix = name.replace(HOST_VAR, '').toLowerCase().replace(/_/g, '-');
    const s = [...stack.services.values()].find((x) => x !== self && (x.name.toLowerCase() === prefix || x.name.toLowerCase().replace(/_/g, '-') === prefix));
    if (s) target = { service: s };
  }
  if (!target) return undefined;
  return { target, fixed: value.replace(host, target.service.name), what: 'host', confident: kinds !== undefined };
}

function storeKindsForScheme(scheme: string): string[] {
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return ['postgres'];
    case 'mysql':
    case 'mariadb':
      return ['mysql'];
    case 'mongodb':
      return ['mongo'];
    case 'redis':
    case 'rediss':
      return ['redis'];
    case 'amqp':
    case 'amqps':
      return ['rabbitmq'];
    case 'kafka':
      return ['kafka'];
    case 'mssql':
    case 'sqlserver':
      return ['mssql'];
    case 'clickhouse':
      return ['clickhouse'];
    default:
      return [];
  }
}

/** `${X:-default}` as the whole value: judged by its default only when nothing defines X. */
function effectiveValue(value: string, defined: Map<string, string>): string | undefined {
  const whole = findInterpolations(value);
  const first = whole[0];
  if (first && first.raw === value) {
    if (defined.has(first.name)) return undefined;
    return first.modifier === ':-' || first.modifier === '-' ? first.operand : undefined;
  }
  return value;
}

export default defineCheck({
  id: 'compose/localhost-in-container',
  title: 'Service reaches another compose service through localhost',
  severity: 'high',
  files: [...COMPOSE_GLOBS, ...DOCKERFILE_GLOBS, ...COMPOSE_USAGE_GLOBS, '**/.env', '**/.env.*', '**/*.env'],
  docs:
    'Inside a container, `localhost` / `127.0.0.1` is the container itself. A `DATABASE_URL=postgresql://u:p@localhost:5432/db` ' +
    '(or `REDIS_URL=redis://127.0.0.1`, `DB_HOST=localhost`) that works when the app runs on a laptop fails with ' +
    '"connection refused" once the app runs in compose next to a `db` service, which is reachable by its service name. ' +
    'Checked: `environment:` values and the files named in `env_file:` (a git-ignored `.env` by its template, at ' +
    'medium). Database and broker URLs and `*_HOST` variables are matched to the one service of that kind in the ' +
    'same compose stack; `http://localhost:PORT` only when the port is another service\'s and the variable names a ' +
    'server-to-server call (`*API*`, `BACKEND`, `INTERNAL`, `SERVICE`...), never for browser-facing ones (CORS origins, ' +
    'public and site URLs, callbacks, where localhost is right). Services with `network_mode` ' +
    '(host, or `service:x`, which shares x\'s localhost) are silent.',
  fix: 'Use the compose service name as the host (`@db:5432`, `redis://redis:6379`), and the container port, not the published one.',
  effort: 5,
  example: 'services:\n  api:\n    environment:\n      DATABASE_URL: postgresql://app:pw@localhost:5432/app\n  db:\n    image: postgres:16',
  run(model) {
    const out: Report[] = [];
    const envByFile = new Map(model.get(envFiles).map((e) => [e.file, e]));
    const fromEnvFiles = new Map<string, { hit: Hit; services: string[]; line: number; file: string; name: string; value: string; template: boolean; dev: boolean }>();
    for (const stack of model.get(composeStacks)) {
      const defined = interpolationDefinitions(model, stack.files[0]!);
      for (const s of stack.services.values()) {
        if (s.networkMode || s.incomplete || s.extendsBase) continue;
        const dev = isDevService(model, s);
        const own = new Set<string>();
        for (const e of s.environment) {
          own.add(e.name);
          if (e.value === undefined) continue;
          const v = effectiveValue(e.value, defined);
          if (v === undefined) continue;
          const hit = judge(model, stack, s, e.name, v);
          if (!hit) continue;
          let severity: Severity = hit.confident ? 'high' : 'medium';
          if (dev) severity = severity === 'high' ? 'medium' : 'low';
          out.push({
            file: e.file,
            line: e.line,
            key: `${s.name}:${e.name}`,
            severity,
            message: `\`${e.name}\` of service \`${s.name}\` points at ${v.includes('127.0.0.1') ? '127.0.0.1' : 'localhost'} (\`${v}\`), which inside the \`${s.name}\` container is the container itself, not the \`${hit.target.service.name}\` service: the connection is refused as soon as it runs in compose.`,
            fix: `Use the service name: \`${e.name}: ${hit.fixed}\``,
          });
        }
        for (const f of s.envFiles) {
          const keys = envFileKeys(model, f.path);
          if (!keys.known) continue;
          const ef = envByFile.get(keys.file);
          if (!ef) continue;
          for (const entry of ef.entries) {
            if (own.has(entry.name)) continue; // `environment:` wins over env_file
            const hit = judge(model, stack, s, entry.name, entry.value);
            if (!hit) continue;
            const k = `${ef.file}:${entry.name}`;
            const prev = fromEnvFiles.get(k);
            if (prev) {
              if (!prev.services.includes(s.name)) prev.services.push(s.name);
              prev.dev &&= dev;
              continue;
            }
            fromEnvFiles.set(k, { hit, services: [s.name], line: entry.line, file: ef.file, name: entry.name, value: entry.value, template: keys.template && keys.file !== f.path, dev });
          }
        }
      }
    }
    for (const x of fromEnvFiles.values()) {
      let severity: Severity = x.hit.confident && !x.template ? 'high' : 'medium';
      if (x.dev) severity = severity === 'high' ? 'medium' : 'low';
      const who = x.services.map((n) => `\`${n}\``).join(', ');
      out.push({
        file: x.file,
        line: x.line,
        key: x.name,
        severity,
        message:
          `\`${x.name}=${x.value}\` in ${x.file}${x.template ? ' (the template of the git-ignored env file)' : ''} is loaded into ${who} by \`env_file\`, but inside a container localhost is the container itself, not the \`${x.hit.target.service.name}\` service: the connection is refused in compose.`,
        fix: `Set \`${x.name}=${x.hit.fixed}\` for the containers: in ${x.file}, or override it in the service's \`environment:\` (which wins over env_file) if the file is also used outside Docker.`,
      });
    }
    return out;
  },
});
