import { posix } from 'node:path';
import { globMatcher, type ProjectModel } from '../project.js';
import { asObject, asString, asStringArray, parseJson, type JsonValue } from './json.js';

/**
 * The compiler options that decide where modules resolve and where the build writes, with every
 * path already made repo-relative (resolved against the config file that declared it, as tsc does).
 */
export interface TsConfig {
  /** The tsconfig file these options were read from (the end of the extends chain). */
  file: string;
  outDir?: string;
  rootDir?: string;
  baseUrl?: string;
  /** `paths` patterns and their repo-relative targets, in declaration order. */
  paths: { pattern: string; targets: string[] }[];
  /** Directory `paths` targets are relative to (baseUrl, else the declaring config's directory). */
  pathsBase: string;
  allowJs: boolean;
  emitDecoratorMetadata: boolean;
  /** With verbatimModuleSyntax (or preserveValueImports) tsc keeps imports used only as types. */
  keepsTypeImports: boolean;
  noEmit: boolean;
  /** include/exclude/files as repo-relative globs or paths; undefined when not given. */
  include?: string[];
  exclude?: string[];
  files?: string[];
}

/** Bound on `extends` chains (a cycle or a hostile chain stops here). */
const MAX_EXTENDS = 8;

/**
 * Reads a tsconfig (JSONC) and the configs it extends inside the repository. A base from a package
 * (`@tsconfig/node20`) is not in the repo; its options are unknown and simply not applied, which
 * only matters for the few keys above and those bases do not set paths or outDir.
 */
export function loadTsConfig(model: ProjectModel, file: string): TsConfig | undefined {
  const chain: { file: string; options: Record<string, JsonValue>; raw: Record<string, JsonValue> }[] = [];
  const seen = new Set<string>();
  let current: string | undefined = file;
  while (current && chain.length < MAX_EXTENDS && !seen.has(current)) {
    seen.add(current);
    const text = model.text(current);
    if (text === undefined) break;
    const parsed = parseJson(text);
    const raw = asObject(parsed.value);
    if (!raw) {
      model.parseNotice(current, `tsconfig does not parse: ${parsed.error?.message ?? 'not an object'}`);
      break;
    }
    chain.push({ file: current, options: asObject(raw.compilerOptions) ?? {}, raw });
    const ext = raw.extends;
    // TypeScript 5 accepts an array; later entries win, so the last in-repo one is the closest.
    const bases = typeof ext === 'string' ? [ext] : asStringArray(ext);
    current = undefined;
    for (const b of bases.reverse()) {
      if (!b.startsWith('.') && !b.startsWith('/')) continue;
      let target = posix.normalize(posix.join(posix.dirname(chain[chain.length - 1]!.file), b));
      if (!target.endsWith('.json') && !model.exists(target)) target += '.json';
      if (model.exists(target)) {
        current = target;
        break;
      }
    }
  }
  if (chain.length === 0) return undefined;

  // Walk from the farthest base to the file itself so nearer configs override.
  const out: TsConfig = {
    file,
    paths: [],
    pathsBase: posix.dirname(file) === '.' ? '' : posix.dirname(file),
    allowJs: false,
    emitDecoratorMetadata: false,
    keepsTypeImports: false,
    noEmit: false,
  };
  let pathsDeclaredIn: string | undefined;
  for (const { file: f, options, raw } of [...chain].reverse()) {
    const dir = dirOf(f);
    const rel = (p: string): string => posix.normalize(posix.join(dir, p)).replace(/^\.\/?$/, '').replace(/\/$/, '');
    const str = (k: string): string | undefined => asString(options[k]);
    if (str('outDir') !== undefined) out.outDir = rel(str('outDir')!);
    if (str('rootDir') !== undefined) out.rootDir = rel(str('rootDir')!);
    if (str('baseUrl') !== undefined) out.baseUrl = rel(str('baseUrl')!);
    if (typeof options.allowJs === 'boolean') out.allowJs = options.allowJs;
    if (typeof options.emitDecoratorMetadata === 'boolean') out.emitDecoratorMetadata = options.emitDecoratorMetadata;
    if (typeof options.noEmit === 'boolean') out.noEmit = options.noEmit;
    if (options.verbatimModuleSyntax === true || options.preserveValueImports === true) out.keepsTypeImports = true;
    const paths = asObject(options.paths);
    if (paths) {
      out.paths = Object.entries(paths).map(([pattern, targets]) => ({ pattern, targets: asStringArray(targets) }));
      pathsDeclaredIn = dir;
    }
    if (raw.include !== undefined) out.include = asStringArray(raw.include).map(rel);
    if (raw.exclude !== undefined) out.exclude = asStringArray(raw.exclude).map(rel);
    if (raw.files !== undefined) out.files = asStringArray(raw.files).map(rel);
  }
  // `paths` targets resolve against baseUrl when set, else against the config declaring them.
  const base = out.baseUrl ?? pathsDeclaredIn ?? dirOf(file);
  out.pathsBase = base;
  out.paths = out.paths.map(({ pattern, targets }) => ({
    pattern,
    targets: targets.map((t) => posix.normalize(posix.join(base, t)).replace(/^\.\//, '')),
  }));
  return out;
}

/** Repo-relative directory of a file ('' for the root). */
export function dirOf(file: string): string {
  const d = posix.dirname(file);
  return d === '.' ? '' : d;
}

const TS_INPUT = /\.(ts|tsx|mts|cts)$/;
const JS_INPUT = /\.(js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/**
 * The files tsc compiles for this config: `files`, plus `include` (default everything under the
 * config's directory) minus `exclude` (default node_modules and outDir), declarations left out.
 */
export function tscInputs(model: ProjectModel, tc: TsConfig): string[] {
  const dir = dirOf(tc.file);
  const toGlob = (p: string): string => (/[*?{]/.test(p) || /\.[a-z]+$/i.test(posix.basename(p)) ? p : `${p ? p + '/' : ''}**/*`);
  const include = (tc.include ?? [dir]).map(toGlob).map((g) => globMatcher(g));
  const exclude = (tc.exclude ?? [...(tc.outDir !== undefined ? [tc.outDir] : [])]).map(toGlob).map((g) => globMatcher(g));
  const files = new Set(tc.files ?? []);
  const out: string[] = [];
  for (const p of model.allPaths()) {
    if (DECLARATION.test(p) || !(TS_INPUT.test(p) || (tc.allowJs && JS_INPUT.test(p)))) continue;
    if (p.split('/').includes('node_modules')) continue;
    // With `files` and no `include`, tsc compiles only the listed files.
    const included = (tc.include !== undefined || tc.files === undefined) && include.some((m) => m(p));
    if (files.has(p) || (included && !exclude.some((m) => m(p)))) out.push(p);
  }
  return out;
}

/**
 * tsc's rootDir: the explicit one, else the longest common directory of the input files (so a
 * stray `prisma/seed.ts` next to `src/` moves `src/main.ts` to `dist/src/main.js`).
 */
export function tscRootDir(model: ProjectModel, tc: TsConfig): string {
  if (tc.rootDir !== undefined) return tc.rootDir;
  let memo = rootDirMemo.get(model);
  if (!memo) rootDirMemo.set(model, (memo = new Map()));
  let r = memo.get(tc.file);
  if (r === undefined) memo.set(tc.file, (r = commonInputDir(model, tc)));
  return r;
}

const rootDirMemo = new WeakMap<ProjectModel, Map<string, string>>();

function commonInputDir(model: ProjectModel, tc: TsConfig): string {
  const inputs = tscInputs(model, tc);
  if (inputs.length === 0) return dirOf(tc.file);
  let common = dirOf(inputs[0]!).split('/');
  for (const f of inputs) {
    const d = dirOf(f).split('/');
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
    if (common.length === 0) break;
  }
  return common.join('/');
}

/** Where tsc writes a source file: `src/main.ts` → `dist/main.js`. */
export function tscOutputFor(source: string, rootDir: string, outDir: string | undefined): string {
  const toJs = (p: string): string => p.replace(/\.tsx?$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
  // Without outDir tsc writes each .js next to its source.
  if (outDir === undefined) return toJs(source);
  const rel = rootDir === '' ? source : source.startsWith(rootDir + '/') ? source.slice(rootDir.length + 1) : source;
  return outDir ? `${outDir}/${toJs(rel)}` : toJs(rel);
}
