import { defineCheck, type Report } from '../../src/engine/check.js';
import {
  NODE_MODEL_FILES,
  exportsOf,
  isCodeModule,
  isTestFile,
  isToolingFile,
  nodeGraph,
  type NodeGraph,
  type ResolvedImport,
} from '../../src/model/node/index.js';

export default defineCheck({
  id: 'node/unresolved-import',
  title: 'Import of a local module or name that does not exist',
  severity: 'critical',
  files: NODE_MODEL_FILES,
  docs:
    'A relative import, a tsconfig `paths` alias or a package.json `#imports` entry that names no file in the repository, ' +
    'or a named import (`import { x } from "./m"`) of a name the local module does not export. tsc stops the build ' +
    '(TS2307/TS2305) and Node stops the process at start (`ERR_MODULE_NOT_FOUND`, `does not provide an export named`). ' +
    'The most common cause is letter case: `./User` finds `user.ts` on macOS and Windows, which ignore case, and fails ' +
    'on the Linux machine that builds the image. Imports into build output or gitignored generated files (dist/, ' +
    'a Prisma client output, codegen) and names of modules whose exports cannot be known (`export *` from a package, ' +
    '`module.exports = factory()`) are not judged.',
  fix: 'Point the import at the file that exists (same letter case), or export the name from the module.',
  effort: 5,
  example: "// src/routes/users.ts exists\nimport { users } from './routes/Users.js';",
  run(model) {
    const graph = model.get(nodeGraph);
    const out: Report[] = [];
    for (const [file, imports] of graph.imports) {
      const pkg = graph.packageOf(file);
      if (!pkg || pkg.kind === 'frontend' || isTestFile(file) || isToolingFile(file)) continue;
      for (const r of imports) {
        if (r.to.kind === 'missing') out.push(missingFile(r));
        else if (r.to.kind === 'file' && !r.typeOnly) out.push(...missingNames(graph, r, pkg.moduleType === 'module'));
      }
    }
    return out;
  },
});

function missingFile(r: ResolvedImport): Report {
  const to = r.to as Extract<ResolvedImport['to'], { kind: 'missing' }>;
  const where = `${r.from}:${r.line}`;
  if (to.caseMismatch) {
    return {
      file: r.from,
      line: r.line,
      key: r.spec,
      message:
        `${where} imports \`${r.spec}\`, but the file is \`${to.caseMismatch}\`: the names differ in letter case. ` +
        'It works on macOS and Windows, whose file systems ignore case, and fails on Linux, where the image is built and run ' +
        `(\`Cannot find module '${r.spec}'\`).`,
      fix: `Change the import to match \`${to.caseMismatch}\` exactly (or rename the file with \`git mv\` so git records the case change).`,
      effort: 3,
    };
  }
  const how =
    to.via === 'alias'
      ? `the tsconfig \`paths\` alias maps it to \`${to.target}\`, which does not exist`
      : to.via === 'subpath-import'
        ? `package.json "imports" ${to.target.startsWith('#') ? 'has no entry for it' : `maps it to \`${to.target}\`, which does not exist`}`
        : `no \`${to.target}\` exists with any of the .ts/.js/.mjs/.cjs/.json extensions or as a folder with an index file`;
  return {
    file: r.from,
    line: r.line,
    key: r.spec,
    message: `${where} imports \`${r.spec}\`, but ${how}. The build fails to compile it, and Node stops at start with \`Cannot find module\`.`,
    fix: `Fix the path in ${where} to the file that exists, or add the missing module at \`${to.target}\`.`,
  };
}

function missingNames(graph: NodeGraph, r: ResolvedImport, pkgIsEsm: boolean): Report[] {
  const target = (r.to as { path: string }).path;
  if (!isCodeModule(target) || !graph.program.files.has(target)) return [];
  if (r.kind !== 'import' && r.kind !== 'reexport') return [];
  const exp = exportsOf(graph, target);
  if (exp.open) return [];
  // A CommonJS module's named exports are only checked for native ESM importers (Node's
  // cjs-module-lexer then decides); TypeScript compiling to CommonJS reads them differently.
  const importerEsm = /\.m[jt]s$/.test(r.from) || (pkgIsEsm && /\.[jt]sx?$/.test(r.from));
  if (exp.cjs && !exp.esm && !importerEsm) return [];
  const out: Report[] = [];
  for (const n of r.named) {
    if (exp.names.has(n.name)) continue;
    out.push({
      file: r.from,
      line: n.line,
      key: `${r.spec}#${n.name}`,
      message:
        `${r.from}:${n.line} imports \`${n.name}\` from \`${r.spec}\`, but ${target} exports no \`${n.name}\`` +
        `${exp.names.size ? ` (it exports ${[...exp.names].slice(0, 6).map((x) => `\`${x}\``).join(', ')})` : ''}. ` +
        `tsc fails with TS2305 and Node with "does not provide an export named '${n.name}'".`,
      fix: `Import one of the names ${target} exports, or add \`export\` to \`${n.name}\` in ${target}.`,
    });
  }
  if (r.defaultImport && exp.esm && !exp.cjs && !exp.names.has('default')) {
    out.push({
      file: r.from,
      line: r.line,
      key: `${r.spec}#default`,
      message:
        `${r.from}:${r.line} imports the default export of \`${r.spec}\`, but ${target} has no \`export default\`. ` +
        "tsc fails with TS1192 and Node with \"does not provide an export named 'default'\".",
      fix: `Use a named import (\`import { ... } from '${r.spec}'\`), or add \`export default\` to ${target}.`,
    });
  }
  return out;
}
