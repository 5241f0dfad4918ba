import { defineCheck, type Report } from '../../src/engine/check.js';
import {
  NODE_MODEL_FILES,
  isTestFile,
  isToolingFile,
  nodeGraph,
  isRuntimeImport,
  type NodePackage,
  type ResolvedImport,
} from '../../src/model/node/index.js';

/** Modules the host provides at run time (a VS Code extension's `vscode`). */
const HOST_PROVIDED = new Set(['vscode']);

export default defineCheck({
  id: 'node/undeclared-dependency',
  title: 'Import of a package that package.json does not declare',
  severity: 'critical',
  files: NODE_MODEL_FILES,
  docs:
    'Code imports a package that its own package.json does not list in dependencies, devDependencies, peerDependencies ' +
    'or optionalDependencies (nor the workspace root does). It works on the developer machine only because something else ' +
    'installs it: a dependency that depends on it (npm hoists it to the top of node_modules) or a sibling workspace ' +
    'package. A production install of this package alone (a Docker build of one workspace, `pnpm install` with its strict ' +
    'node_modules, `npm ci` after the other dependency drops it in a minor release) has no such module, and the server ' +
    'dies at start with `Cannot find module`. Imports that never reach the runtime (`import type`, bindings used only as ' +
    'types, which tsc erases), tests, tool configs and `require()` inside try/catch are not reported.',
  fix: 'Declare the package in the importing package\'s package.json: run `npm install <name>` in that package directory (for a workspace sibling, add `"<name>": "workspace:*"`, or `"*"` with npm workspaces).',
  effort: 5,
  example: "// package.json declares express only\nimport debug from 'debug'; // installed only as a dependency of express",
  run(model) {
    const graph = model.get(nodeGraph);
    const byPkg = new Map<string, { pkg: NodePackage; name: string; sites: ResolvedImport[] }>();
    const roots = new Map(graph.packages.map((p) => [p.dir, p]));
    for (const [file, imports] of graph.imports) {
      const pkg = graph.packageOf(file);
      if (!pkg || pkg.kind === 'frontend' || isTestFile(file) || isToolingFile(file)) continue;
      const root = pkg.workspaceRoot !== undefined ? roots.get(pkg.workspaceRoot) : undefined;
      for (const r of imports) {
        // Imports tsc erases (used only as types) never load at run time.
        if (r.to.kind !== 'package' || r.guarded || !isRuntimeImport(r, pkg)) continue;
        const name = r.to.name;
        if (name === pkg.name || HOST_PROVIDED.has(name) || pkg.deps.has(name) || root?.deps.has(name)) continue;
        const key = `${pkg.dir}\0${name}`;
        let e = byPkg.get(key);
        if (!e) byPkg.set(key, (e = { pkg, name, sites: [] }));
        e.sites.push(r);
      }
    }
    const out: Report[] = [];
    for (const { pkg, name, sites } of byPkg.values()) {
      sites.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.line - b.line));
      const first = sites[0]!;
      const others = new Set(sites.map((s) => s.from)).size - 1;
      const workspacePkg = graph.packages.find((p) => p !== pkg && p.name === name);
      const declarer = graph.packages.find((p) => p !== pkg && p.deps.has(name));
      const isWorkspacePkg = workspacePkg !== undefined;
      const why = workspacePkg
        ? `it is the workspace package ${workspacePkg.manifest}, which the package manager links into the root node_modules, so the import only works inside the monorepo checkout`
        : declarer
          ? `${declarer.manifest} declares it, and hoisting into the shared node_modules hides the gap`
          : 'it resolves today only because another dependency installs it and npm hoists it';
      out.push({
        file: first.from,
        line: first.line,
        key: name,
        message:
          `${first.from}:${first.line} imports \`${first.spec}\`${others > 0 ? ` (as do ${others} more file${others > 1 ? 's' : ''})` : ''}, ` +
          `but ${pkg.manifest} does not declare \`${name}\`: ${why}. An install of this package alone (a Docker build of it, ` +
          `pnpm, or \`npm ci\` once the other package stops pulling it in) has no \`${name}\`, and the process fails with ` +
          `\`Cannot find module '${name}'\`.`,
        fix: isWorkspacePkg
          ? `Add \`"${name}": "workspace:*"\` (pnpm/yarn) or \`"${name}": "*"\` (npm workspaces) to "dependencies" in ${pkg.manifest}.`
          : `Run \`npm install ${name}\`${pkg.dir ? ` in ${pkg.dir}/` : ''} so ${pkg.manifest} lists \`"${name}"\` under "dependencies".`,
      });
    }
    return out;
  },
});
