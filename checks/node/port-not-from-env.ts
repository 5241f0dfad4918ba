import { defineCheck, type Report } from '../../src/engine/check.js';
import {
  NODE_DEPLOY_FILES,
  NODE_MODEL_FILES,
  deployEnvFor,
  isContainerised,
  nodeGraph,
  nodeRuntime,
  platformsFor,
  type ListenRecord,
  type NodePackage,
  type PlatformInfo,
  type ValueInfo,
} from '../../src/model/node/index.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', 'ip6-localhost']);
/** Platforms that hand the app its port in $PORT and route only there. */
const PORT_ASSIGNING: ReadonlySet<string> = new Set(['heroku', 'railway', 'nixpacks']);

const PLATFORM_FAILURE: Record<string, string> = {
  heroku: 'Heroku routes only to $PORT: the dyno never answers there and is killed after 60 s with R10 (Boot timeout)',
  railway: 'Railway routes only to $PORT: every request fails with "Application failed to respond"',
  nixpacks: 'the platform routes only to $PORT: every request fails with 502',
};

export default defineCheck({
  id: 'node/port-not-from-env',
  title: 'Server binds a fixed port or a local-only host',
  severity: 'critical',
  files: [...NODE_MODEL_FILES, ...NODE_DEPLOY_FILES],
  docs:
    'The HTTP server started by `listen()` (Express, Fastify, Koa, Nest, http.createServer, Hono\'s serve) binds a port or ' +
    'host the deploy cannot reach. A fixed port (`app.listen(3000)`) is critical on Heroku, Railway and Nixpacks, which ' +
    'assign the port in $PORT and route only to it, and on Fly when it differs from fly.toml `internal_port`; in ' +
    'Docker or compose a fixed port is fine (EXPOSE and port mappings name it), and Render detects the port a service ' +
    'binds, so neither is reported (a fixed port is not a blocker there, and a medium would be noise). A local-only host ' +
    "(`localhost`, `127.0.0.1`, or Fastify's default, which is localhost when no host is given) accepts connections from " +
    'inside the container or machine only: critical when the app runs in a container or on a platform, medium ' +
    'otherwise (a reverse proxy on the same host can still reach it). A secondary server on a fixed port (metrics) ' +
    'next to one that binds $PORT is not reported. For Node code this is the one report; platform/port-not-bound ' +
    'covers the ports written in start commands.',
  fix: "Bind the platform's port on all interfaces: `app.listen(Number(process.env.PORT) || 3000, '0.0.0.0')`.",
  effort: 5,
  example: "app.listen(3000);   // Procfile: web: node dist/index.js\nfastify.listen({ port: Number(process.env.PORT) }); // host defaults to localhost",
  run(model) {
    const graph = model.get(nodeGraph);
    const runtime = model.get(nodeRuntime);
    const out: Report[] = [];
    for (const pkg of graph.packages) {
      if (pkg.kind === 'frontend') continue;
      const files = runtime.get(pkg.dir)?.files ?? new Set<string>();
      const listens = [...files].sort().flatMap((f) => (graph.program.files.get(f)?.listens ?? []).map((l) => ({ file: f, l })));
      if (listens.length === 0) continue;
      const platforms = platformsFor(model, pkg);
      const deployed = platforms.length > 0 || isContainerised(model, pkg);
      const provided = deployEnvFor(model, pkg);
      // A server that binds $PORT (or something we cannot read) makes fixed-port ones secondary.
      const anyDynamicPort = listens.some(({ l }) => l.port !== undefined && l.port.kind !== 'literal');
      for (const { file, l } of listens) {
        const fixed = fixedPort(l, platforms, anyDynamicPort);
        const host = localHost(l, provided);
        const a = fixed && fixedPortReport(pkg, file, l, fixed);
        const h = host && hostProblem(file, l, host, deployed, platforms);
        // Both wrong in one call: one report, since one line changes.
        if (a && h) out.push({ ...a, key: `listen:${l.text}`, message: `${a.message} It also ${h.text}.`, fix: `${a.fix} ${h.fix}` });
        else if (a) out.push(a);
        else if (h) out.push(localHostReport(file, l, h));
      }
    }
    return out;
  },
});

function fixedPort(l: ListenRecord, platforms: PlatformInfo[], anyDynamicPort: boolean): PlatformInfo | undefined {
  if (l.port?.kind !== 'literal' || !/^\d+$/.test(l.port.value) || anyDynamicPort) return undefined;
  const port = l.port.value;
  return platforms.find((p) => PORT_ASSIGNING.has(p.platform) || (p.platform === 'fly' && p.internalPort !== undefined && p.internalPort !== port));
}

function fixedPortReport(pkg: NodePackage, file: string, l: ListenRecord, p: PlatformInfo): Report {
  const port = (l.port as { value: string }).value;
  const why =
    p.platform === 'fly'
      ? `${p.file} routes traffic to internal_port ${p.internalPort}: nothing answers there and Fly's proxy reports the machine as not listening`
      : PLATFORM_FAILURE[p.platform]!;
  return {
    file,
    line: l.line,
    key: `port:${l.text}`,
    severity: 'critical',
    message: `${file}:${l.line} \`${l.text}\` binds the fixed port ${port}, but ${pkg.dir || 'the app'} is deployed through ${p.file}: ${why}.`,
    fix:
      p.platform === 'fly'
        ? `Listen on ${p.internalPort} (or set internal_port = ${port} in ${p.file}); better: \`process.env.PORT\` with \`[env] PORT = "${p.internalPort}"\`.`
        : `Replace the port with \`Number(process.env.PORT) || ${port}\` in ${file}:${l.line}.`,
  };
}

interface LocalHost {
  value: string;
  /** Where the local host comes from: written in the call, a fallback, or Fastify's default. */
  how: 'literal' | 'fallback' | 'fastify-default';
}

function localHost(l: ListenRecord, provided: Map<string, unknown>): LocalHost | undefined {
  const h: ValueInfo | undefined = l.host;
  if (!h) return l.framework === 'fastify' || l.framework === 'nest-fastify' ? { value: 'localhost', how: 'fastify-default' } : undefined;
  if (h.kind === 'literal' && LOCAL_HOSTS.has(h.value)) return { value: h.value, how: 'literal' };
  // `process.env.HOST || 'localhost'` is local unless the deploy sets HOST.
  if (h.kind === 'env' && h.fallback && LOCAL_HOSTS.has(h.fallback) && !provided.has(h.name)) return { value: h.fallback, how: 'fallback' };
  return undefined;
}

interface HostProblem {
  /** `binds host 127.0.0.1, which accepts ...` without the call. */
  text: string;
  fix: string;
  deployed: boolean;
}

function hostProblem(file: string, l: ListenRecord, h: LocalHost, deployed: boolean, platforms: PlatformInfo[]): HostProblem {
  const where = platforms[0]?.file;
  const what =
    h.how === 'fastify-default'
      ? `passes no host, and Fastify then binds ${h.value} only`
      : h.how === 'fallback'
        ? `falls back to host ${h.value} because the deploy does not set ${(l.host as { name: string }).name}`
        : `binds host ${h.value}`;
  const consequence = !deployed
    ? 'which accepts connections from the same machine only; any deploy that reaches it from outside (a container, a platform router, a load balancer) gets connection refused'
    : where
      ? `which accepts connections from inside the machine only: the router of the platform (${where}) cannot reach it and every request fails with 502`
      : 'which accepts connections from inside the container only: the port mapping cannot reach it and every request fails with connection refused';
  const fix =
    l.framework === 'fastify' || l.framework === 'nest-fastify'
      ? `Pass \`host: '0.0.0.0'\` (Fastify: \`listen({ port, host: '0.0.0.0' })\`; Nest: \`app.listen(port, '0.0.0.0')\`) in ${file}:${l.line}.`
      : `Drop the host argument or pass '0.0.0.0' in ${file}:${l.line}.`;
  return { text: `${what}, ${consequence}`, fix, deployed };
}

function localHostReport(file: string, l: ListenRecord, p: HostProblem): Report {
  return {
    file,
    line: l.line,
    key: `host:${l.text}`,
    severity: p.deployed ? 'critical' : 'medium',
    message: `${file}:${l.line} \`${l.text}\` ${p.text}.`,
    fix: p.fix,
  };
}
