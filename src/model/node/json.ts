import { ts } from 'ts-morph';
import { lineAt } from '../project.js';

/** JSON value as parsed: plain data, objects without prototypes surprises. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ParsedJson {
  /** The document's value; undefined when it did not parse. */
  value: JsonValue | undefined;
  /** 1-based line of the value at a key path (`['scripts', 'start']`), or of the nearest parent. */
  lineOf(path: readonly (string | number)[]): number;
  /** First syntax error, when there is one. */
  error?: { message: string; line: number };
}

/** TypeScript's parser recurses per nesting level; deeper text is refused before it can overflow the stack. */
const MAX_PARSE_DEPTH = 256;

/** Offset where bracket nesting (outside strings) passes MAX_PARSE_DEPTH, or 0. */
function nestingPastLimit(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) {
      if (++depth > MAX_PARSE_DEPTH) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return 0;
}

/** Nesting deeper than this is not converted (hostile input); the value is cut there. */
const MAX_DEPTH = 64;

/**
 * Parses JSON or JSONC (tsconfig allows comments and trailing commas) with TypeScript's JSON
 * parser, keeping the line of every value so findings can point at `"start": ...`. Never throws.
 * `strict` reports comments and trailing commas as errors (package.json must be plain JSON).
 */
export function parseJson(text: string, opts: { strict?: boolean } = {}): ParsedJson {
  const deep = nestingPastLimit(text);
  if (deep) {
    return { value: undefined, lineOf: () => 1, error: { message: `nested deeper than ${MAX_PARSE_DEPTH} levels; not parsed`, line: lineAt(text, deep) } };
  }
  const sf = ts.parseJsonText('file.json', text);
  const lines = new Map<string, number>();
  const diags = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const first = diags[0];
  const lineOfPos = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const lineOf = (path: readonly (string | number)[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const l = lines.get(key(path.slice(0, n)));
      if (l !== undefined) return l;
    }
    return 1;
  };
  if (first) {
    return {
      value: undefined,
      lineOf,
      error: { message: ts.flattenDiagnosticMessageText(first.messageText, ' '), line: lineOfPos(first.start ?? 0) },
    };
  }
  if (opts.strict) {
    const bad = strictProblem(text);
    if (bad) return { value: undefined, lineOf, error: bad };
  }
  const root = sf.statements[0]?.expression;
  const value = root ? convert(root, [], 0) : undefined;
  return { value, lineOf };

  function convert(node: ts.Expression, path: (string | number)[], depth: number): JsonValue {
    lines.set(key(path), lineOfPos(node.getStart(sf)));
    if (depth > MAX_DEPTH) return null;
    switch (node.kind) {
      case ts.SyntaxKind.StringLiteral:
        return (node as ts.StringLiteral).text;
      case ts.SyntaxKind.NumericLiteral:
        return Number((node as ts.NumericLiteral).text);
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression;
        const v = ts.isNumericLiteral(u.operand) ? Number(u.operand.text) : 0;
        return u.operator === ts.SyntaxKind.MinusToken ? -v : v;
      }
      case ts.SyntaxKind.TrueKeyword:
        return true;
      case ts.SyntaxKind.FalseKeyword:
        return false;
      case ts.SyntaxKind.ArrayLiteralExpression:
        return (node as ts.ArrayLiteralExpression).elements.map((e, i) => convert(e, [...path, i], depth + 1));
      case ts.SyntaxKind.ObjectLiteralExpression: {
        const out: { [key: string]: JsonValue } = Object.create(null) as { [key: string]: JsonValue };
        for (const p of (node as ts.ObjectLiteralExpression).properties) {
          if (!ts.isPropertyAssignment(p)) continue;
          const name = ts.isStringLiteral(p.name) || ts.isIdentifier(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : undefined;
          if (name === undefined) continue;
          out[name] = convert(p.initializer, [...path, name], depth + 1);
          // Point at the key, where a reader looks, rather than at the value.
          lines.set(key([...path, name]), lineOfPos(p.getStart(sf)));
        }
        return out;
      }
      default:
        return null;
    }
  }
}

function key(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

/** Where plain JSON.parse would fail although the lenient parser accepted the text. */
function strictProblem(text: string): { message: string; line: number } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    return { message: (err as Error).message, line: m ? lineAt(text, Number(m[1])) : 1 };
  }
}

/** Narrowing helpers for reading parsed JSON without casts everywhere. */
export function asObject(v: JsonValue | undefined): { [key: string]: JsonValue } | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function asString(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function asStringArray(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
