import { defineFacts, type ProjectModel } from '../project.js';
import { joinPath } from '../shell.js';
import { pyNames, type TopBinding } from './bindings.js';
import { definePyExtractor, pyFacts, pySyntaxErrorLine } from './files.js';
import { pythonModules, type ModuleMap, type ModuleTarget } from './modules.js';
import type { PyNode } from './parse.js';
import { declaredNames, pythonDependencies } from './deps.js';
import { isKnownImport, looselyProvides, normaliseDist } from './distributions.js';
import { isStdlib } from './stdlib.js';

/**
 * One imported module or name, as written. `import a.b as c, d` gives two records;
 * `from .x import y as z, w` gives two records with kind 'from'.
 */
export interface PyImport {
  /** `import a.b` is 'import'; `from a import b` is 'from'. */
  kind: 'import' | 'from';
  /** The dotted module, without leading dots ('' for `from . import x`). */
  module: string;
  /** Number of leading dots of a relative import (0 = absolute). */
  level: number;
  /** For 'from': the imported name, or '*' for a star import. */
  name?: string;
  /** The `as` name, if any. */
  alias?: string;
  /** 1-based line of this module or name (a multi-line `from x import (...)` gives each name's line). */
  line: number;
  /** 1-based line where the statement starts. */
  statementLine: number;
  /**
   * True when the import may fail without crashing anything: inside `try` with an `except
   * ImportError` (or broader) handler or in that handler, under `if TYPE_CHECKING:`, under a
   * Python version or platform test, or inside `contextlib.suppress(ImportError)`. Rules about
   * missing modules never fire on these.
   */
  guarded: boolean;
  /** Under some other `if` (a feature flag): it runs only sometimes. */
  conditional: boolean;
  /** Under `if __name__ == "__main__":`: runs only when the file is executed as a script. */
  inMain: boolean;
  /** Where it executes: at import time ('module', 'class') or when a function is called. */
  scope: 'module' | 'class' | 'function';
}

/** Everything the import extractor keeps of one file. */
export interface PyFileImports {
  imports: PyImport[];
  /**
   * The file changes sys.path (`sys.path.insert/append/extend`, `site.addsitedir`), so modules may
   * come from folders the module map does not know about.
   */
  editsSysPath: boolean;
}

const IMPORT_ERRORS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);

/** Exception handler types that catch a failed import (bare `except:` too). */
function catchesImportError(tryNode: PyNode): boolean {
  for (const c of tryNode.namedChildren) {
    if (c?.type !== 'except_clause') continue;
    const value = c.childForFieldName('value') ?? c.namedChildren.find((n) => n && n.type !== 'block' && n.type !== 'comment');
    if (!value || value.type === 'block') return true; // bare except
    const names: string[] = [];
    collectNames(value, names);
    if (names.some((n) => IMPORT_ERRORS.has(n))) return true;
  }
  return false;
}

function collectNames(n: PyNode, out: string[]): void {
  if (n.type === 'identifier') out.push(n.text);
  else if (n.type === 'attribute') out.push(n.childForFieldName('attribute')?.text ?? '');
  else for (const c of n.namedChildren) if (c && c.type !== 'as_pattern_target') collectNames(c, out);
}

const PLATFORM_WORDS = /\b(version_info|platform|os\.name|PY2|PY3|PY_2|PY_3|PYPY|IS_PYPY|implementation|hexversion|WINDOWS|IS_WINDOWS|MACOS)\b/;

type Cond = 'type-checking' | 'platform' | 'main' | 'other';

function classifyCondition(cond: PyNode): Cond {
  const t = cond.text;
  if (/\bTYPE_CHECKING\b/.test(t)) return 'type-checking';
  if (/__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__/.test(t)) return 'main';
  if (PLATFORM_WORDS.test(t)) return 'platform';
  // `if Path("hc/local_settings.py").exists():`, `if importlib.util.find_spec("x"):`: the code
  // checks for the module before importing it
  if (/\b(exists|isfile|is_file|find_spec|find_loader|module_available|is_installed)\s*\(/.test(t)) return 'platform';
  return 'other';
}

interface Ctx {
  guarded: boolean;
  conditional: boolean;
  inMain: boolean;
  scope: PyImport['scope'];
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function dottedText(n: PyNode | null): string {
  if (!n) return '';
  return n.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text).join('.');
}

function line(n: PyNode): number {
  return n.startPosition.row + 1;
}

function recordImport(n: PyNode, ctx: Ctx, out: PyImport[]): void {
  const base = { statementLine: line(n), guarded: ctx.guarded, conditional: ctx.conditional, inMain: ctx.inMain, scope: ctx.scope };
  if (n.type === 'import_statement') {
    for (const item of n.childrenForFieldName('name')) {
      if (item.type === 'aliased_import') {
        out.push({ kind: 'import', module: dottedText(item.childForFieldName('name')), level: 0, alias: item.childForFieldName('alias')?.text, line: line(item), ...base });
      } else {
        out.push({ kind: 'import', module: dottedText(item), level: 0, line: line(item), ...base });
      }
    }
    return;
  }
  // import_from_statement / future_import_statement
  let module = '';
  let level = 0;
  const mod = n.childForFieldName('module_name');
  if (n.type === 'future_import_statement') module = '__future__';
  else if (mod?.type === 'relative_import') {
    for (const c of mod.namedChildren) {
      if (c?.type === 'import_prefix') level = c.text.length;
      else if (c?.type === 'dotted_name') module = dottedText(c);
    }
  } else module = dottedText(mod);
  const names = n.childrenForFieldName('name');
  if (names.length === 0 && n.namedChildren.some((c) => c?.type === 'wildcard_import')) {
    out.push({ kind: 'from', module, level, name: '*', line: line(n), ...base });
    return;
  }
  for (const item of names) {
    if (item.type === 'aliased_import') {
      out.push({ kind: 'from', module, level, name: dottedText(item.childForFieldName('name')), alias: item.childForFieldName('alias')?.text, line: line(item), ...base });
    } else {
      out.push({ kind: 'from', module, level, name: dottedText(item), line: line(item), ...base });
    }
  }
}

const SYS_PATH_EDIT = /^(sys\.path\.(insert|append|extend)|site\.addsitedir)$|^sys\.path =$/;

/**
 * Walks statements only (never into expressions), so this stays cheap next to the full scope walk
 * of bindings.ts.
 */
function walkStatements(block: PyNode, ctx: Ctx, out: PyFileImports): void {
  for (const n of block.namedChildren) if (n) visit(n, ctx, out);
}

function visit(n: PyNode, ctx: Ctx, out: PyFileImports): void {
  switch (n.type) {
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
      recordImport(n, ctx, out.imports);
      break;
    case 'expression_statement': {
      // Look only at the callee / assignment target: the statement may be a huge literal.
      const e = n.firstNamedChild;
      const target =
        e?.type === 'call'
          ? e.childForFieldName('function')
          : e?.type === 'assignment' || e?.type === 'augmented_assignment'
            ? e.childForFieldName('left')
            : null;
      if (target && target.endIndex - target.startIndex < 40 && SYS_PATH_EDIT.test(target.text + (e?.type === 'call' ? '' : ' ='))) {
        out.editsSysPath = true;
      }
      break;
    }
    case 'if_statement': {
      const cond = n.childForFieldName('condition');
      const kind = cond ? classifyCondition(cond) : 'other';
      const inner: Ctx = {
        ...ctx,
        guarded: ctx.guarded || kind === 'type-checking' || kind === 'platform',
        conditional: ctx.conditional || kind === 'other',
        inMain: ctx.inMain || kind === 'main',
      };
      const body = n.childForFieldName('consequence');
      if (body) walkStatements(body, inner, out);
      // `else` of TYPE_CHECKING runs at runtime; `else` of a version test is still version-bound.
      const elseCtx: Ctx = {
        ...ctx,
        guarded: ctx.guarded || kind === 'platform',
        conditional: ctx.conditional || kind !== 'main',
      };
      for (const alt of n.childrenForFieldName('alternative')) {
        const altCond = alt.type === 'elif_clause' ? alt.childForFieldName('condition') : null;
        const altKind = altCond ? classifyCondition(altCond) : 'other';
        const c2: Ctx = { ...elseCtx, guarded: elseCtx.guarded || altKind === 'type-checking' || altKind === 'platform' };
        const b = alt.childForFieldName(alt.type === 'elif_clause' ? 'consequence' : 'body');
        if (b) walkStatements(b, c2, out);
      }
      break;
    }
    case 'try_statement': {
      const guards = catchesImportError(n);
      const inner: Ctx = { ...ctx, guarded: ctx.guarded || guards };
      const body = n.childForFieldName('body');
      if (body) walkStatements(body, inner, out);
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === 'except_clause') {
          const b = c.namedChildren.find((x) => x?.type === 'block');
          if (b) walkStatements(b, inner, out);
        } else if (c.type === 'else_clause' || c.type === 'finally_clause') {
          const b = c.childForFieldName('body') ?? c.namedChildren.find((x) => x?.type === 'block');
          if (b) walkStatements(b, ctx, out);
        }
      }
      break;
    }
    case 'with_statement': {
      const suppress = /\bsuppress\s*\([^)]*\b(ImportError|ModuleNotFoundError|Exception)\b/.test(
        n.namedChildren.find((c) => c?.type === 'with_clause')?.text ?? '',
      );
      const body = n.childForFieldName('body');
      if (body) walkStatements(body, { ...ctx, guarded: ctx.guarded || suppress }, out);
      break;
    }
    case 'for_statement':
    case 'while_statement': {
      const body = n.childForFieldName('body');
      if (body) walkStatements(body, { ...ctx, conditional: true }, out);
      for (const alt of n.childrenForFieldName('alternative')) {
        const b = alt.childForFieldName('body');
        if (b) walkStatements(b, ctx, out);
      }
      break;
    }
    case 'match_statement': {
      for (const clause of n.childForFieldName('body')?.namedChildren ?? []) {
        const b = clause?.childForFieldName('consequence');
        if (b) walkStatements(b, { ...ctx, conditional: true }, out);
      }
      break;
    }
    case 'function_definition': {
      const body = n.childForFieldName('body');
      if (body) walkStatements(body, { ...ctx, scope: 'function' }, out);
      break;
    }
    case 'class_definition': {
      const body = n.childForFieldName('body');
      if (body) walkStatements(body, { ...ctx, scope: ctx.scope === 'function' ? 'function' : 'class' }, out);
      break;
    }
    case 'decorated_definition': {
      const def = n.childForFieldName('definition');
      if (def) visit(def, ctx, out);
      break;
    }
    default:
      break;
  }
}

/** Per-file extractor: every import statement with its guard context. */
export const pyImportsExtractor = definePyExtractor<PyFileImports>('python-imports', (root) => {
  const out: PyFileImports = { imports: [], editsSysPath: false };
  walkStatements(root, { guarded: false, conditional: false, inMain: false, scope: 'module' }, out);
  return out;
});

/** The raw imports of every parsed Python file (path → imports). */
export function pyImports(model: ProjectModel): Map<string, PyFileImports> {
  return model.get(importsByFile);
}

const importsByFile = defineFacts('python-imports-by-file', (model) => pyFacts(model, pyImportsExtractor));

// ---------------------------------------------------------------------------------------------
// Resolution

/** Where an import comes from. */
export type ImportOrigin =
  /** A module of this repository (targets says which files; empty when the module is missing). */
  | 'local'
  /** The standard library. */
  | 'stdlib'
  /** Neither local nor stdlib: must come from an installed distribution. */
  | 'third-party'
  /**
   * A module of that name exists in the repository but no known root reaches it, or some file
   * edits sys.path: the model cannot tell, and rules stay silent.
   */
  | 'unknown';

export interface ResolvedImport extends PyImport {
  file: string;
  origin: ImportOrigin;
  /** The absolute dotted module (relative imports resolved against the file's package), when known. */
  absolute?: string;
  /** Top-level package name of the absolute module (`yaml` for `yaml.loader`). */
  top: string;
  /** Repo modules the module part resolves to (local imports only; several under several roots). */
  targets: ModuleTarget[];
  /**
   * Only folders without any Python file matched (`data/seed/` holding JSON, `docker/` holding
   * Dockerfiles). Python would import them as namespace packages, but an installed distribution
   * of the same name wins; rules decide with the dependency manifests in hand.
   */
  weak?: boolean;
}

/**
 * Every import of every parsed file, resolved against the module map. Cached per scan.
 * Local resolution wins over the standard library only when the whole dotted module exists in the
 * repo (a stray `logging/` folder does not make `import logging.handlers` local), and a folder
 * without Python files never hides a distribution of the same name (a `docker/` folder of
 * Dockerfiles next to `import docker`).
 */
export const resolvedImports = defineFacts('python-resolved-imports', (model): Map<string, ResolvedImport[]> => {
  const map = model.get(pythonModules);
  const out = new Map<string, ResolvedImport[]>();
  for (const [file, f] of pyImports(model)) {
    out.set(file, f.imports.map((imp) => resolveOne(model, map, file, imp)));
  }
  return out;
});

/** Whether a declared dependency provides an import name (`graphql-core` → `graphql`), memoised. */
export function declaresImport(model: ProjectModel, top: string): boolean {
  return model.get(declaredProvider)(top);
}

const declaredProvider = defineFacts('python-declared-import-tops', (model): ((top: string) => boolean) => {
  const declared = [...declaredNames(model.get(pythonDependencies))];
  const memo = new Map<string, boolean>();
  return (top) => {
    let v = memo.get(top);
    if (v === undefined) memo.set(top, (v = declared.some((d) => looselyProvides(d, top))));
    return v;
  };
});

/** True when a declared distribution has the import name `top` (normalised). */
function declaredTop(model: ProjectModel, top: string): boolean {
  const deps = model.get(pythonDependencies);
  const n = normaliseDist(top);
  return deps.deps.some((d) => d.name === n);
}

function hasPython(map: ModuleMap, t: ModuleTarget): boolean {
  return t.kind !== 'namespace' || map.hasPythonUnder(t.path);
}

function resolveOne(model: ProjectModel, map: ModuleMap, file: string, imp: PyImport): ResolvedImport {
  if (imp.level > 0) {
    const targets = map.resolveModule(file, imp.module, imp.level);
    const absolute = map.absoluteName(file, imp.module, imp.level);
    return { ...imp, file, origin: 'local', targets, ...(absolute !== undefined ? { absolute } : {}), top: absolute?.split('.')[0] ?? '' };
  }
  const top = imp.module.split('.')[0] ?? '';
  const base = { ...imp, file, absolute: imp.module, top };
  if (imp.module === '__future__') return { ...base, origin: 'stdlib', targets: [] };
  // `from celery import Celery` inside proj/celery.py means the package, not the file itself
  // found through its own folder (a package __init__ importing its submodules is fine)
  const self = (t: ModuleTarget) => t.path === file && t.root === dirOf(file);
  const targets = map.resolveModule(file, imp.module, 0).filter((t) => !self(t));
  const strong = targets.filter((t) => t.kind !== 'namespace' || hasPython(map, t));
  // Found only through the generous fallback roots (folders above the file), a name that is also
  // a well-known or declared distribution is the distribution: `from redis import Redis` next to
  // app/redis.py loads the package unless the app runs from app/ itself, and `from graphql import
  // GraphQLError` inside saleor/core/ loads graphql-core, not saleor/graphql/.
  const viaExplicit = strong.some((t) => map.isExplicitRoot(t.root));
  if (strong.length && !viaExplicit && (isKnownImport(top) || isStdlib(top) || declaresImport(model, top)) && !map.isExplicitRoot(dirOf(file))) {
    if (isStdlib(top)) return { ...base, origin: 'stdlib', targets: [] };
    return { ...base, origin: 'third-party', targets: [] };
  }
  // A folder without __init__.py is only a namespace portion: any installed regular package of
  // that name wins over it, wherever it sits on sys.path (`alembic/` holding env.py next to
  // `from alembic import context`).
  if (strong.length && strong.every((t) => t.kind === 'namespace') && (isKnownImport(top) || declaredTop(model, top))) {
    return { ...base, origin: 'third-party', targets: [] };
  }
  if (strong.length) return { ...base, origin: 'local', targets };
  if (isStdlib(top)) return { ...base, origin: 'stdlib', targets: [] };
  const topTargets = map.resolveModule(file, top, 0).filter((t) => !self(t) && (t.kind !== 'namespace' || hasPython(map, t)));
  if (topTargets.length && !topTargets.some((t) => map.isExplicitRoot(t.root)) && (isKnownImport(top) || declaresImport(model, top))) {
    return { ...base, origin: 'third-party', targets: [] };
  }
  // only namespace folders outside any deploy root: an installed package of that name (from the
  // base image, say) may provide the submodule, so the model cannot tell
  if (topTargets.length && topTargets.every((t) => t.kind === 'namespace' && !map.isExplicitRoot(t.root))) {
    return { ...base, origin: 'unknown', targets: [] };
  }
  if (topTargets.length) return { ...base, origin: 'local', targets: [] };
  if (targets.length) return { ...base, origin: 'local', targets, weak: true };
  if ((map.existsAnywhere(top) || map.sysPathEdited) && !isKnownImport(top)) return { ...base, origin: 'unknown', targets: [] };
  return { ...base, origin: 'third-party', targets: [] };
}

/** What a name imported from a local module is. */
export type NameTarget =
  | { kind: 'module'; target: ModuleTarget }
  | { kind: 'binding'; file: string; name: string; bindings: TopBinding[] }
  /** Cannot tell: compiled module, `__getattr__`, star import from outside, dynamic globals, unread file. */
  | { kind: 'unknown' }
  | { kind: 'missing' };

const MAX_REEXPORT_DEPTH = 6;

/**
 * Looks up `name` in a local module: its top-level bindings, its submodules (for a package or
 * namespace folder), names reached through local star imports. Does not follow re-exports; see
 * `followName` for that.
 */
export function lookupName(model: ProjectModel, target: ModuleTarget, name: string, depth = 0): NameTarget {
  const map = model.get(pythonModules);
  if (target.kind === 'opaque') return { kind: 'unknown' };
  const dir = target.kind === 'namespace' ? target.path : target.kind === 'package' ? dirOf(target.path) : undefined;
  if (target.kind !== 'namespace') {
    const names = pyNames(model).get(target.path);
    // a file tree-sitter could not parse cleanly (a template, Python 2) has unreliable bindings
    if (!names || pySyntaxErrorLine(model, target.path) !== undefined) return { kind: 'unknown' };
    const b = names.bindings[name];
    if (b?.length) return { kind: 'binding', file: target.path, name, bindings: b };
    if (names.hasGetattr || names.dynamicGlobals) return { kind: 'unknown' };
    if (dir !== undefined) {
      const sub = map.resolveModule(joinPath(dir, '__init__.py'), name, 1);
      if (sub[0]) return { kind: 'module', target: sub[0] };
    }
    for (const star of names.starImports) {
      const starTargets = star.level > 0 ? map.resolveModule(target.path, star.module, star.level) : resolveAbsolute(model, map, target.path, star.module);
      if (starTargets === 'external' || starTargets.length === 0 || depth >= MAX_REEXPORT_DEPTH) return { kind: 'unknown' };
      for (const t of starTargets) {
        const r = lookupName(model, t, name, depth + 1);
        if (r.kind !== 'missing') return r;
      }
    }
    return { kind: 'missing' };
  }
  const sub = map.resolveModule(joinPath(dir ?? '', '__init__.py'), name, 1);
  if (sub[0]) return { kind: 'module', target: sub[0] };
  return { kind: 'missing' };
}

function resolveAbsolute(model: ProjectModel, map: ModuleMap, file: string, module: string): ModuleTarget[] | 'external' {
  const r = resolveOne(model, map, file, { kind: 'import', module, level: 0, line: 0, statementLine: 0, guarded: false, conditional: false, inMain: false, scope: 'module' });
  return r.origin === 'local' ? r.targets : 'external';
}

/**
 * Follows a name through re-exports (`from .config import settings` in a package `__init__`) to
 * where it is defined: a def/class/assignment, a module, or unknown/missing. Import bindings to
 * third-party or stdlib modules stop with the import binding itself.
 */
export function followName(model: ProjectModel, target: ModuleTarget, name: string): NameTarget {
  const map = model.get(pythonModules);
  let cur = lookupName(model, target, name);
  for (let depth = 0; depth < MAX_REEXPORT_DEPTH && cur.kind === 'binding'; depth++) {
    const bs = cur.bindings;
    if (bs.length !== 1 || bs[0]!.kind !== 'import' || !bs[0]!.import) return cur;
    const imp = bs[0]!.import;
    if (imp.name === undefined) {
      // `import pkg.mod as name`: the name is a module
      const ts = imp.level > 0 ? map.resolveModule(cur.file, imp.module, imp.level) : resolveAbsolute(model, map, cur.file, imp.module);
      if (ts === 'external' || !ts[0]) return cur;
      return { kind: 'module', target: ts[0] };
    }
    const ts = imp.level > 0 ? map.resolveModule(cur.file, imp.module, imp.level) : resolveAbsolute(model, map, cur.file, imp.module);
    if (ts === 'external' || !ts[0]) return cur;
    const next = lookupName(model, ts[0], imp.name);
    if (next.kind === 'missing' || next.kind === 'unknown') return cur;
    cur = next;
  }
  return cur;
}

/** Every name a local module offers: top-level bindings and, for a package or folder, its submodules. */
export function offeredNames(model: ProjectModel, target: ModuleTarget): string[] {
  const out = new Set<string>();
  if (target.kind === 'module' || target.kind === 'package') {
    for (const n of Object.keys(pyNames(model).get(target.path)?.bindings ?? {})) out.add(n);
  }
  const dir = target.kind === 'namespace' ? target.path : target.kind === 'package' ? dirOf(target.path) : undefined;
  if (dir !== undefined) {
    const prefix = dir ? `${dir}/` : '';
    for (const p of model.listed(`${prefix}*.py`)) {
      const stem = p.slice(prefix.length, -3);
      if (stem !== '__init__') out.add(stem);
    }
    for (const p of model.listed(`${prefix}*/__init__.py`)) out.add(p.slice(prefix.length, p.lastIndexOf('/')));
  }
  return [...out].sort();
}
