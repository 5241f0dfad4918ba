import { posix } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ProjectModel } from '../project.js';
import { asObject, asString, parseJson, type JsonValue } from './json.js';
import type { NodePackage } from './packages.js';
import { isBuiltin, isRelative, packageNameOf } from './specifiers.js';
import { dirOf } from './tsconfig.js';

export type Resolution =
  | { kind: 'file'; path: string }
  | { kind: 'builtin' }
  | { kind: 'package'; name: string }
  /** A relative, alias or `#` import that names no file in the repository. */
  | { kind: 'missing'; target: string; via: 'relative' | 'alias' | 'subpath-import'; caseMismatch?: string }
  /** Points at build output or a gitignored file, made by a build or generator: not judged. */
  | { kind: 'generated'; target: string }
  /** URLs, `virtual:` modules, aliases of tools we do not read: not judged. */
  | { kind: 'external' };

/** Extensions tried for an extensionless specifier, in TypeScript's then Node's order. */
const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.d.mts', '.d.cts', '.json', '.node'];

/** A `.js` specifier in TypeScript names the `.ts` file tsc compiles to it. */
const TS_TWINS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

/** Folder names that usually hold generated code, when the folder is not in the repository. */
const GENERATED_DIRS = new Set(['dist', 'build', 'out', 'lib', 'generated', '__generated__', 'gen', '.generated', 'codegen', '.prisma', 'prisma-client']);

export const GITIGNORE_GLOB = '**/.gitignore';

/**
 * Resolves import specifiers the way Node and TypeScript do, against the repository listing
 * (no file system): relative paths with extension and index rules, `.js` → `.ts` twins, tsconfig
 * `paths` and `baseUrl`, package.json `imports`, module-alias; anything else is a package.
 */
export class Resolver {
  private lowerIndex: Map<string, string> | undefined;
  private readonly gitignores: { base: string; ig: Ignore }[] = [];
  private readonly outDirs: string[];
  private readonly cache = new Map<string, Resolution>();

  constructor(
    private readonly model: ProjectModel,
    packages: readonly NodePackage[],
  ) {
    this.outDirs = packages.flatMap((p) => (p.tsconfig?.outDir ? [p.tsconfig.outDir] : []));
    for (const f of model.read(GITIGNORE_GLOB)) {
      this.gitignores.push({ base: dirOf(f), ig: ignore().add(model.text(f) ?? '') });
    }
  }

  resolve(from: string, spec: string, pkg: NodePackage): Resolution {
    const key = `${dirOf(from)}\0${spec}\0${pkg.dir}`;
    let r = this.cache.get(key);
    if (!r) {
      r = this.compute(from, spec, pkg);
      this.cache.set(key, r);
    }
    return r;
  }

  private compute(from: string, rawSpec: string, pkg: NodePackage): Resolution {
    const spec = rawSpec.replace(/[?#].*$/, '') || rawSpec;
    if (isBuiltin(spec)) return { kind: 'builtin' };
    if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) return { kind: 'external' };
    if (isRelative(spec)) {
      const target = posix.normalize(spec.startsWith('/') ? spec.slice(1) : posix.join(dirOf(from), spec));
      return this.fileOrMissing(target, 'relative');
    }
    if (spec.startsWith('#')) return this.subpathImport(spec, pkg);

    const ts = pkg.tsconfig;
    const name = packageNameOf(spec);
    // A bare specifier that lands on a .d.ts (`"*": ["node_modules/*", "src/types/*"]`) got
    // types only; at run time Node loads the package.
    const local = (f: string): Resolution => (name && /\.d\.[cm]?ts$/.test(f) ? { kind: 'package', name } : { kind: 'file', path: f });
    let aliasTarget: string | undefined;
    for (const { pattern, targets } of ts?.paths ?? []) {
      const star = matchPattern(pattern, spec);
      if (star === undefined) continue;
      for (const t of targets) {
        const target = t.replace('*', star);
        if (target.split('/').includes('node_modules')) {
          if (name) return { kind: 'package', name };
          continue;
        }
        const f = this.resolveFile(target);
        if (f) return local(f);
        aliasTarget ??= target;
      }
      // `"*": [...]` matches every specifier; TypeScript then falls back to node_modules.
      if (pattern === '*') aliasTarget = undefined;
      break;
    }
    if (ts?.baseUrl !== undefined) {
      const f = this.resolveFile(posix.join(ts.baseUrl, spec));
      if (f) return local(f);
    }
    const alias = this.moduleAlias(spec, pkg);
    if (alias) return alias;
    if (aliasTarget !== undefined && !(name && this.declaredAnywhere(name, pkg))) {
      return this.fileOrMissing(aliasTarget, 'alias');
    }
    return name ? { kind: 'package', name } : { kind: 'external' };
  }

  private declaredAnywhere(name: string, pkg: NodePackage): boolean {
    return pkg.deps.has(name);
  }

  private fileOrMissing(target: string, via: 'relative' | 'alias' | 'subpath-import'): Resolution {
    if (target.startsWith('../') || target === '..') return { kind: 'external' };
    const f = this.resolveFile(target);
    if (f) return { kind: 'file', path: f };
    if (this.looksGenerated(target)) return { kind: 'generated', target };
    return { kind: 'missing', target, via, caseMismatch: this.caseMatch(target) };
  }

  /** The file a path names after extension and index rules, or undefined. */
  resolveFile(base: string): string | undefined {
    const m = this.model;
    if (m.exists(base)) return base;
    const ext = posix.extname(base);
    for (const twin of TS_TWINS[ext] ?? []) {
      const p = base.slice(0, -ext.length) + twin;
      if (m.exists(p)) return p;
    }
    for (const e of EXTENSIONS) if (m.exists(base + e)) return base + e;
    if (m.dirExists(base)) {
      const manifest = m.text(`${base}/package.json`);
      if (manifest !== undefined) {
        const main = asString(asObject(parseJson(manifest).value)?.main);
        if (main) {
          const p = posix.join(base, main);
          if (m.exists(p)) return p;
          for (const e of EXTENSIONS) if (m.exists(p + e)) return p + e;
        }
      }
      for (const e of EXTENSIONS) if (m.exists(`${base}/index${e}`)) return `${base}/index${e}`;
    }
    return undefined;
  }

  /** A file that differs only in letter case (works on macOS, fails on Linux). */
  private caseMatch(target: string): string | undefined {
    if (!this.lowerIndex) {
      this.lowerIndex = new Map();
      for (const p of this.model.allPaths()) this.lowerIndex.set(p.toLowerCase(), p);
    }
    const lower = target.toLowerCase();
    const candidates = [lower, ...EXTENSIONS.map((e) => lower + e), ...EXTENSIONS.map((e) => `${lower}/index${e}`)];
    const ext = posix.extname(lower);
    for (const twin of TS_TWINS[ext] ?? []) candidates.push(lower.slice(0, -ext.length) + twin);
    for (const c of candidates) {
      const hit = this.lowerIndex.get(c);
      if (hit) return hit;
    }
    return undefined;
  }

  /**
   * Output of a build or generator: under a tsconfig outDir, under a dist/generated folder the
   * repository does not contain, or matched by a .gitignore (a file made at build time, or kept
   * out of git on purpose; either way not something the listing can judge).
   */
  private looksGenerated(target: string): boolean {
    if (this.outDirs.some((o) => o !== '' && (target === o || target.startsWith(o + '/')))) return true;
    const segs = target.split('/');
    for (let i = 0; i < segs.length - 1; i++) {
      if (GENERATED_DIRS.has(segs[i]!) && !this.model.dirExists(segs.slice(0, i + 1).join('/'))) return true;
    }
    const tries = [target, ...['.ts', '.js', '.json', '.d.ts', '.mjs', '.cjs'].map((e) => target + e), `${target}/`];
    for (const { base, ig } of this.gitignores) {
      if (base !== '' && !target.startsWith(base + '/')) continue;
      const rel = (p: string): string => (base ? p.slice(base.length + 1) : p);
      try {
        if (tries.some((t) => ig.ignores(rel(t)))) return true;
        // A parent folder that is ignored ignores everything below it.
        for (let i = 1; i < segs.length; i++) if (ig.ignores(rel(`${segs.slice(0, i).join('/')}/`))) return true;
      } catch {
        // `ignore` rejects some relative shapes; treat as not ignored.
      }
    }
    return false;
  }

  /** package.json `imports`: `#db` / `#lib/*` → a file in the package. */
  private subpathImport(spec: string, pkg: NodePackage): Resolution {
    for (const [pattern, value] of Object.entries(pkg.subpathImports)) {
      const star = matchPattern(pattern, spec);
      if (star === undefined) continue;
      const t = conditionTarget(value);
      if (t === undefined) return { kind: 'external' };
      if (!t.startsWith('./')) {
        const name = packageNameOf(t);
        return name ? { kind: 'package', name } : { kind: 'external' };
      }
      return this.fileOrMissing(posix.join(pkg.dir, t.replace('*', star)), 'subpath-import');
    }
    return { kind: 'missing', target: spec, via: 'subpath-import' };
  }

  /** module-alias's `_moduleAliases` in package.json (`"@root": "."`). */
  private moduleAlias(spec: string, pkg: NodePackage): Resolution | undefined {
    const text = this.model.text(pkg.manifest);
    if (!text || !text.includes('_moduleAliases')) return undefined;
    const aliases = asObject(asObject(parseJson(text).value)?._moduleAliases);
    for (const [alias, target] of Object.entries(aliases ?? {})) {
      if (typeof target !== 'string' || (spec !== alias && !spec.startsWith(alias + '/'))) continue;
      const f = this.resolveFile(posix.join(pkg.dir, target, spec.slice(alias.length)));
      return f ? { kind: 'file', path: f } : { kind: 'external' };
    }
    return undefined;
  }
}

/** Matches `@/*` against `@/utils/x` (→ `utils/x`); exact patterns give ''. */
function matchPattern(pattern: string, spec: string): string | undefined {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === spec ? '' : undefined;
  const pre = pattern.slice(0, star);
  const post = pattern.slice(star + 1);
  if (spec.length < pre.length + post.length || !spec.startsWith(pre) || !spec.endsWith(post)) return undefined;
  return spec.slice(pre.length, spec.length - post.length);
}

/** The first string target of an `imports`/`exports` value (conditions in declaration order). */
function conditionTarget(v: JsonValue | undefined, depth = 0): string | undefined {
  if (typeof v === 'string') return v;
  if (depth > 6 || v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    for (const x of v) {
      const t = conditionTarget(x, depth + 1);
      if (t) return t;
    }
    return undefined;
  }
  if (typeof v === 'object') {
    for (const k of ['node', 'import', 'require', 'default', ...Object.keys(v)]) {
      const t = conditionTarget(v[k], depth + 1);
      if (t) return t;
    }
  }
  return undefined;
}
