import { Query } from 'web-tree-sitter';
import type { PyNode } from './parse.js';

/**
 * Small readers over tree-sitter-python nodes shared by the settings, web, ORM and migration
 * extractors: literal values, dotted names, call arguments. None of them keep a node past the
 * extractor call (trees are freed after one parse).
 */

/** 1-based line of a node. */
export function lineOf(n: PyNode): number {
  return n.startPosition.row + 1;
}

/** 1-based last line of a node. */
export function endLineOf(n: PyNode): number {
  return n.endPosition.row + 1;
}

/** `a`, `a.b.c` as text; undefined for anything else (calls, subscripts...). */
export function dottedName(n: PyNode | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') {
    const obj = dottedName(n.childForFieldName('object'));
    const attr = n.childForFieldName('attribute');
    return obj && attr ? `${obj}.${attr.text}` : undefined;
  }
  return undefined;
}

/** The dotted name of a call's function (`os.environ.get`), or undefined. */
export function callName(call: PyNode): string | undefined {
  return call.type === 'call' ? dottedName(call.childForFieldName('function')) : undefined;
}

/** Last segment of a dotted name. */
export function lastName(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

/** The value of a plain string literal (no interpolation), concatenations joined. */
export function stringValue(n: PyNode | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const c of n.namedChildren) {
      const v = stringValue(c);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (n.type !== 'string') return undefined;
  let out = '';
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content') out += c.text;
    else if (c.type === 'escape_sequence') out += unescape(c.text);
  }
  return out;
}

function unescape(s: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  return map[s.slice(1)] ?? s;
}

/** One piece of an f-string: literal text, or the source of an interpolated expression. */
export type TemplatePart = { text: string } | { expr: string };

/** The pieces of a string or f-string literal; undefined when `n` is not a string. */
export function templateParts(n: PyNode | null | undefined): TemplatePart[] | undefined {
  if (!n) return undefined;
  if (n.type === 'concatenated_string') {
    const out: TemplatePart[] = [];
    for (const c of n.namedChildren) {
      const p = templateParts(c);
      if (!p) return undefined;
      out.push(...p);
    }
    return out;
  }
  if (n.type !== 'string') return undefined;
  const out: TemplatePart[] = [];
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_content') out.push({ text: c.text });
    else if (c.type === 'escape_sequence') out.push({ text: unescape(c.text) });
    else if (c.type === 'interpolation') out.push({ expr: c.childForFieldName('expression')?.text ?? c.text });
  }
  return out;
}

/** A literal value: string, number, bool, None, or a list/tuple/set of those. */
export type PyLiteral = string | number | boolean | null | PyLiteral[];

/** The value of a literal expression, or undefined when it is not a literal. */
export function literalValue(n: PyNode | null | undefined): PyLiteral | undefined {
  if (!n) return undefined;
  switch (n.type) {
    case 'string':
    case 'concatenated_string':
      return stringValue(n);
    case 'integer':
    case 'float': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isFinite(v) ? v : undefined;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'unary_operator': {
      const v = literalValue(n.childForFieldName('argument'));
      return typeof v === 'number' && n.text.trim().startsWith('-') ? -v : undefined;
    }
    case 'parenthesized_expression':
      return literalValue(n.namedChildren[0]);
    case 'list':
    case 'tuple':
    case 'set': {
      const out: PyLiteral[] = [];
      for (const c of n.namedChildren) {
        if (!c || c.type === 'comment') continue;
        const v = literalValue(c);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Positional and keyword arguments of a call. `*args` / `**kwargs` set `spread`. */
export interface CallArgs {
  positional: PyNode[];
  keywords: Map<string, PyNode>;
  spread: boolean;
}

export function callArgs(call: PyNode): CallArgs {
  const out: CallArgs = { positional: [], keywords: new Map(), spread: false };
  const list = call.childForFieldName('arguments');
  if (!list) return out;
  for (const a of list.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) out.keywords.set(name, value);
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
      out.spread = true;
    } else {
      out.positional.push(a);
    }
  }
  return out;
}

/** Argument by keyword, falling back to a position. */
export function argAt(args: CallArgs, keyword: string, position?: number): PyNode | undefined {
  return args.keywords.get(keyword) ?? (position !== undefined ? args.positional[position] : undefined);
}

const typeIds = new Map<string, Set<number>>();

/** Grammar ids of the named node types in `names` (an alias may give one name several ids). */
function idsOf(root: PyNode, names: ReadonlySet<string>): Set<number> {
  const key = [...names].sort().join(',');
  let ids = typeIds.get(key);
  if (!ids) {
    ids = new Set<number>();
    const lang = root.tree.language;
    for (let id = 0; id < lang.nodeTypeCount; id++) {
      const name = lang.nodeTypeForId(id);
      if (name && names.has(name) && lang.nodeTypeIsNamed(id)) ids.add(id);
    }
    typeIds.set(key, ids);
  }
  return ids;
}

/**
 * Visits named nodes below `root` in document order, without recursion. With `only`, just the
 * nodes of those types are handed to `enter` (others are walked through by type id without
 * building node objects, which is most of the cost of a walk). `enter` returns false to skip a
 * node's children.
 */
export function walk(root: PyNode, enter: (n: PyNode) => boolean | void, only?: ReadonlySet<string>): void {
  const ids = only ? idsOf(root, only) : undefined;
  const cursor = root.walk();
  try {
    for (;;) {
      let descend = true;
      if (ids ? ids.has(cursor.nodeTypeId) : cursor.nodeIsNamed) descend = enter(cursor.currentNode) !== false;
      if (descend && cursor.gotoFirstChild()) continue;
      for (;;) {
        if (cursor.nodeId === root.id) return;
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}

const queries = new Map<string, Query>();

/**
 * Every node of the given types below `root`, in document order. Runs as a tree-sitter query
 * inside the WebAssembly module, which is several times cheaper than walking every node from
 * JavaScript; use it for "all calls in the file" questions.
 */
export function nodesOfType(root: PyNode, types: readonly string[], onLines?: RegExp, source?: string): PyNode[] {
  const key = types.join(',');
  let q = queries.get(key);
  if (!q) {
    q = new Query(root.tree.language, types.map((t) => `(${t}) @n`).join(' '));
    queries.set(key, q);
  }
  if (!onLines || source === undefined) return q.captures(root).map((c) => c.node);
  // Only the lines that mention what we look for: far fewer nodes to build on big files.
  const out: PyNode[] = [];
  const seen = new Set<number>();
  const lines = source.split('\n');
  for (let row = 0; row < lines.length; row++) {
    if (!onLines.test(lines[row]!)) continue;
    for (const c of q.captures(root, { startPosition: { row, column: 0 }, endPosition: { row: row + 1, column: 0 } })) {
      // Nodes that start on this line; an enclosing call that merely spans it is not what we look for.
      if (c.node.startPosition.row !== row) continue;
      if (seen.has(c.node.id)) continue;
      seen.add(c.node.id);
      out.push(c.node);
    }
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * Visits statements: the module's, and those nested in compound statements (if/try/with/for/
 * while/match), in class bodies and, with `functions`, in function bodies. Expressions are never
 * entered, so this stays cheap on large files.
 */
export function forEachStatement(block: PyNode, visit: (stmt: PyNode, inFunction: boolean) => void, opts: { functions?: boolean; classes?: boolean } = {}, inFunction = false): void {
  for (const s of block.namedChildren) {
    if (!s || s.type === 'comment') continue;
    visit(s, inFunction);
    const def = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
    if (!def) continue;
    if (def.type === 'function_definition') {
      if (opts.functions) {
        const b = def.childForFieldName('body');
        if (b) forEachStatement(b, visit, opts, true);
      }
      continue;
    }
    if (def.type === 'class_definition') {
      if (opts.classes) {
        const b = def.childForFieldName('body');
        if (b) forEachStatement(b, visit, opts, inFunction);
      }
      continue;
    }
    if (!/_statement$/.test(def.type) || def.type === 'expression_statement') continue;
    for (const ch of def.namedChildren) {
      if (!ch) continue;
      if (ch.type === 'block') forEachStatement(ch, visit, opts, inFunction);
      else if (/_clause$|^case_clause$|^block$/.test(ch.type) || ch.type === 'case_clause') {
        for (const b of ch.namedChildren) if (b?.type === 'block') forEachStatement(b, visit, opts, inFunction);
      } else if (ch.type === 'match_block' || ch.type === 'block') {
        for (const cc of ch.namedChildren) {
          const b = cc?.childForFieldName('consequence');
          if (b) forEachStatement(b, visit, opts, inFunction);
        }
      }
    }
  }
}

/** Statements of a block (or module), decorated definitions unwrapped to their definition. */
export function statements(block: PyNode | null | undefined): PyNode[] {
  const out: PyNode[] = [];
  for (const c of block?.namedChildren ?? []) {
    if (!c || c.type === 'comment') continue;
    out.push(c);
  }
  return out;
}

/** For `x = ...` / `x: T = ...` statements: the assignment node, else undefined. */
export function assignmentOf(stmt: PyNode): PyNode | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const a = stmt.namedChildren[0];
  return a && a.type === 'assignment' ? a : undefined;
}

/** The definition inside a decorated definition, with its decorators' expressions. */
export function unwrapDecorated(n: PyNode): { def: PyNode; decorators: PyNode[] } {
  if (n.type !== 'decorated_definition') return { def: n, decorators: [] };
  const def = n.childForFieldName('definition') ?? n;
  const decorators: PyNode[] = [];
  for (const c of n.namedChildren) {
    if (c?.type === 'decorator') {
      const e = c.namedChildren.find((x) => x && x.type !== 'comment');
      if (e) decorators.push(e);
    }
  }
  return { def, decorators };
}

/** Base class expressions and class keywords (`table=True`, `metaclass=`) of a class definition. */
export function classBases(cls: PyNode): { bases: string[]; keywords: Map<string, PyNode> } {
  const bases: string[] = [];
  const keywords = new Map<string, PyNode>();
  const sup = cls.childForFieldName('superclasses');
  for (const a of sup?.namedChildren ?? []) {
    if (!a) continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else {
      const d = dottedName(a) ?? (a.type === 'subscript' ? dottedName(a.childForFieldName('value')) : undefined);
      bases.push(d ?? a.text);
    }
  }
  return { bases, keywords };
}

/** True for paths of test code (pytest layout and conventions). */
export function isTestPath(p: string): boolean {
  const base = p.slice(p.lastIndexOf('/') + 1);
  return /(^|\/)(tests?|testing)\//.test(p) || /^test_.*\.py$/.test(base) || /_tests?\.py$/.test(base) || base === 'conftest.py';
}
