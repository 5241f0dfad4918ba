import { posix } from 'node:path';
import { defineFacts, globMatcher, type ProjectModel } from '../project.js';
import { parseYaml } from '../yaml.js';
import { asObject, asString, asStringArray, parseJson, type JsonValue } from './json.js';
import { dirOf, loadTsConfig, type TsConfig } from './tsconfig.js';

export type DepField = 'dependencies' | 'devDependencies' | 'peerDependencies' | 'optionalDependencies';
export const DEP_FIELDS: readonly DepField[] = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

export interface DeclaredDep {
  name: string;
  range: string;
  field: DepField;
  line: number;
}

export interface Script {
  name: string;
  command: string;
  line: number;
}

/** A file path the manifest points at (main, bin, exports), with the line that says so. */
export interface ManifestPath {
  path: string;
  /** Repo-relative. */
  resolved: string;
  line: number;
  via: string;
}

/**
 * What a package is for, which decides which rules apply: server rules (ports, routers, env) are
 * for services; frontend bundles resolve aliases and env through their bundler and are left out.
 */
export type PackageKind = 'service' | 'frontend' | 'other';

export interface NodePackage {
  dir: string;
  manifest: string;
  name?: string;
  moduleType: 'module' | 'commonjs';
  /** Every declared dependency by name; a name in several fields keeps the runtime one. */
  deps: Map<string, DeclaredDep>;
  scripts: Map<string, Script>;
  engines: Record<string, string>;
  main?: ManifestPath;
  bin: ManifestPath[];
  exports: ManifestPath[];
  /** package.json `imports` (`#internal/*`) keys. */
  subpathImports: Record<string, JsonValue>;
  /** Workspace globs this package declares (a monorepo root). */
  workspaces: string[];
  /** Directory of the workspace root that includes this package, when there is one. */
  workspaceRoot?: string;
  /** The package's tsconfig.json (extends applied), when it has one. */
  tsconfig?: TsConfig;
  kind: PackageKind;
  /** Line of a key path in package.json. */
  lineOf(path: readonly (string | number)[]): number;
}

/** Dependencies that make a package an HTTP service. */
export const SERVER_FRAMEWORKS = [
  'express', 'fastify', 'koa', '@nestjs/core', '@hapi/hapi', 'hapi', 'restify', 'hono', '@hono/node-server',
  'polka', '@feathersjs/feathers', 'loopback', '@loopback/core', 'sails', '@adonisjs/core', 'micro',
  'apollo-server', '@apollo/server', 'socket.io', 'ws', 'graphql-yoga', 'elysia', 'tinyhttp', '@tinyhttp/app',
];

/** Dependencies of browser or full-stack-framework apps, whose bundler handles aliases and env. */
const FRONTEND_MARKERS = [
  'react', 'react-dom', 'vue', 'svelte', '@angular/core', 'solid-js', 'preact', 'next', 'nuxt', 'vite',
  '@sveltejs/kit', 'astro', 'expo', 'react-native', 'gatsby', '@remix-run/react', 'webpack', 'parcel',
  'electron', '@vitejs/plugin-react',
];

/** Package directories under these folder names are test data, not deployable code. */
const FIXTURE_DIRS = new Set(['fixtures', '__fixtures__', '__mocks__', 'node_modules']);

export const PACKAGE_FILES = [
  '**/package.json',
  '**/tsconfig*.json',
  '**/jsconfig.json',
  'pnpm-workspace.yaml',
  'lerna.json',
  '**/nest-cli.json',
] as const;

/** Every package.json in the repository (monorepo packages included), parsed once. */
export const nodePackages = defineFacts('node-packages', (model): NodePackage[] => {
  const out: NodePackage[] = [];
  for (const manifest of model.read('**/package.json')) {
    if (manifest.split('/').some((seg) => FIXTURE_DIRS.has(seg))) continue;
    const pkg = readPackage(model, manifest);
    if (pkg) out.push(pkg);
  }
  linkWorkspaces(model, out);
  return out.sort((a, b) => b.dir.length - a.dir.length || (a.dir < b.dir ? -1 : 1));
});

/** The package a file belongs to: the nearest package.json above it. */
export function packageOf(packages: readonly NodePackage[], file: string): NodePackage | undefined {
  // Sorted deepest first, so the first prefix match is the nearest.
  for (const p of packages) if (p.dir === '' || file.startsWith(p.dir + '/')) return p;
  return undefined;
}

function readPackage(model: ProjectModel, manifest: string): NodePackage | undefined {
  const text = model.text(manifest);
  if (text === undefined) return undefined;
  const parsed = parseJson(text, { strict: true });
  const json = asObject(parsed.value);
  if (!json) {
    model.parseNotice(manifest, `package.json does not parse: ${parsed.error?.message ?? 'not an object'}`);
    return undefined;
  }
  const dir = dirOf(manifest);
  const at = (p: string): string => posix.normalize(posix.join(dir, p)).replace(/\/$/, '');

  const deps = new Map<string, DeclaredDep>();
  // Later fields never replace an earlier one: `dependencies` wins over `devDependencies`.
  for (const field of DEP_FIELDS) {
    const block = asObject(json[field]);
    if (!block) continue;
    for (const [name, range] of Object.entries(block)) {
      if (!deps.has(name)) deps.set(name, { name, range: asString(range) ?? '', field, line: parsed.lineOf([field, name]) });
    }
  }

  const scripts = new Map<string, Script>();
  for (const [name, cmd] of Object.entries(asObject(json.scripts) ?? {})) {
    if (typeof cmd === 'string') scripts.set(name, { name, command: cmd, line: parsed.lineOf(['scripts', name]) });
  }

  const engines: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(json.engines) ?? {})) if (typeof v === 'string') engines[k] = v;

  const mainValue = asString(json.main);
  const main = mainValue ? { path: mainValue, resolved: at(mainValue), line: parsed.lineOf(['main']), via: 'main' } : undefined;

  const bin: ManifestPath[] = [];
  if (typeof json.bin === 'string') bin.push({ path: json.bin, resolved: at(json.bin), line: parsed.lineOf(['bin']), via: 'bin' });
  for (const [name, p] of Object.entries(asObject(json.bin) ?? {})) {
    if (typeof p === 'string') bin.push({ path: p, resolved: at(p), line: parsed.lineOf(['bin', name]), via: `bin.${name}` });
  }

  const exports: ManifestPath[] = [];
  collectExportTargets(json.exports, ['exports'], (p, keyPath) =>
    exports.push({ path: p, resolved: at(p), line: parsed.lineOf(keyPath), via: keyPath.join('.') }),
  );

  let workspaces = asStringArray(json.workspaces);
  if (workspaces.length === 0) workspaces = asStringArray(asObject(json.workspaces)?.packages);

  // tsc and editors use the nearest tsconfig.json up the tree (a monorepo package may have none).
  let tsconfigFile: string | undefined;
  for (let d: string | undefined = dir; d !== undefined && !tsconfigFile; d = d === '' ? undefined : dirOf(d)) {
    tsconfigFile = [`${d ? d + '/' : ''}tsconfig.json`, `${d ? d + '/' : ''}jsconfig.json`].find((f) => model.exists(f));
  }
  const tsconfig = tsconfigFile ? loadTsConfig(model, tsconfigFile) : undefined;

  return {
    dir,
    manifest,
    name: asString(json.name),
    moduleType: json.type === 'module' ? 'module' : 'commonjs',
    deps,
    scripts,
    engines,
    main,
    bin,
    exports,
    subpathImports: asObject(json.imports) ?? {},
    workspaces,
    tsconfig,
    kind: kindOf(deps),
    lineOf: parsed.lineOf,
  };
}

/**
 * A service runs a server framework from its own `dependencies` (a dev or peer dependency on express
 * is a plugin or a bundler's dev server); a frontend has a UI framework or bundler anywhere.
 */
function kindOf(deps: Map<string, DeclaredDep>): PackageKind {
  if (SERVER_FRAMEWORKS.some((n) => deps.get(n)?.field === 'dependencies')) return 'service';
  if (FRONTEND_MARKERS.some((n) => deps.has(n))) return 'frontend';
  return 'other';
}

/** Walks `exports` (string, conditions, subpaths) and reports every file target. */
function collectExportTargets(
  v: JsonValue | undefined,
  keyPath: string[],
  add: (p: string, keyPath: string[]) => void,
  depth = 0,
): void {
  if (depth > 8 || v === undefined || v === null) return;
  if (typeof v === 'string') {
    if (v.startsWith('./') && !v.includes('*')) add(v, keyPath);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => collectExportTargets(x, [...keyPath, String(i)], add, depth + 1));
    return;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) collectExportTargets(x, [...keyPath, k], add, depth + 1);
  }
}

/**
 * Marks which packages a workspace root includes: npm/yarn `workspaces`, pnpm-workspace.yaml,
 * lerna.json `packages`.
 */
function linkWorkspaces(model: ProjectModel, packages: NodePackage[]): void {
  const rootGlobs = new Map<string, string[]>();
  for (const p of packages) if (p.workspaces.length) rootGlobs.set(p.dir, p.workspaces);
  const pnpm = model.text('pnpm-workspace.yaml');
  if (pnpm !== undefined) {
    const v = parseYaml(pnpm).value as { packages?: unknown } | undefined;
    const globs = Array.isArray(v?.packages) ? v.packages.filter((x): x is string => typeof x === 'string') : [];
    if (globs.length) rootGlobs.set('', [...(rootGlobs.get('') ?? []), ...globs]);
  }
  const lerna = model.text('lerna.json');
  if (lerna !== undefined) {
    const globs = asStringArray(asObject(parseJson(lerna).value)?.packages);
    if (globs.length) rootGlobs.set('', [...(rootGlobs.get('') ?? []), ...globs]);
  }
  for (const [root, globs] of rootGlobs) {
    const include = globs.filter((g) => !g.startsWith('!')).map((g) => globMatcher(posix.join(root, g).replace(/\/$/, '')));
    const exclude = globs.filter((g) => g.startsWith('!')).map((g) => globMatcher(posix.join(root, g.slice(1)).replace(/\/$/, '')));
    for (const p of packages) {
      if (p.dir === root || p.workspaceRoot !== undefined) continue;
      if (include.some((m) => m(p.dir)) && !exclude.some((m) => m(p.dir))) p.workspaceRoot = root;
    }
  }
}
