import { defineCheck, type Report } from '../../src/engine/check.js';
import {
  NODE_DEPLOY_FILES,
  NODE_MODEL_FILES,
  buildProduces,
  deployedScripts,
  expandScript,
  nestEntry,
  nodeGraph,
  nodeTarget,
  type NodeGraph,
  type NodePackage,
  type ScriptStep,
} from '../../src/model/node/index.js';
import type { ProjectModel } from '../../src/model/project.js';

/** Runners that execute source files directly: no build can make a missing source appear. */
const SOURCE_RUNNERS = new Set(['ts-node', 'tsx', 'ts-node-dev', 'tsnd', 'babel-node', 'esno', 'esr', 'swc-node', 'vite-node', 'nodemon', 'node-dev']);

export default defineCheck({
  id: 'node/start-target-missing',
  title: 'Start script runs a file that nothing builds',
  severity: 'critical',
  files: [...NODE_MODEL_FILES, ...NODE_DEPLOY_FILES],
  docs:
    '`npm start` (what Heroku, Railway, Render and most Dockerfiles run) starts a file that is neither in the repository ' +
    'nor written by the build: `node dist/index.js` with no build script, a `tsc` whose outDir/rootDir put the file ' +
    'elsewhere (a stray `prisma/seed.ts` next to `src/` makes tsc write `dist/src/main.js`, the classic ' +
    '"Cannot find module dist/main.js" of a Nest deploy), or `ts-node src/server.ts` after the file moved. The deploy ' +
    'builds fine and the process exits at once with `Cannot find module`. `tsc` and `nest build` are followed exactly ' +
    '(tsconfig include/exclude/files, extends, rootDir computed from the inputs as tsc computes it); a step run by any ' +
    'other tool (babel, swc, esbuild, webpack, a shell script) is assumed to produce the file. Besides `start`, the ' +
    'scripts a Dockerfile CMD, compose command or Procfile runs (`npm run start:prod`) are followed into package.json; ' +
    'files those commands name directly are platform/start-target-missing\'s to check.',
  fix: 'Point the start script at the file the build writes, or make the build write it (set `rootDir`/`outDir` in tsconfig, add a `build` script).',
  effort: 10,
  example: '"scripts": { "start": "node dist/index.js" }   // no "build" script, dist/ is gitignored',
  run(model) {
    const graph = model.get(nodeGraph);
    const out: Report[] = [];
    for (const pkg of graph.packages) {
      if (pkg.kind === 'frontend') continue;
      for (const script of deployedScripts(model, pkg)) {
        if (!pkg.scripts.has(script)) continue;
        const steps = expandScript(pkg, script);
        steps.forEach((step, i) => {
          const r = checkStep(model, graph, pkg, step, steps.slice(0, i));
          if (r && !out.some((o) => o.key === r.key)) out.push(r);
        });
      }
    }
    return out;
  },
});

function checkStep(model: ProjectModel, graph: NodeGraph, pkg: NodePackage, step: ScriptStep, before: ScriptStep[]): Report | undefined {
  const where = `${pkg.manifest}:${step.line}`;
  if (step.argv[0] === 'nest' && step.argv[1] === 'start') {
    if (nestEntry(model, graph, pkg)) return undefined;
    return {
      file: pkg.manifest,
      line: step.line,
      key: `${step.script}:nest-entry`,
      message: `"${step.script}" runs \`nest start\`, but the entry file nest-cli.json names (default src/main.ts) does not exist in ${pkg.dir || 'the repository root'}: Nest has nothing to compile and start.`,
      fix: 'Set "sourceRoot" and "entryFile" in nest-cli.json to the file that calls NestFactory.create().',
    };
  }
  const t = nodeTarget(step);
  if (!t) return undefined;
  let target = t.path;
  if (graph.resolver.resolveFile(target)) {
    // `node .` / `node ./dir` run the folder's main; judge that file.
    if (!model.dirExists(target) || !pkg.main || target !== pkg.dir) return undefined;
    target = pkg.main.resolved;
    if (model.exists(target)) return undefined;
  }
  if (t.runner !== 'node' && t.runner !== 'bun' && SOURCE_RUNNERS.has(t.runner)) {
    return {
      file: pkg.manifest,
      line: step.line,
      key: `${step.script}:${t.raw}`,
      message: `"${step.script}" (${where}) runs \`${t.runner} ${t.raw}\`, but ${target} does not exist, and ${t.runner} runs sources, so no build can supply it: the process exits with \`Cannot find module\`.`,
      fix: `Point "${step.script}" at the server's entry file (e.g. the file that calls listen()).`,
    };
  }
  // Node resolves `node dist/main` to dist/main.js.
  if (!/\.[cm]?js$/.test(target)) target += '.js';
  const verdict = buildProduces(model, pkg, target, before);
  if (verdict.produced) return undefined;
  const how = verdict.tscWrites
    ? `the build (${verdict.steps.join('; ')}) writes ${verdict.tscWrites.source} to ${verdict.tscWrites.output}, not ${target}`
    : verdict.steps.length
      ? `the build (${verdict.steps.join('; ')}) does not write it`
      : 'no build script, prestart hook or Dockerfile step produces it';
  const fix = verdict.tscWrites
    ? `Either set \`"rootDir": "${rootOf(verdict.tscWrites.source, verdict.tscWrites.config)}"\` in ${verdict.tscWrites.config} (and exclude files outside it), or change "${step.script}" to \`node ${relTo(pkg, verdict.tscWrites.output)}\`.`
    : `Add \`"build": "tsc"\` (with "outDir" set to match) to ${pkg.manifest} and run it in the deploy before \`npm start\`, or point "${step.script}" at a file that exists.`;
  return {
    file: pkg.manifest,
    line: step.line,
    key: `${step.script}:${t.raw}`,
    message: `"${step.script}" (${where}) runs \`${t.runner} ${t.raw}\`, but ${target} is not in the repository and ${how}. The deploy starts the process and it exits at once with \`Cannot find module '${target}'\`.`,
    fix,
  };
}

/** The top folder of a source, relative to the tsconfig's directory: `./src`. */
function rootOf(source: string, config: string): string {
  const dir = config.includes('/') ? config.slice(0, config.lastIndexOf('/')) : '';
  const rel = dir && source.startsWith(dir + '/') ? source.slice(dir.length + 1) : source;
  const i = rel.indexOf('/');
  return i < 0 ? '.' : `./${rel.slice(0, i)}`;
}

function relTo(pkg: NodePackage, p: string): string {
  return pkg.dir && p.startsWith(pkg.dir + '/') ? p.slice(pkg.dir.length + 1) : p;
}
