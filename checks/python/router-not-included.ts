import { defineCheck, type Report } from '../../src/engine/check.js';
import { resolvedImports } from '../../src/model/python/imports.js';
import { MODULE_MAP_FILES, pythonModules } from '../../src/model/python/modules.js';
import { isAuxiliaryPath } from '../../src/model/python/reach.js';
import { clientCallPath, pathMatches, pyWebFiles, UNKNOWN, webModel, type FullRoute, type ResolvedWebObject, type WebModel } from '../../src/model/python/web.js';
import type { ProjectModel } from '../../src/model/project.js';

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** The dotted name of `file` as code in `fromFile`'s folder imports it (that folder is on sys.path when it runs). */
function dottedFrom(model: ProjectModel, fromFile: string, file: string): string {
  const base = dirOf(fromFile);
  const rel = base && file.startsWith(`${base}/`) ? file.slice(base.length + 1) : base ? undefined : file;
  return rel ? rel.replace(/(\/__init__)?\.py$/, '').replace(/\//g, '.') : (model.get(pythonModules).moduleNames(file)[0] ?? file.replace(/\.py$/, '').replace(/\//g, '.'));
}

/** How `fromFile` would import the module `file`: like it imports a sibling module, else relative to its own folder. */
function importLine(model: ProjectModel, fromFile: string, file: string, siblingFile?: string): string {
  const stem = file.slice(file.lastIndexOf('/') + 1).replace(/\.py$/, '');
  if (siblingFile) {
    const sibStem = siblingFile.slice(siblingFile.lastIndexOf('/') + 1).replace(/\.py$/, '');
    const imp = (model.get(resolvedImports).get(fromFile) ?? []).find((i) => i.kind === 'from' && i.name === sibStem);
    if (imp) return `from ${'.'.repeat(imp.level)}${imp.module} import ${stem}`;
  }
  const pkg = dottedFrom(model, fromFile, file).split('.').slice(0, -1).join('.');
  return pkg ? `from ${pkg} import ${stem}` : `import ${stem}`;
}

/** The import and include line that would wire `obj` the way its siblings are wired. */
function wiring(model: ProjectModel, wm: WebModel, obj: ResolvedWebObject, app: ResolvedWebObject): { where: string; lines: string } {
  const sibling = wm.includes.find((i) => i.childKey && i.childKey !== obj.key && dirOf(i.childKey.split('#')[0]!) === dirOf(obj.file));
  const target = sibling ? { file: sibling.file, parent: sibling.parent, prefix: sibling.prefixText } : { file: app.file, parent: app.name, prefix: '' };
  const stem = obj.file.slice(obj.file.lastIndexOf('/') + 1).replace(/\.py$/, '');
  const imp = importLine(model, target.file, obj.file, sibling?.childKey?.split('#')[0]);
  const call = obj.kind === 'blueprint' ? `${target.parent}.register_blueprint(${stem}.${obj.name}${target.prefix ? `, url_prefix="${target.prefix}"` : ''})` : `${target.parent}.include_router(${stem}.${obj.name}${target.prefix ? `, prefix="${target.prefix}"` : ''})`;
  return { where: target.file, lines: `${imp}\n${call}` };
}

/** Test-client calls that would hit these routes (the tests that fail because the router is missing). */
function callsInto(model: ProjectModel, routes: FullRoute[]): string[] {
  const out: string[] = [];
  for (const [file, f] of pyWebFiles(model)) {
    for (const c of f.clientCalls) {
      const path = clientCallPath(model, file, c.path);
      if (routes.some((r) => pathMatches(r.fullPath, path) && (r.methods.includes(c.method) || r.methods.includes('*')))) out.push(`${file}:${c.line}`);
    }
  }
  return out;
}

/** Is a module-level function used anywhere but its own definition? */
function functionUsed(model: ProjectModel, file: string, name: string, defLine: number): boolean {
  const word = new RegExp(`(^|[^\\w])${name}(?!\\w)`);
  const own = model.lines(file);
  if (own.some((l, i) => i + 1 !== defLine && word.test(l) && !/^\s*#/.test(l))) return true;
  for (const [other, imps] of model.get(resolvedImports)) {
    if (other === file) continue;
    for (const imp of imps) {
      if (!imp.targets.some((t) => t.path === file || (t.kind !== 'module' && file.startsWith(`${t.path.replace(/\/__init__\.py$/, '')}/`)))) continue;
      if (imp.kind === 'from' && (imp.name === name || imp.name === '*')) return true;
      // `import websocket` / `from . import websocket` then `websocket.handler`
      const attr = new RegExp(`\\.${name}(?!\\w)`);
      if (model.lines(other).some((l) => attr.test(l))) return true;
    }
  }
  return false;
}

export default defineCheck({
  id: 'python/router-not-included',
  title: 'Router, blueprint or websocket endpoint that nothing registers',
  severity: 'high',
  files: [...MODULE_MAP_FILES],
  docs:
    'A FastAPI `APIRouter`, Starlette `Router` or Flask `Blueprint` that defines routes but that no app reaches through ' +
    '`include_router` / `register_blueprint` / `mount` (followed through imports, `__init__` re-exports and nested ' +
    'routers), or a websocket handler (`async def ws(websocket: WebSocket, ...)`) that is defined in a module but never ' +
    'registered with `@app.websocket` nor called from one. The code ships but the endpoints answer 404: the feature is ' +
    'dead in production while the file makes it look done. Silent when the router is used in a way the model does not ' +
    'follow (collected in a list, passed to a function, re-exported by a package), and in projects without an app object.',
  fix: 'Register it with the app: `app.include_router(module.router, prefix="/api/v1")` (FastAPI), `app.register_blueprint(bp)` (Flask), or `@app.websocket("/ws/{channel}")` calling the handler; delete it if it is dead code.',
  effort: 15,
  example: '# backend/websocket.py\nasync def websocket_endpoint(websocket: WebSocket, channel: str):\n    await websocket.accept()\n# main.py never registers it',
  run(model) {
    const wm = model.get(webModel);
    const apps = wm.objects.filter((o) => o.isApp && !isAuxiliaryPath(o.file));
    if (!apps.length) return [];
    const mainApp = apps.find((a) => !wm.includes.some((i) => i.childKey === a.key)) ?? apps[0]!;
    const out: Report[] = [];
    for (const o of wm.objects) {
      if (o.isApp || isAuxiliaryPath(o.file) || wm.reachable.has(o.key) || wm.referencedElsewhere.has(o.key)) continue;
      const routes = wm.routes.filter((r) => r.ownerKey === o.key);
      if (!routes.length) continue;
      const w = wiring(model, wm, o, mainApp);
      const tests = callsInto(model, routes);
      const list = routes.slice(0, 4).map((r) => `${r.methods.join('/')} ${r.fullPath.split(UNKNOWN).join('')}`);
      const kind = o.kind === 'blueprint' ? 'blueprint' : 'router';
      out.push({
        file: o.file,
        line: o.line,
        key: o.name,
        message:
          `The ${kind} \`${o.name}\` in ${o.file}:${o.line} defines ${routes.length} route${routes.length > 1 ? 's' : ''} (${list.join(', ')}${routes.length > 4 ? ', ...' : ''}) ` +
          `but no app ${o.kind === 'blueprint' ? 'registers' : 'includes'} it: those endpoints answer 404 in production` +
          (tests.length ? ` and the ${tests.length} test call${tests.length > 1 ? 's' : ''} to them fail (${tests.slice(0, 3).join(', ')}${tests.length > 3 ? ', ...' : ''}).` : '.'),
        fix: `Wire it in ${w.where}:\n${w.lines}`,
        effort: 10,
      });
    }
    const fastapi = apps.some((a) => a.kind === 'fastapi' || a.kind === 'starlette');
    if (fastapi) {
      for (const [file, f] of pyWebFiles(model)) {
        if (isAuxiliaryPath(file)) continue;
        for (const ws of f.wsFunctions) {
          if (functionUsed(model, file, ws.name, ws.line)) continue;
          const modName = dottedFrom(model, mainApp.file, file);
          out.push({
            file,
            line: ws.line,
            key: `ws:${ws.name}`,
            message: `Websocket handler \`${ws.name}\` in ${file}:${ws.line} takes a WebSocket but no route registers it and nothing calls it: clients connecting for it get a 403/404 and the real-time feature never runs.`,
            fix: `Register it in ${mainApp.file}:\nfrom fastapi import WebSocket\nfrom ${modName} import ${ws.name}\n\n@${mainApp.name}.websocket("/ws/{channel}")\nasync def ${ws.name}_route(websocket: WebSocket, channel: str):\n    await ${ws.name}(websocket, channel)`,
            effort: 15,
          });
        }
      }
    }
    return out;
  },
});
