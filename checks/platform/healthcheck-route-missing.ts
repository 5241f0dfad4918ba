import { defineCheck, type Report } from '../../src/engine/check.js';
import { composeFiles } from '../../src/model/deploy/compose.js';
import { isDevCompose } from '../../src/model/deploy/dev-compose.js';
import { dockerfiles } from '../../src/model/deploy/dockerfile.js';
import { DEPLOY_FILES, isDevOnlyPath } from '../../src/model/deploy/files.js';
import { platformFacts } from '../../src/model/platform/configs.js';
import { PLATFORM_FILES } from '../../src/model/platform/files.js';
import type { ProjectModel } from '../../src/model/project.js';
import { MODULE_MAP_FILES } from '../../src/model/python/modules.js';
import { pathMatches, pyWebFiles, UNKNOWN, webModel, type FullRoute } from '../../src/model/python/web.js';

/** Paths the frameworks serve by themselves. */
const BUILTIN: Record<string, string[]> = {
  fastapi: ['/docs', '/docs/oauth2-redirect', '/redoc', '/openapi.json'],
  flask: ['/static/{p:path}'],
  quart: ['/static/{p:path}'],
};

interface HealthCheck {
  file: string;
  line: number;
  path: string;
  /** Service root whose code must serve the path. */
  dir: string;
  what: string;
}

export default defineCheck({
  id: 'platform/healthcheck-route-missing',
  title: 'Health check requests a path no route serves',
  severity: 'high',
  files: [...new Set([...MODULE_MAP_FILES, ...PLATFORM_FILES, ...DEPLOY_FILES])],
  docs:
    'A health check configured for the deploy (railway `healthcheckPath`, render `healthCheckPath`, fly.toml http ' +
    'checks, a Dockerfile `HEALTHCHECK` or compose `healthcheck` that requests `http://localhost:.../path`) asks for a ' +
    'path that no route of the Python app in that service serves. The check gets 404, the platform never marks the ' +
    'deploy healthy and rolls it back (Railway, Render, Fly) or the container stays `unhealthy` and dependants with ' +
    '`condition: service_healthy` never start. Routes are the FastAPI/Starlette/Flask routes the Python model resolves ' +
    '(include prefixes, blueprints, mounts); Django projects, Node services and apps that mount something the model ' +
    'cannot list are left alone.',
  fix: 'Add a GET route at the health check path (e.g. `@app.get("/health")` returning `{"status": "ok"}`), or point the check at a path that exists.',
  effort: 15,
  example: '# railway.json\n"healthcheckPath": "/api/health"\n# but the app only defines /health',
  run(model) {
    const checks = healthChecks(model);
    if (checks.length === 0) return [];
    if ([...pyWebFiles(model).values()].some((f) => f.djangoUrls?.length)) return [];
    const wm = model.get(webModel);
    if (wm.opaquePrefixes.some((p) => p === '' || p === '/' || p.startsWith(UNKNOWN))) return [];
    const out: Report[] = [];
    for (const hc of checks) {
      const inDir = (f: string) => hc.dir === '' || f.startsWith(hc.dir + '/');
      const apps = wm.objects.filter((o) => o.isApp && inDir(o.file));
      if (apps.length === 0) continue;
      if (apps.some((a) => a.unknownRoutes)) continue;
      const builtins = apps.flatMap((a) => BUILTIN[a.kind] ?? []);
      if (builtins.some((b) => pathMatches(b, hc.path))) continue;
      if (wm.opaquePrefixes.some((p) => pathMatches(`${p.replace(/\/$/, '')}/{rest:path}`, hc.path) || pathMatches(p, hc.path))) continue;
      const serving = wm.routes.filter((r) => inDir(r.file) && (r.reachable || !r.ownerKey || wm.referencedElsewhere.has(r.ownerKey)));
      const byPath = serving.filter((r) => pathMatches(r.fullPath, hc.path));
      if (byPath.some((r) => r.methods.includes('GET') || r.methods.includes('*') || r.methods.includes('HEAD'))) continue;
      const app = apps[0]!;
      const near = closest(serving, hc.path);
      out.push({
        file: hc.file,
        line: hc.line,
        key: `${hc.what}:${hc.path}`,
        message:
          (byPath.length
            ? `${hc.what} requests GET ${hc.path}, but the route at ${byPath[0]!.file}:${byPath[0]!.line} only accepts ${byPath[0]!.methods.join(', ')}: the check gets 405`
            : `${hc.what} requests ${hc.path}, but no route of the app in ${app.file} serves it${near.length ? ` (closest: ${near.join(', ')})` : ''}: the check gets 404`) +
          ', so the deploy is never marked healthy and is rolled back or left out of rotation.',
        fix: near.length && !byPath.length
          ? `Point the check at an existing route (\`${near[0]}\`), or add \`@${app.name}.get("${hc.path}")\` returning 200 in ${app.file}.`
          : `Add \`@${app.name}.get("${hc.path}")\` returning 200 (e.g. \`{"status": "ok"}\`) in ${app.file}.`,
      });
    }
    return out;
  },
});

/** Routes sharing the most leading segments with the path, for the message. */
function closest(routes: FullRoute[], path: string): string[] {
  const segs = path.split('/').filter(Boolean);
  const score = (r: FullRoute): number => {
    const rs = r.fullPath.split('/').filter(Boolean);
    let n = 0;
    while (n < rs.length && n < segs.length && rs[n] === segs[n]) n++;
    return n;
  };
  const healthy = (r: FullRoute) => /health|ready|live|ping|status/i.test(r.fullPath);
  return [
    ...new Set(
      routes
        .filter((r) => !r.fullPath.includes(UNKNOWN) && !r.websocket)
        .sort((a, b) => Number(healthy(b)) - Number(healthy(a)) || score(b) - score(a))
        .map((r) => r.fullPath),
    ),
  ].slice(0, 3);
}

/** Health checks of platform files, production Dockerfiles and compose services that hit a local URL. */
function healthChecks(model: ProjectModel): HealthCheck[] {
  const out: HealthCheck[] = model.get(platformFacts).healthchecks.map((h) => ({ file: h.file, line: h.line, path: h.path, dir: h.dir, what: `${h.file} ${h.key}` }));
  for (const df of model.get(dockerfiles)) {
    const hc = df.final?.healthcheck;
    if (!hc || hc.none || isDevOnlyPath(df.file)) continue;
    const path = localPath(hc.text);
    if (path) out.push({ file: df.file, line: hc.line, path, dir: df.dir, what: `The HEALTHCHECK of ${df.file}` });
  }
  for (const cf of model.get(composeFiles)) {
    if (isDevCompose(cf)) continue;
    for (const s of cf.services) {
      if (!s.build || s.build.remote || !s.healthcheck || s.healthcheck.disabled) continue;
      const path = localPath(s.healthcheck.text);
      if (path) out.push({ file: cf.file, line: s.healthcheck.line, path, dir: s.build.context, what: `The healthcheck of service \`${s.name}\`` });
    }
  }
  return out;
}

/** `curl -f http://localhost:8000/health` → `/health`; undefined for anything else. */
function localPath(text: string): string | undefined {
  const m = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::[\w${}:-]+)?(\/[^\s'"`)\]|]*)?/.exec(text);
  if (!m) return undefined;
  const p = (m[1] ?? '/').split('?')[0]!;
  return /[$]/.test(p) ? undefined : p;
}
