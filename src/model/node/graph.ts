import { posix } from 'node:path';
import { defineFacts, type ProjectModel } from '../project.js';
import { joinPath } from '../shell.js';
import { asObject, asString, parseJson } from './json.js';
import { nodeProgram, type NodeProgram } from './files.js';
import { nodePackages, packageOf, type NodePackage } from './packages.js';
import { Resolver, type Resolution } from './resolve.js';
import { expandScript, nodeTarget } from './scripts.js';
import { dirOf, loadTsConfig, tscRootDir, type TsConfig } from './tsconfig.js';
import type { ImportRecord } from './types.js';
import { isTestFile, isToolingFile } from './roles.js';

export interface ResolvedImport extends ImportRecord {
  from: string;
  to: Resolution;
}

export interface NodeGraph {
  program: NodeProgram;
  packages: NodePackage[];
  resolver: Resolver;
  /** Resolved imports of every parsed file. */
  imports: Map<string, ResolvedImport[]>;
  /** Local file → the imports that load it. */
  importers: Map<string, ResolvedImport[]>;
  packageOf(file: string): NodePackage | undefined;
}

/** Every import of every parsed file, resolved once. */
export const nodeGraph = defineFacts('node-graph', (model): NodeGraph => {
  const program = model.get(nodeProgram);
  const packages = model.get(nodePackages);
  const resolver = new Resolver(model, packages);
  const imports = new Map<string, ResolvedImport[]>();
  const importers = new Map<string, ResolvedImport[]>();
  for (const [file, facts] of program.files) {
    const pkg = packageOf(packages, file);
    if (!pkg) continue;
    const list = facts.imports.map((r): ResolvedImport => ({ ...r, from: file, to: resolver.resolve(file, r.spec, pkg) }));
    imports.set(file, list);
    for (const r of list) {
      if (r.to.kind !== 'file') continue;
      let l = importers.get(r.to.path);
      if (!l) importers.set(r.to.path, (l = []));
      l.push(r);
    }
  }
  return { program, packages, resolver, imports, importers, packageOf: (f) => packageOf(packages, f) };
});

/** True when an import reaches the running program (not types only, not dropped by tsc). */
export function isRuntimeImport(r: ImportRecord, pkg: NodePackage | undefined): boolean {
  if (r.typeOnly) return false;
  if (r.typeUsesOnly && !pkg?.tsconfig?.keepsTypeImports) return false;
  return true;
}

// ------------------------------------------------------------------ entries and runtime reachability

export interface Entry {
  /** Source file the process starts from. */
  source: string;
  /** How we know: `scripts.start`, `main`, `bin.cli`, `nest-cli.json`, `convention`. */
  via: string;
}

export interface PackageRuntime {
  entries: Entry[];
  /** Files the running server loads: reachable from the entries through runtime imports. */
  files: Set<string>;
  /** False when no entry was found and `files` is every non-test, non-tool source instead. */
  fromEntries: boolean;
}

const CONVENTIONAL_ENTRIES = ['src/main', 'src/index', 'src/server', 'src/app', 'main', 'index', 'server', 'app'];
const SOURCE_EXTS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

/** Entries and runtime files of every package, computed once. */
export const nodeRuntime = defineFacts('node-runtime', (model): Map<string, PackageRuntime> => {
  const graph = model.get(nodeGraph);
  const out = new Map<string, PackageRuntime>();
  for (const pkg of graph.packages) out.set(pkg.dir, runtimeOf(model, graph, pkg));
  return out;
});

function runtimeOf(model: ProjectModel, graph: NodeGraph, pkg: NodePackage): PackageRuntime {
  const entries = entriesOf(model, graph, pkg);
  const inPkg = (f: string): boolean => graph.packageOf(f) === pkg;
  if (entries.length === 0) {
    const files = new Set([...graph.program.files.keys()].filter((f) => inPkg(f) && !isTestFile(f) && !isToolingFile(f)));
    return { entries, files, fromEntries: false };
  }
  const files = new Set<string>();
  const queue = entries.map((e) => e.source);
  while (queue.length) {
    const f = queue.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    for (const r of graph.imports.get(f) ?? []) {
      if (r.to.kind === 'file' && !files.has(r.to.path) && isRuntimeImport(r, graph.packageOf(f))) queue.push(r.to.path);
    }
  }
  return { entries, files, fromEntries: true };
}

/** Where the package's process starts: start script, main/bin, nest-cli.json, or a conventional file. */
export function entriesOf(model: ProjectModel, graph: NodeGraph, pkg: NodePackage): Entry[] {
  const out: Entry[] = [];
  const add = (source: string | undefined, via: string): void => {
    if (source && graph.program.files.has(source) && !out.some((e) => e.source === source)) out.push({ source, via });
  };
  for (const step of expandScript(pkg, 'start')) {
    const t = nodeTarget(step);
    if (t) add(sourceFor(model, graph, pkg, t.path), `scripts.${step.script}`);
    if (step.argv[0] === 'nest' && step.argv[1] === 'start') add(nestEntry(model, graph, pkg), 'nest-cli.json');
  }
  if (pkg.main) add(sourceFor(model, graph, pkg, pkg.main.resolved), 'main');
  for (const b of pkg.bin) add(sourceFor(model, graph, pkg, b.resolved), b.via);
  if (out.length === 0 && pkg.deps.has('@nestjs/core')) add(nestEntry(model, graph, pkg), 'nest-cli.json');
  if (out.length === 0) {
    for (const c of CONVENTIONAL_ENTRIES) {
      const base = pkg.dir ? `${pkg.dir}/${c}` : c;
      const hit = SOURCE_EXTS.map((e) => base + e).find((p) => graph.program.files.has(p));
      if (hit) {
        add(hit, 'convention');
        break;
      }
    }
  }
  return out;
}

/** Nest's entry: nest-cli.json `sourceRoot` + `entryFile` (defaults `src` and `main`). */
export function nestEntry(model: ProjectModel, graph: NodeGraph, pkg: NodePackage): string | undefined {
  const cli = model.text(joinPath(pkg.dir, 'nest-cli.json'));
  const json = cli ? asObject(parseJson(cli).value) : undefined;
  const root = asString(json?.sourceRoot) ?? 'src';
  const entry = asString(json?.entryFile) ?? 'main';
  return graph.resolver.resolveFile(joinPath(pkg.dir, `${root}/${entry}`));
}

/** The tsconfigs a package builds with: tsconfig.build.json (Nest, many templates) then tsconfig.json. */
export function buildTsconfigs(model: ProjectModel, pkg: NodePackage): TsConfig[] {
  const out: TsConfig[] = [];
  const build = joinPath(pkg.dir, 'tsconfig.build.json');
  if (model.exists(build)) {
    const tc = loadTsConfig(model, build);
    if (tc) out.push(tc);
  }
  if (pkg.tsconfig) out.push(pkg.tsconfig);
  return out;
}

/**
 * The source file a start target runs: itself when it is a source, else the TypeScript file that
 * compiles to it (`dist/main.js` → `src/main.ts` through outDir/rootDir), else undefined.
 */
export function sourceFor(model: ProjectModel, graph: NodeGraph, pkg: NodePackage, target: string): string | undefined {
  const direct = graph.resolver.resolveFile(target);
  if (direct && graph.program.files.has(direct)) return direct;
  const stem = target.replace(/\.(c|m)?js$/, '');
  for (const tc of buildTsconfigs(model, pkg)) {
    const out = tc.outDir;
    if (out === undefined || !(stem.startsWith(out + '/') || out === '')) continue;
    const rel = out === '' ? stem : stem.slice(out.length + 1);
    const roots = [...new Set([tscRootDir(model, tc), joinPath(pkg.dir, 'src'), pkg.dir])];
    for (const root of roots) {
      const hit = SOURCE_EXTS.map((e) => joinPath(root, rel) + e).find((p) => model.exists(p));
      if (hit) return hit;
    }
  }
  // No tsconfig saying so: dist/x.js usually comes from src/x.ts.
  const m = /^(.*?)(?:^|\/)(dist|build|out|lib)\/(.*)$/.exec(stem);
  if (m) {
    const base = m[1] ?? '';
    for (const root of [joinPath(base, 'src'), base]) {
      const hit = SOURCE_EXTS.map((e) => joinPath(root, m[3]!) + e).find((p) => model.exists(p));
      if (hit) return hit;
    }
  }
  return direct;
}

// ------------------------------------------------------------------ exports closure

export interface ModuleExports {
  names: Set<string>;
  /** Not knowable statically: any name may exist. */
  open: boolean;
  esm: boolean;
  cjs: boolean;
}

const exportsMemo = new WeakMap<NodeGraph, Map<string, ModuleExports>>();

/** A local module's exported names, `export * from` followed through local files. */
export function exportsOf(graph: NodeGraph, file: string, depth = 0): ModuleExports {
  let memo = exportsMemo.get(graph);
  if (!memo) exportsMemo.set(graph, (memo = new Map()));
  const hit = memo.get(file);
  if (hit) return hit;
  const facts = graph.program.files.get(file);
  if (!facts) return { names: new Set(), open: true, esm: false, cjs: false };
  const e = facts.exports;
  const res: ModuleExports = { names: new Set(e.names), open: e.open || (!e.esm && !e.cjs), esm: e.esm, cjs: e.cjs };
  // Placeholder first so a cycle of `export *` ends instead of recursing forever.
  memo.set(file, { ...res, open: true });
  const imports = graph.imports.get(file) ?? [];
  for (const spec of e.stars) {
    const r = imports.find((i) => i.kind === 'reexport-star' && i.spec === spec);
    if (!r || r.to.kind !== 'file' || depth > 20) {
      res.open = true;
      continue;
    }
    const sub = exportsOf(graph, r.to.path, depth + 1);
    if (sub.open) res.open = true;
    // `export *` never re-exports a default.
    for (const n of sub.names) if (n !== 'default') res.names.add(n);
  }
  memo.set(file, res);
  return res;
}

/** Is this a JS/TS module whose exports we parse (not JSON, not a native addon, not an asset)? */
export function isCodeModule(path: string): boolean {
  return /\.(d\.)?[cm]?[jt]sx?$/.test(posix.basename(path));
}

export { dirOf };
