import { defineCheck, type Report } from '../../src/engine/check.js';
import { MODULE_MAP_FILES } from '../../src/model/python/modules.js';
import { clientCallPath, pathMatches, pyWebFiles, UNKNOWN, webModel, type FullRoute } from '../../src/model/python/web.js';

/** Paths FastAPI serves by itself (unless disabled), and Flask's static folder. */
const BUILTIN: Record<string, string[]> = {
  fastapi: ['/docs', '/docs/oauth2-redirect', '/redoc', '/openapi.json'],
  flask: ['/static/{p:path}'],
  quart: ['/static/{p:path}'],
};

const shown = (p: string): string => p.replace(new RegExp(UNKNOWN, 'g'), '{…}');

/** Routes sharing the most leading segments with the request, for the message. */
function closest(routes: FullRoute[], path: string): string[] {
  const segs = path.split('/').filter(Boolean);
  const score = (r: FullRoute): number => {
    const rs = r.fullPath.split('/').filter(Boolean);
    let n = 0;
    while (n < rs.length && n < segs.length && rs[n] === segs[n]) n++;
    return n;
  };
  return [...new Set(routes.filter((r) => !r.fullPath.includes(UNKNOWN)).sort((a, b) => score(b) - score(a)).map((r) => `${r.methods.join('/')} ${r.fullPath}`))].slice(0, 4);
}

function methodServes(route: FullRoute, method: string): boolean {
  if (method === 'OPTIONS' || route.methods.includes('*')) return true;
  if (method === 'WEBSOCKET') return route.websocket;
  if (route.websocket) return false;
  return route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'));
}

export default defineCheck({
  id: 'python/route-missing',
  title: 'Tests call an endpoint that no route defines',
  severity: 'high',
  files: [...MODULE_MAP_FILES],
  docs:
    'A test-client call (`client.post("/api/v1/auth/login")` on a FastAPI/Starlette `TestClient`, an httpx ' +
    '`AsyncClient`, a Flask `test_client()` or a pytest fixture named `client`) whose path no route of the app serves. ' +
    'Full paths are computed like the framework does: `include_router(prefix=)` plus `APIRouter(prefix=)` plus the ' +
    'decorator path, Flask `register_blueprint(url_prefix=)`, Starlette `Mount`; prefixes held in settings fields or ' +
    'module constants (`settings.API_V1_STR`) are read from their defaults. The endpoint answers 404 (or 405 when only ' +
    'other methods exist): the test suite fails and so does every client that was built against it, which usually ' +
    'means a router was never written or never wired. Silent when the app mounts something the model cannot list at ' +
    'that prefix (a sub-application, GraphQL, a dynamic include), for Django projects, for resource-style routing the model does not list (flask-restful/restx `add_resource`, connexion), and in tests that assert a 404. ' +
    'A path served by a router that no app includes is python/router-not-included\'s finding (reported once, at the router).',
  fix: 'Add the missing endpoint (a router with the path, included in the app with the right prefix), or correct the path the test calls.',
  effort: 60,
  example: '# tests/test_api.py\nclient.post("/api/v1/auth/login", json={...})\n# but no router defines /auth/login under /api/v1',
  run(model) {
    const files = pyWebFiles(model);
    if ([...files.values()].some((f) => f.djangoUrls?.length || f.dynamicRoutes)) return [];
    const wm = model.get(webModel);
    const apps = wm.objects.filter((o) => o.isApp);
    if (!apps.length) return [];
    const opaque = wm.opaquePrefixes;
    if (opaque.some((p) => p === '' || p === '/' || p.startsWith(UNKNOWN))) return [];
    const builtins = [...new Set(apps.flatMap((a) => BUILTIN[a.kind] ?? []))];
    // Routes that may serve a request: everything reached from an app, plus routers the model cannot place.
    const serving = wm.routes.filter((r) => r.reachable || !r.ownerKey || wm.referencedElsewhere.has(r.ownerKey));
    const dead = wm.routes.filter((r) => !serving.includes(r));
    const mainApp = apps.find((a) => !wm.includes.some((i) => i.childKey === a.key)) ?? apps[0]!;

    const out: Report[] = [];
    for (const [file, f] of files) {
      // Docs, examples and project templates call apps of their own.
      if (/(^|\/)(docs?|examples?|samples?)\/|\{\{|\{%/.test(file)) continue;
      const seen = new Set<string>();
      for (const call of f.clientCalls) {
        if (call.expectsMissing) continue;
        const path = clientCallPath(model, file, call.path);
        if (!path.startsWith('/') && !path.startsWith(UNKNOWN)) continue;
        const key = `${call.method} ${path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (builtins.some((b) => pathMatches(b, path))) continue;
        if (opaque.some((p) => pathMatches(`${p.replace(/\/$/, '')}/{rest:path}`, path))) continue;
        const byPath = serving.filter((r) => pathMatches(r.fullPath, path));
        if (byPath.some((r) => methodServes(r, call.method))) continue;
        const where = `${file}:${call.line}`;
        // A route on a router nobody includes: python/router-not-included reports the router once, with these calls.
        if (dead.some((r) => r.ownerKey && pathMatches(r.fullPath, path) && methodServes(r, call.method))) continue;
        if (byPath.length) {
          const methods = [...new Set(byPath.flatMap((r) => (r.websocket ? ['WEBSOCKET'] : r.methods)))];
          out.push({
            file,
            line: call.line,
            key: `${key}:method`,
            message: `${where} calls ${call.method} ${shown(path)}, but the route at ${byPath[0]!.file}:${byPath[0]!.line} (\`${byPath[0]!.fullPath}\`) only accepts ${methods.join(', ')}: the request gets 405 Method Not Allowed.`,
            fix: `Add \`@router.${call.method.toLowerCase()}(...)\` for this path next to ${byPath[0]!.file}:${byPath[0]!.line}, or call it with ${methods[0]} in the test.`,
            effort: 30,
          });
          continue;
        }
        const near = closest(serving, path);
        const segs = path.split('/').filter(Boolean);
        const leaf = segs.slice(-1)[0] ?? '';
        const parent = segs.slice(0, -1).join('/');
        out.push({
          file,
          line: call.line,
          key,
          message:
            `${where} calls ${call.method} ${shown(path)}, but no route of the app serves that path: the request gets 404` +
            `${near.length ? ` (closest routes: ${near.join(', ')})` : ''}, so the feature the test expects does not exist in the deployed API.`,
          fix: `Write the endpoint and wire it, e.g. a router file with \`router = APIRouter(prefix="/${segs.slice(-2, -1)[0] ?? ''}")\` and \`@router.${call.method === 'WEBSOCKET' ? 'websocket' : call.method.toLowerCase()}("/${leaf}")\`, included in ${mainApp.file} with \`${mainApp.name}.include_router(<module>.router, prefix="/${parent.split('/').slice(0, -1).join('/')}")\`; or fix the path in the test.`,
          effort: 90,
        });
      }
    }
    return out;
  },
});
