import { defineFacts, type ProjectModel } from '../project.js';
import { PY_BUILTINS } from './builtins.js';
import { definePyExtractor, pyFacts } from './files.js';
import type { PyNode } from './parse.js';

/**
 * Names and scopes of one Python module, computed in the single tree-sitter parse:
 *
 * - the module's top-level bindings (what `from this_module import X` can find), with how each is
 *   bound (def, class, import, assignment), whether it is conditional or only under
 *   `if __name__ == "__main__":`;
 * - a pyflakes-style undefined-name analysis over module, function, class, lambda and
 *   comprehension scopes. It reports only what is certain: `global`, star imports, `exec`/
 *   `globals()`/`sys.modules` tricks, `try: ... except NameError` and syntax errors make names
 *   unknown instead of undefined; a binding anywhere in a scope (even after the use, even under an
 *   `if`) counts;
 * - references to imported or module-level names with the attribute chain after them
 *   (`np.float_`, `settings.REDIS_URL`, `Retry(method_whitelist=...)`), for rules that match API
 *   usage against a knowledge base.
 */

/** How a module-level name is bound. */
export type BindingKind = 'def' | 'class' | 'import' | 'assign' | 'other';

export interface TopBinding {
  kind: BindingKind;
  line: number;
  /** Under an `if`, `try`, loop or `with` at module level. */
  conditional: boolean;
  /** Under `if __name__ == "__main__":`. */
  inMain: boolean;
  /** Decorator expressions of a def/class, as written (first 80 characters each). */
  decorators?: string[];
  /** For an import binding: what it imports (`from a.b import c` → module a.b, name c). */
  import?: { module: string; level: number; name?: string };
  /** For `x = f(...)` / `x = mod.Cls(...)`: the callee as written (`create_engine`, `flask.Flask`). */
  callee?: string;
}

/** A use of a name that no scope binds. */
export interface UndefinedUse {
  name: string;
  line: number;
  column: number;
  /**
   * 'unbound' = bound nowhere in the module; 'main-only' = bound only under
   * `if __name__ == "__main__":` but used outside it, so importing the module breaks the use.
   */
  reason: 'unbound' | 'main-only';
  /** For 'main-only': the line of the first binding under the `__main__` block. */
  boundAt?: number;
  /** The use sits inside a function body (runs when called, not at import). */
  inFunction: boolean;
}

/**
 * A reference to a module-level name bound by an import or a def, with what follows it:
 * `np.float_` → name np, attrs [float_]; `Retry(method_whitelist=3)` → call with kwargs.
 */
export interface NameRef {
  name: string;
  attrs: string[];
  line: number;
  /** Present when the reference (with its attrs) is called or used as a decorator. */
  call?: { kwargs: string[]; args: number; decorator: boolean; firstArg?: string };
}

export interface PyModuleNames {
  bindings: Record<string, TopBinding[]>;
  starImports: { module: string; level: number; line: number }[];
  /** Literal `__all__` entries, when `__all__` is a literal list/tuple of strings. */
  all?: string[];
  /** `def __getattr__` at module level: any name can be imported from this module. */
  hasGetattr: boolean;
  /** Module globals are written dynamically (`globals()[...]`, `sys.modules`, `exec`), so names are unknowable. */
  dynamicGlobals: boolean;
  undefinedNames: UndefinedUse[];
  refs: NameRef[];
  /** Module-level names that get attributes assigned somewhere (`func.attr = ...`). */
  attributeAssigned: string[];
  /** The file uses Python 2 syntax (`print x`), so the analysis was skipped. */
  python2: boolean;
}

type ScopeKind = 'module' | 'function' | 'class' | 'lambda' | 'comprehension';

class Scope {
  readonly bound = new Set<string>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  /** Calls exec/eval/locals()/vars(): its names are unknowable. */
  dynamic = false;
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
    /** Defined inside `if __name__ == "__main__":` (or is it). */
    readonly inMain: boolean,
  ) {}
}

interface Ctx {
  scope: Scope;
  conditional: boolean;
  inMain: boolean;
  /** Inside `try:` whose handler catches NameError (or broader). */
  nameGuard: boolean;
  /** Inside an annotation while `from __future__ import annotations` is on: skip uses. */
  skipUses: boolean;
  /** Type parameter names in force (PEP 695). */
  typeParams?: Set<string>;
}

interface Use {
  name: string;
  line: number;
  column: number;
  scope: Scope;
  inMain: boolean;
  guarded: boolean;
  node: { attrs: string[]; call?: NameRef['call'] };
}

const NAME_ERRORS = new Set(['NameError', 'Exception', 'BaseException', 'UnboundLocalError']);
const MAX_REFS = 2000;

function line(n: PyNode): number {
  return n.startPosition.row + 1;
}

function isMainTest(cond: PyNode | null): boolean {
  if (!cond || cond.type !== 'comparison_operator') return false;
  const t = cond.text;
  return /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/.test(t);
}

class Analyzer {
  readonly module = new Scope('module', undefined, false);
  readonly out: PyModuleNames = {
    // no prototype: a module may bind `constructor` or `toString`
    bindings: Object.create(null) as Record<string, TopBinding[]>,
    starImports: [],
    hasGetattr: false,
    dynamicGlobals: false,
    undefinedNames: [],
    refs: [],
    attributeAssigned: [],
    python2: false,
  };
  private readonly uses: Use[] = [];
  private futureAnnotations = false;
  private allDynamic = false;
  private readonly attrAssigned = new Set<string>();
  /** Names assigned in functions after `global name`: module bindings. */
  private readonly globalAssigned = new Map<string, number>();

  /** Light mode: top-level bindings only, no expressions, no function or class bodies. */
  constructor(private readonly light = false) {}

  run(root: PyNode): PyModuleNames {
    const ctx: Ctx = { scope: this.module, conditional: false, inMain: false, nameGuard: false, skipUses: false };
    this.block(root, ctx);
    for (const [name, l] of this.globalAssigned) {
      this.module.bound.add(name);
      this.addTop(name, { kind: 'assign', line: l, conditional: true, inMain: false });
    }
    this.resolve();
    this.out.attributeAssigned = [...this.attrAssigned];
    if (this.allDynamic) delete this.out.all;
    return this.out;
  }

  // ----- bindings

  private addTop(name: string, b: TopBinding): void {
    const list = (this.out.bindings[name] ??= []);
    if (list.length < 20) list.push(b);
  }

  private bind(name: string, ctx: Ctx, n: PyNode, kind: BindingKind, extra?: Partial<TopBinding>): void {
    const scope = ctx.scope;
    if (scope.globals.has(name) && scope !== this.module) {
      if (!this.globalAssigned.has(name)) this.globalAssigned.set(name, line(n));
      return;
    }
    if (scope.nonlocals.has(name)) return;
    scope.bound.add(name);
    if (scope === this.module) {
      this.addTop(name, { kind, line: line(n), conditional: ctx.conditional, inMain: ctx.inMain, ...extra });
    }
  }

  /** Binds every name in an assignment target; attributes and subscripts are uses. */
  private target(n: PyNode, ctx: Ctx, kind: BindingKind = 'assign'): void {
    switch (n.type) {
      case 'identifier':
        this.bind(n.text, ctx, n, kind);
        return;
      case 'tuple':
      case 'list':
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'parenthesized_expression':
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
      case 'list_splat':
      case 'as_pattern_target':
      case 'expression_list':
        for (const c of n.namedChildren) if (c) this.target(c, ctx, kind);
        return;
      case 'attribute': {
        const obj = n.childForFieldName('object');
        if (obj?.type === 'identifier') this.attrAssigned.add(obj.text);
        if (obj) this.expr(obj, ctx);
        return;
      }
      case 'subscript':
        this.expr(n, ctx);
        return;
      default:
        this.expr(n, ctx);
    }
  }

  // ----- statements

  private block(n: PyNode, ctx: Ctx): void {
    for (const c of n.namedChildren) if (c) this.stmt(c, ctx);
  }

  private stmt(n: PyNode, ctx: Ctx): void {
    switch (n.type) {
      case 'import_statement':
        for (const item of n.childrenForFieldName('name')) {
          if (item.type === 'aliased_import') {
            const alias = item.childForFieldName('alias');
            const mod = dotted(item.childForFieldName('name'));
            if (alias) this.bind(alias.text, ctx, item, 'import', { import: { module: mod, level: 0 } });
          } else {
            const mod = dotted(item);
            const top = mod.split('.')[0]!;
            this.bind(top, ctx, item, 'import', { import: { module: top, level: 0 } });
          }
        }
        return;
      case 'import_from_statement': {
        let module = '';
        let level = 0;
        const mod = n.childForFieldName('module_name');
        if (mod?.type === 'relative_import') {
          for (const c of mod.namedChildren) {
            if (c?.type === 'import_prefix') level = c.text.length;
            else if (c?.type === 'dotted_name') module = dotted(c);
          }
        } else module = dotted(mod);
        const names = n.childrenForFieldName('name');
        if (names.length === 0) {
          if (ctx.scope === this.module) this.out.starImports.push({ module, level, line: line(n) });
          else ctx.scope.dynamic = true;
          return;
        }
        for (const item of names) {
          const isAlias = item.type === 'aliased_import';
          const name = dotted(isAlias ? item.childForFieldName('name') : item);
          const bound = isAlias ? (item.childForFieldName('alias')?.text ?? name) : name;
          this.bind(bound, ctx, item, 'import', { import: { module, level, name } });
        }
        return;
      }
      case 'future_import_statement':
        if (n.text.includes('annotations')) this.futureAnnotations = true;
        return;
      case 'print_statement':
      case 'exec_statement':
        this.out.python2 = true;
        return;
      case 'expression_statement':
        for (const c of n.namedChildren) if (c) this.exprOrAssign(c, ctx);
        return;
      case 'function_definition':
        this.funcDef(n, ctx, []);
        return;
      case 'class_definition':
        this.classDef(n, ctx, []);
        return;
      case 'decorated_definition': {
        const decos = n.namedChildren.filter((c): c is PyNode => c?.type === 'decorator');
        for (const d of decos) for (const c of d.namedChildren) if (c) this.expr(c, ctx, true);
        const def = n.childForFieldName('definition');
        const texts = decos.map((d) => d.text.slice(1, 81).trim());
        if (def?.type === 'function_definition') this.funcDef(def, ctx, texts);
        else if (def?.type === 'class_definition') this.classDef(def, ctx, texts);
        return;
      }
      case 'if_statement': {
        const cond = n.childForFieldName('condition');
        if (cond) this.expr(cond, ctx);
        const main = ctx.scope === this.module && isMainTest(cond);
        const inner: Ctx = { ...ctx, conditional: true, inMain: ctx.inMain || main };
        const body = n.childForFieldName('consequence');
        if (body) this.block(body, inner);
        const elseCtx: Ctx = { ...ctx, conditional: true };
        for (const alt of n.childrenForFieldName('alternative')) {
          const c = alt.childForFieldName('condition');
          if (c) this.expr(c, elseCtx);
          const b = alt.childForFieldName(alt.type === 'elif_clause' ? 'consequence' : 'body');
          if (b) this.block(b, elseCtx);
        }
        return;
      }
      case 'for_statement': {
        const right = n.childForFieldName('right');
        if (right) this.expr(right, ctx);
        const inner: Ctx = { ...ctx, conditional: true };
        const left = n.childForFieldName('left');
        if (left) this.target(left, inner);
        const body = n.childForFieldName('body');
        if (body) this.block(body, inner);
        for (const alt of n.childrenForFieldName('alternative')) {
          const b = alt.childForFieldName('body');
          if (b) this.block(b, inner);
        }
        return;
      }
      case 'while_statement': {
        const cond = n.childForFieldName('condition');
        if (cond) this.expr(cond, ctx);
        const inner: Ctx = { ...ctx, conditional: true };
        const body = n.childForFieldName('body');
        if (body) this.block(body, inner);
        for (const alt of n.childrenForFieldName('alternative')) {
          const b = alt.childForFieldName('body');
          if (b) this.block(b, inner);
        }
        return;
      }
      case 'try_statement': {
        let guards = false;
        for (const c of n.namedChildren) {
          if (c?.type !== 'except_clause') continue;
          const v = c.childForFieldName('value');
          if (!v) guards = true;
          else {
            const names: string[] = [];
            exceptionNames(v, names);
            if (names.some((x) => NAME_ERRORS.has(x))) guards = true;
          }
        }
        const inner: Ctx = { ...ctx, conditional: true, nameGuard: ctx.nameGuard || guards };
        const body = n.childForFieldName('body');
        if (body) this.block(body, inner);
        const handlerCtx: Ctx = { ...ctx, conditional: true };
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'except_clause' || c.type === 'except_group_clause') {
            for (const part of c.namedChildren) {
              if (!part) continue;
              if (part.type === 'block') this.block(part, handlerCtx);
              else if (part.type === 'as_pattern') {
                const first = part.namedChildren[0];
                if (first) this.expr(first, ctx);
                const alias = part.childForFieldName('alias');
                if (alias) this.target(alias, handlerCtx);
              } else this.expr(part, ctx);
            }
          } else if (c.type === 'else_clause') {
            const b = c.childForFieldName('body');
            if (b) this.block(b, handlerCtx);
          } else if (c.type === 'finally_clause') {
            for (const b of c.namedChildren) if (b?.type === 'block') this.block(b, ctx);
          }
        }
        return;
      }
      case 'with_statement': {
        const inner: Ctx = { ...ctx, conditional: true };
        for (const c of n.namedChildren) {
          if (c?.type !== 'with_clause') continue;
          for (const item of c.namedChildren) {
            const v = item?.childForFieldName('value');
            if (!v) continue;
            if (v.type === 'as_pattern') {
              const first = v.namedChildren[0];
              if (first) this.expr(first, ctx);
              const alias = v.childForFieldName('alias');
              if (alias) this.target(alias, inner);
            } else this.expr(v, ctx);
          }
        }
        const body = n.childForFieldName('body');
        if (body) this.block(body, inner);
        return;
      }
      case 'match_statement': {
        for (const s of n.childrenForFieldName('subject')) this.expr(s, ctx);
        const inner: Ctx = { ...ctx, conditional: true };
        for (const clause of n.childForFieldName('body')?.namedChildren ?? []) {
          if (clause?.type !== 'case_clause') continue;
          for (const p of clause.namedChildren) if (p?.type === 'case_pattern') this.pattern(p, inner);
          const guard = clause.childForFieldName('guard');
          if (guard) this.expr(guard, inner);
          const b = clause.childForFieldName('consequence');
          if (b) this.block(b, inner);
        }
        return;
      }
      case 'global_statement':
        for (const c of n.namedChildren) if (c?.type === 'identifier') ctx.scope.globals.add(c.text);
        return;
      case 'nonlocal_statement':
        for (const c of n.namedChildren) if (c?.type === 'identifier') ctx.scope.nonlocals.add(c.text);
        return;
      case 'delete_statement':
        // `del x` unbinds, which would make later uses unknown; stay silent about them instead
        for (const c of n.namedChildren) {
          if (!c) continue;
          const items = c.type === 'expression_list' ? c.namedChildren : [c];
          for (const i of items) if (i && i.type !== 'identifier') this.expr(i, ctx);
        }
        return;
      case 'type_alias_statement': {
        const left = n.childForFieldName('left');
        const id = left ? firstIdentifier(left) : undefined;
        if (id) this.bind(id.text, ctx, n, 'assign');
        return;
      }
      case 'block':
        this.block(n, ctx);
        return;
      case 'comment':
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
        return;
      default:
        // return, raise, assert, ERROR nodes...: everything inside is an expression
        for (const c of n.namedChildren) if (c) this.exprOrAssign(c, ctx);
    }
  }

  private pattern(n: PyNode, ctx: Ctx): void {
    switch (n.type) {
      case 'dotted_name': {
        const ids = n.namedChildren.filter((c): c is PyNode => c?.type === 'identifier');
        if (ids.length === 1) {
          if (ids[0]!.text !== '_') this.bind(ids[0]!.text, ctx, n, 'assign');
        } else if (ids[0]) this.use(ids[0], ctx);
        return;
      }
      case 'class_pattern': {
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'dotted_name') {
            const first = c.namedChildren[0];
            if (first) this.use(first, ctx);
          } else this.pattern(c, ctx);
        }
        return;
      }
      case 'keyword_pattern':
        // `x=<pattern>`: the first identifier names an attribute, not a binding
        for (const c of n.namedChildren.slice(1)) if (c) this.pattern(c, ctx);
        return;
      case 'splat_pattern':
      case 'as_pattern':
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'identifier') this.bind(c.text, ctx, c, 'assign');
          else this.pattern(c, ctx);
        }
        return;
      case 'identifier':
        this.bind(n.text, ctx, n, 'assign');
        return;
      case 'string':
      case 'concatenated_string':
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
        return;
      default:
        for (const c of n.namedChildren) if (c) this.pattern(c, ctx);
    }
  }

  private params(params: PyNode | null, outer: Ctx, inner: Ctx): void {
    if (!params) return;
    for (const p of params.namedChildren) {
      if (!p) continue;
      switch (p.type) {
        case 'identifier':
          this.bind(p.text, inner, p, 'other');
          break;
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = p.childForFieldName('name');
          const type = p.childForFieldName('type');
          const value = p.childForFieldName('value');
          if (type) this.annotation(type, outer);
          if (value) this.expr(value, outer);
          if (name) this.target(name, inner, 'other');
          break;
        }
        case 'typed_parameter': {
          const type = p.childForFieldName('type');
          if (type) this.annotation(type, outer);
          for (const c of p.namedChildren) if (c && c !== type && c.type !== 'type') this.target(c, inner, 'other');
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          for (const c of p.namedChildren) if (c?.type === 'identifier') this.bind(c.text, inner, c, 'other');
          break;
        case 'tuple_pattern':
          this.target(p, inner, 'other');
          break;
        default:
          break;
      }
    }
  }

  private typeParams(def: PyNode, ctx: Ctx): Ctx {
    const tp = def.childForFieldName('type_parameters');
    if (!tp) return ctx;
    const names = new Set(ctx.typeParams ?? []);
    collectIdentifiers(tp, names);
    return { ...ctx, typeParams: names };
  }

  private funcDef(n: PyNode, ctx: Ctx, decorators: string[]): void {
    const name = n.childForFieldName('name');
    if (name) {
      this.bind(name.text, ctx, name, 'def', { decorators });
      if (ctx.scope === this.module && name.text === '__getattr__') this.out.hasGetattr = true;
    }
    if (this.light) return;
    const outer = this.typeParams(n, ctx);
    const scope = new Scope('function', ctx.scope, ctx.inMain || ctx.scope.inMain);
    const inner: Ctx = { ...outer, scope, conditional: false, nameGuard: false, inMain: ctx.inMain };
    this.params(n.childForFieldName('parameters'), outer, inner);
    const ret = n.childForFieldName('return_type');
    if (ret) this.annotation(ret, outer);
    const body = n.childForFieldName('body');
    if (body) this.block(body, inner);
  }

  private classDef(n: PyNode, ctx: Ctx, decorators: string[]): void {
    const name = n.childForFieldName('name');
    if (this.light) {
      if (name) this.bind(name.text, ctx, name, 'class', { decorators });
      return;
    }
    const outer = this.typeParams(n, ctx);
    const sup = n.childForFieldName('superclasses');
    if (sup) this.expr(sup, outer);
    if (name) this.bind(name.text, ctx, name, 'class', { decorators });
    const scope = new Scope('class', ctx.scope, ctx.inMain || ctx.scope.inMain);
    scope.bound.add('__qualname__');
    scope.bound.add('__module__');
    const body = n.childForFieldName('body');
    if (body) this.block(body, { ...outer, scope, conditional: false, nameGuard: ctx.nameGuard });
  }

  private annotation(n: PyNode, ctx: Ctx): void {
    if (this.futureAnnotations) return;
    this.expr(n, ctx);
  }

  // ----- expressions

  private exprOrAssign(n: PyNode, ctx: Ctx): void {
    if (n.type === 'assignment') {
      const right = n.childForFieldName('right');
      const type = n.childForFieldName('type');
      if (right) this.exprOrAssign(right, ctx);
      // annotations of locals are never evaluated; `x: int` alone binds nothing at run time but
      // counts as a binding here (a declaration someone assigns through `global` or setattr)
      if (type && ctx.scope.kind !== 'function') this.annotation(type, ctx);
      const left = n.childForFieldName('left');
      const callee = left?.type === 'identifier' && ctx.scope === this.module && right?.type === 'call' ? calleeText(right) : undefined;
      if (left && callee) this.bind(left.text, ctx, left, 'assign', { callee });
      else if (left) this.target(left, ctx);
      if (left?.type === 'identifier' && left.text === '__all__' && ctx.scope === this.module && right) this.readAll(right, false);
      return;
    }
    if (n.type === 'augmented_assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (right) this.expr(right, ctx);
      if (left?.type === 'identifier') {
        if (left.text === '__all__' && ctx.scope === this.module && right) this.readAll(right, true);
        if (!ctx.scope.bound.has(left.text) || ctx.scope === this.module) this.use(left, ctx);
        this.bind(left.text, ctx, left, 'assign');
      } else if (left) this.target(left, ctx);
      return;
    }
    this.expr(n, ctx);
  }

  private readAll(n: PyNode, append: boolean): void {
    if (n.type !== 'list' && n.type !== 'tuple') {
      this.allDynamic = true;
      return;
    }
    const names: string[] = [];
    for (const c of n.namedChildren) {
      const s = c ? stringValue(c) : undefined;
      if (s === undefined) {
        this.allDynamic = true;
        return;
      }
      names.push(s);
    }
    this.out.all = append ? [...(this.out.all ?? []), ...names] : names;
  }

  /**
   * Records a use of a name, with the attribute chain read from it and the call it is the callee
   * of (computed top-down by the callers: walking up with `.parent` costs a WebAssembly round trip
   * per step).
   */
  private use(id: PyNode, ctx: Ctx, attrs: string[] = [], call?: NameRef['call']): void {
    if (ctx.skipUses) return;
    const name = id.text;
    if (ctx.typeParams?.has(name)) return;
    const pos = id.startPosition;
    this.uses.push({
      name,
      line: pos.row + 1,
      column: pos.column + 1,
      scope: ctx.scope,
      inMain: ctx.inMain || ctx.scope.inMain,
      guarded: ctx.nameGuard,
      node: { attrs, ...(call ? { call } : {}) },
    });
  }

  /** `a.b.c` → identifier a and [b, c]; anything else at the bottom is visited as an expression. */
  private chain(n: PyNode, ctx: Ctx, call?: NameRef['call']): void {
    const attrs: string[] = [];
    let cur = n;
    while (cur.type === 'attribute') {
      attrs.unshift(cur.childForFieldName('attribute')?.text ?? '');
      const o = cur.childForFieldName('object');
      if (!o) return;
      cur = o;
    }
    if (cur.type === 'identifier') {
      if (attrs[0] === 'modules' && cur.text === 'sys') this.out.dynamicGlobals = true;
      this.use(cur, ctx, attrs.slice(0, 4), attrs.length <= 4 ? call : undefined);
    } else this.expr(cur, ctx);
  }

  private expr(n: PyNode, ctx: Ctx, decorator = false): void {
    if (this.light) return;
    switch (n.type) {
      case 'identifier':
        this.use(n, ctx, [], decorator ? { kwargs: [], args: 1, decorator: true } : undefined);
        return;
      case 'attribute':
        this.chain(n, ctx, decorator ? { kwargs: [], args: 1, decorator: true } : undefined);
        return;
      case 'keyword_argument': {
        const v = n.childForFieldName('value');
        if (v) this.expr(v, ctx);
        return;
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        if (fn?.type === 'identifier') {
          const f = fn.text;
          if (f === 'globals' || f === 'exec' || f === '__import__') this.out.dynamicGlobals = true;
          if (f === 'locals' || f === 'vars' || f === 'eval' || f === 'exec') ctx.scope.dynamic = true;
        }
        const args = n.childForFieldName('arguments');
        const kwargs: string[] = [];
        let count = 0;
        let firstArg: string | undefined;
        for (const a of args?.type === 'argument_list' ? args.namedChildren : []) {
          if (!a) continue;
          if (a.type === 'keyword_argument') {
            kwargs.push(a.childForFieldName('name')?.text ?? '');
            const v = a.childForFieldName('value');
            if (v) this.expr(v, ctx);
          } else if (a.type !== 'comment') {
            if (count === 0) {
              firstArg = a.type;
              // `setattr(func, "cache", ...)` / `hasattr(func, ...)`: the code stores attributes on it
              if (a.type === 'identifier' && fn?.type === 'identifier' && /^(set|has|get|del)attr$/.test(fn.text)) this.attrAssigned.add(a.text);
            }
            count++;
            this.exprOrAssign(a, ctx);
          }
        }
        // a generator argument `f(x for x in y)` makes the argument list itself the generator
        if (args && args.type !== 'argument_list') this.expr(args, ctx);
        const call: NameRef['call'] = { kwargs, args: count, decorator, ...(firstArg ? { firstArg } : {}) };
        if (fn?.type === 'identifier') this.use(fn, ctx, [], call);
        else if (fn?.type === 'attribute') this.chain(fn, ctx, call);
        else if (fn) this.expr(fn, ctx);
        return;
      }
      case 'lambda': {
        const scope = new Scope('lambda', ctx.scope, ctx.inMain || ctx.scope.inMain);
        const inner: Ctx = { ...ctx, scope };
        this.params(n.childForFieldName('parameters'), ctx, inner);
        const body = n.childForFieldName('body');
        if (body) this.expr(body, inner);
        return;
      }
      case 'named_expression': {
        const value = n.childForFieldName('value');
        if (value) this.expr(value, ctx);
        const name = n.childForFieldName('name');
        if (name) {
          // a walrus in a comprehension binds in the enclosing function or module
          let s = ctx.scope;
          while (s.kind === 'comprehension' && s.parent) s = s.parent;
          this.bind(name.text, { ...ctx, scope: s }, name, 'assign');
        }
        return;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        this.comprehension(n, ctx);
        return;
      case 'type':
        this.annotation(n.namedChildren[0] ?? n, ctx);
        return;
      case 'string':
        for (const c of n.namedChildren) {
          if (c?.type !== 'interpolation') continue;
          const e = c.childForFieldName('expression');
          if (e) this.expr(e, ctx);
          const spec = c.childForFieldName('format_specifier');
          if (spec) this.expr(spec, ctx);
        }
        return;
      case 'format_specifier':
      case 'format_expression':
        for (const c of n.namedChildren) {
          if (c?.type === 'format_expression') {
            const e = c.childForFieldName('expression');
            if (e) this.expr(e, ctx);
          } else if (c && c.type !== 'string_content') this.expr(c, ctx);
        }
        return;
      case 'print_statement':
      case 'exec_statement':
        this.out.python2 = true;
        return;
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
      case 'comment':
      case 'string_content':
      case 'escape_sequence':
      case 'type_conversion':
      case 'keyword_separator':
      case 'positional_separator':
        return;
      default:
        for (const c of n.namedChildren) if (c) this.exprOrAssign(c, ctx);
    }
  }

  private comprehension(n: PyNode, ctx: Ctx): void {
    const clauses = n.namedChildren.filter((c): c is PyNode => c?.type === 'for_in_clause' || c?.type === 'if_clause');
    const scope = new Scope('comprehension', ctx.scope, ctx.inMain || ctx.scope.inMain);
    const inner: Ctx = { ...ctx, scope };
    let first = true;
    for (const c of clauses) {
      if (c.type === 'for_in_clause') {
        // the first iterable is evaluated in the enclosing scope
        for (const r of c.childrenForFieldName('right')) this.expr(r, first ? ctx : inner);
        first = false;
        const left = c.childForFieldName('left');
        if (left) this.target(left, inner);
      } else for (const e of c.namedChildren) if (e) this.expr(e, inner);
    }
    const body = n.childForFieldName('body');
    if (body) this.expr(body, inner);
  }

  // ----- resolution

  private lookup(use: Use): 'local' | 'module' | 'builtin' | 'unknown' | 'undefined' {
    const name = use.name;
    let s: Scope | undefined = use.scope;
    const start = s;
    while (s) {
      if (s.dynamic) return 'unknown';
      if (s === this.module) break;
      if (s.globals.has(name)) {
        s = this.module;
        break;
      }
      if (s.nonlocals.has(name)) return 'unknown';
      // a class body's names are visible only to the class body itself
      if (s.bound.has(name) && (s.kind !== 'class' || s === start)) return 'local';
      s = s.parent;
    }
    if (this.module.bound.has(name)) return 'module';
    if (PY_BUILTINS.has(name)) return 'builtin';
    if (this.out.starImports.length > 0 || this.out.dynamicGlobals || this.module.dynamic) return 'unknown';
    return 'undefined';
  }

  private resolve(): void {
    const refKeys = new Set<string>();
    for (const u of this.uses) {
      const where = this.lookup(u);
      if (where === 'module') {
        const bs = this.out.bindings[u.name] ?? [];
        if (bs.length && !u.inMain && bs.every((b) => b.inMain) && !u.guarded) {
          this.out.undefinedNames.push({
            name: u.name,
            line: u.line,
            column: u.column,
            reason: 'main-only',
            boundAt: bs[0]!.line,
            inFunction: u.scope !== this.module,
          });
        }
        if (bs.some((b) => b.kind === 'import' || b.kind === 'def' || b.kind === 'class' || b.callee) && this.out.refs.length < MAX_REFS) {
          const c = u.node.call;
          const key = `${u.name}|${u.node.attrs.join('.')}|${c ? c.kwargs.join(',') + (c.decorator ? '@' : '') + (c.firstArg ?? '') : '-'}`;
          if (!refKeys.has(key)) {
            refKeys.add(key);
            this.out.refs.push({ name: u.name, attrs: u.node.attrs, line: u.line, ...(u.node.call ? { call: u.node.call } : {}) });
          }
        }
      } else if (where === 'undefined' && !u.guarded) {
        this.out.undefinedNames.push({ name: u.name, line: u.line, column: u.column, reason: 'unbound', inFunction: u.scope !== this.module });
      }
    }
  }
}

function dotted(n: PyNode | null): string {
  if (!n) return '';
  return n.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text).join('.');
}

/** `create_engine` / `sqlalchemy.create_engine` of a call, when the callee is a plain dotted name. */
function calleeText(call: PyNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute') || fn.endIndex - fn.startIndex > 80) return undefined;
  const t = fn.text;
  return /^[A-Za-z_][\w.]*$/.test(t) ? t : undefined;
}

function firstIdentifier(n: PyNode): PyNode | undefined {
  if (n.type === 'identifier') return n;
  for (const c of n.namedChildren) {
    const f = c ? firstIdentifier(c) : undefined;
    if (f) return f;
  }
  return undefined;
}

function collectIdentifiers(n: PyNode, out: Set<string>): void {
  if (n.type === 'identifier') out.add(n.text);
  for (const c of n.namedChildren) if (c) collectIdentifiers(c, out);
}

function exceptionNames(n: PyNode, out: string[]): void {
  if (n.type === 'identifier') out.push(n.text);
  else if (n.type === 'attribute') out.push(n.childForFieldName('attribute')?.text ?? '');
  else for (const c of n.namedChildren) if (c && c.type !== 'as_pattern_target') exceptionNames(c, out);
}

/** The value of a plain string literal (no f-string interpolation), else undefined. */
function stringValue(n: PyNode): string | undefined {
  if (n.type !== 'string') return undefined;
  if (n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return n.namedChildren
    .filter((c) => c?.type === 'string_content')
    .map((c) => c!.text)
    .join('');
}

/** Per-file extractor: top-level bindings, undefined names and name references. */
/**
 * Test code, docs and examples never run in the deployed process: the rules only need their
 * top-level bindings (a conftest helper someone imports), so the expensive expression walk is
 * skipped there. About half the files of a typical repository.
 */
export function isLightPath(p: string): boolean {
  const base = p.slice(p.lastIndexOf('/') + 1);
  return (
    /(^|\/)(tests?|testing|docs?|examples?|samples?|benchmarks?|bench)\//i.test(p) ||
    /^test_.*\.py$/.test(base) ||
    /_tests?\.py$/.test(base) ||
    base === 'conftest.py'
  );
}

export const pyNamesExtractor = definePyExtractor<PyModuleNames>('python-names', (root, ctx) => {
  const a = new Analyzer(isLightPath(ctx.path));
  const out = a.run(root);
  if (out.python2 || root.hasError) out.undefinedNames = [];
  return out;
});

const namesByFile = defineFacts('python-names-by-file', (model) => pyFacts(model, pyNamesExtractor));

/** Names of every parsed Python file (path → names); one map per scan. */
export function pyNames(model: ProjectModel): Map<string, PyModuleNames> {
  return model.get(namesByFile);
}
