import { defineCheck, type Report } from '../../src/engine/check.js';
import {
  NODE_MODEL_FILES,
  isTestFile,
  isToolingFile,
  nodeGraph,
  type NodeGraph,
  type NodePackage,
  type RouterRecord,
} from '../../src/model/node/index.js';

/** Packages that load route files by scanning a folder: an unimported file may still be mounted. */
const AUTOLOADERS = new Set([
  '@fastify/autoload', 'fastify-autoload', 'consign', 'require-directory', 'require-all', 'express-load', 'glob', 'fast-glob',
  'express-file-routing', 'express-automatic-routes', 'routing-controllers', 'tsoa', 'express-routemagic', 'klaw-sync',
]);

export default defineCheck({
  id: 'node/router-not-mounted',
  title: 'Router or controller that nothing mounts',
  severity: 'high',
  files: NODE_MODEL_FILES,
  docs:
    'An Express or Koa router, a Fastify route plugin or a Nest controller defines routes, but nothing in the running ' +
    'code mounts it: no `app.use(router)` / `app.register(plugin)` in its file, no other file imports it and passes it on, ' +
    'no @Module lists the controller. Its endpoints answer 404 in production, which tests that build their own app ' +
    'around the router do not notice. Packages that load route files by scanning a folder (non-literal require or ' +
    'import, @fastify/autoload, consign, require-directory...) are skipped, as are packages with no server start and ' +
    'scans cut short by the size bound.',
  fix: 'Mount it where the app is built (`app.use(\'/path\', router)`, `app.register(plugin)`), or list the controller in its module\'s `controllers`.',
  effort: 10,
  example: "// src/routes/admin.ts\nconst admin = Router();\nadmin.delete('/users/:id', removeUser);\nexport default admin;   // imported nowhere",
  run(model) {
    const graph = model.get(nodeGraph);
    if (graph.program.partial) return [];
    const out: Report[] = [];
    // A file imported under the wrong letter case is meant to be mounted; node/unresolved-import reports it.
    const caseMisses = new Set<string>();
    for (const list of graph.imports.values()) for (const r of list) if (r.to.kind === 'missing' && r.to.caseMismatch) caseMisses.add(r.to.caseMismatch);
    for (const pkg of graph.packages) {
      if (pkg.kind === 'frontend') continue;
      const files = [...graph.program.files.keys()].filter((f) => graph.packageOf(f) === pkg).sort();
      if (!hasServer(graph, files) || loadsDynamically(graph, files)) continue;
      for (const f of files) {
        if (isTestFile(f) || isToolingFile(f) || caseMisses.has(f)) continue;
        for (const r of graph.program.files.get(f)!.routers) {
          if (!r.usedLocally && !mounted(graph, pkg, f, r)) out.push(report(f, r));
        }
      }
    }
    return out;
  },
});

function hasServer(graph: NodeGraph, files: string[]): boolean {
  return files.some((f) => {
    const facts = graph.program.files.get(f)!;
    return facts.listens.length > 0 || facts.imports.some((i) => i.spec === '@nestjs/core' && i.bindings.some((b) => b.imported === 'NestFactory'));
  });
}

function loadsDynamically(graph: NodeGraph, files: string[]): boolean {
  return files.some((f) => {
    if (isTestFile(f)) return false;
    const facts = graph.program.files.get(f)!;
    return facts.dynamicLoad !== undefined || facts.imports.some((i) => AUTOLOADERS.has(i.spec));
  });
}

/** Does some runtime file import the router's export and use it? */
function mounted(graph: NodeGraph, pkg: NodePackage, file: string, r: RouterRecord): boolean {
  if (r.exportedAs.length === 0) return false;
  for (const imp of graph.importers.get(file) ?? []) {
    if (isTestFile(imp.from) || graph.packageOf(imp.from) !== pkg) continue;
    // Re-exported through a barrel: followed no further, counted as mounted.
    if (imp.kind === 'reexport' || imp.kind === 'reexport-star') return true;
    if (!imp.used) continue;
    if (imp.kind === 'dynamic' && imp.bindings.length === 0) return true;
    if (imp.kind === 'require' && imp.bindings.length === 0) return true;
    if (imp.bindings.some((b) => b.imported === '*' || r.exportedAs.includes(b.imported))) return true;
  }
  return false;
}

function report(file: string, r: RouterRecord): Report {
  const routes = r.routes.slice(0, 4).join(', ') + (r.routes.length > 4 ? `, and ${r.routes.length - 4} more` : '');
  const exported = r.exportedAs.length ? `no file imports its export${r.exportedAs.length > 1 ? 's' : ''} (${r.exportedAs.map((e) => `\`${e}\``).join(', ')}) and uses it` : 'it is neither exported nor passed to anything in its file';
  if (r.framework === 'nest') {
    return {
      file,
      line: r.line,
      key: `nest:${r.name}`,
      message: `Controller \`${r.name}\` (${file}:${r.line}) defines ${routes}, but no @Module lists it in \`controllers\` (${exported}): Nest never registers these routes, and they answer 404.`,
      fix: `Import ${r.name} in the module that owns it and add it to that @Module's \`controllers: [..., ${r.name}]\`.`,
    };
  }
  const what = r.framework === 'fastify' ? `Fastify route plugin \`${r.name}\`` : `${r.framework === 'koa' ? 'Koa' : 'Express'} router \`${r.name}\``;
  const fix =
    r.framework === 'fastify'
      ? `Register it where the app is built: \`app.register(${r.name === 'default export' ? 'routes' : r.name}, { prefix: '/...' })\` with an import of ${file}.`
      : r.framework === 'koa'
        ? `Mount it where the app is built: \`app.use(${r.name}.routes()).use(${r.name}.allowedMethods())\` with an import of ${file}.`
        : `Mount it where the app is built: \`app.use('/<prefix>', ${r.name})\` with an import of ${file}.`;
  return {
    file,
    line: r.line,
    key: `${r.framework}:${r.name}`,
    message: `${what} (${file}:${r.line}) defines ${routes}, but nothing mounts it: ${exported}. These endpoints answer 404 in production.`,
    fix,
  };
}
