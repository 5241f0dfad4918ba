import { defineCheck, type Report } from '../../src/engine/check.js';
import {
  NODE_DEPLOY_FILES,
  NODE_MODEL_FILES,
  expandScript,
  installModeFor,
  isRuntimeImport,
  nodeGraph,
  nodeRuntime,
  programArgv,
  type NodePackage,
  type ResolvedImport,
} from '../../src/model/node/index.js';
import type { ProjectModel } from '../../src/model/project.js';

/** Build tools that bundle dependencies into the output, so the runtime needs no node_modules entry. */
const BUNDLERS = new Set(['esbuild', 'webpack', 'tsup', 'rollup', 'ncc', 'parcel', 'vite', 'rspack', 'rolldown', 'pkg', 'bun']);

export default defineCheck({
  id: 'node/dev-dependency-at-runtime',
  title: 'Runtime import of a devDependency in a production-only install',
  severity: 'critical',
  files: [...NODE_MODEL_FILES, ...NODE_DEPLOY_FILES],
  docs:
    'Code the server loads at run time (reachable from its start entry through imports that survive compilation) ' +
    'imports a package listed only under devDependencies, while the deploy installs production dependencies only: ' +
    '`npm ci --omit=dev` / `--production`, `yarn install --production`, `pnpm install --prod`, `npm prune --production`, ' +
    'an install with NODE_ENV=production (npm, yarn and pnpm then skip devDependencies), node_modules copied from such a stage, ' +
    "or Heroku's Node.js buildpack, which prunes devDependencies after the build. The image has no such module and the " +
    'process crashes at start with `Cannot find module`. Imports tsc erases (used only as types), imports under a ' +
    'NODE_ENV or try/catch guard, and bundled builds (esbuild, webpack, tsup...) are not reported.',
  fix: 'Move the package from "devDependencies" to "dependencies" (`npm install <name> --save-prod`).',
  effort: 5,
  example: '# Dockerfile: RUN npm ci --omit=dev\n// package.json: "devDependencies": { "pg": "^8" }\nimport { Pool } from \'pg\';',
  run(model) {
    const graph = model.get(nodeGraph);
    const runtime = model.get(nodeRuntime);
    const out: Report[] = [];
    for (const pkg of graph.packages) {
      if (pkg.kind === 'frontend' || bundles(pkg)) continue;
      const files = runtime.get(pkg.dir)?.files;
      if (!files || files.size === 0) continue;
      const mode = installModeFor(model, pkg);
      if (!mode?.prodOnly) continue;
      const first = new Map<string, ResolvedImport>();
      for (const f of [...files].sort()) {
        for (const r of graph.imports.get(f) ?? []) {
          if (r.to.kind !== 'package' || r.guarded || !isRuntimeImport(r, pkg)) continue;
          if (pkg.deps.get(r.to.name)?.field !== 'devDependencies' || first.has(r.to.name)) continue;
          first.set(r.to.name, r);
        }
      }
      for (const [name, r] of first) out.push(report(model, pkg, name, r, mode));
    }
    return out;
  },
});

function bundles(pkg: NodePackage): boolean {
  return expandScript(pkg, 'build').some((s) => BUNDLERS.has((programArgv(s.argv)[0] ?? '').split('/').pop() ?? '') && !(s.argv[0] === 'bun' && s.argv[1] !== 'build'));
}

function report(_model: ProjectModel, pkg: NodePackage, name: string, r: ResolvedImport, mode: NonNullable<ReturnType<typeof installModeFor>>): Report {
  const dep = pkg.deps.get(name)!;
  return {
    file: r.from,
    line: r.line,
    key: name,
    message:
      `${r.from}:${r.line} imports \`${r.spec}\` at run time, but ${pkg.manifest}:${dep.line} lists \`${name}\` under ` +
      `devDependencies only, and the deploy installs production dependencies only (${mode.file}:${mode.line}: ${mode.how}). ` +
      `The deployed node_modules has no \`${name}\`, so the server crashes at start with \`Cannot find module '${name}'\`.`,
    fix:
      `Move \`"${name}": "${dep.range}"\` from "devDependencies" to "dependencies" in ${pkg.manifest} ` +
      `(\`npm install ${name} --save-prod\`${pkg.dir ? ` in ${pkg.dir}/` : ''}).`,
  };
}
