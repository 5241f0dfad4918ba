import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/** Limits that keep hostile YAML (alias bombs, deep nesting) bounded. */
export const YAML_LIMITS = {
  /** The `yaml` library stops expanding aliases past this many (billion-laughs guard). */
  maxAliasCount: 100,
  /** Bytes; larger YAML files are not parsed. */
  maxBytes: 512 * 1024,
} as const;

export interface ParsedYaml {
  doc: Document.Parsed;
  /** 1-based line of a node's start. */
  lineOf(node: Node | null | undefined): number;
  /** Plain JS value; undefined when the document has errors or expanding it blows the limits. */
  value: unknown;
  /** First error, with its line, when the text is not valid YAML. */
  error?: { message: string; line: number };
}

/** Parses YAML keeping source positions; never throws. */
export function parseYaml(text: string): ParsedYaml {
  const lc = new LineCounter();
  const doc = parseDocument(text.length > YAML_LIMITS.maxBytes ? '' : text, {
    lineCounter: lc,
    prettyErrors: false,
    uniqueKeys: false,
  });
  const lineOf = (node: Node | null | undefined): number => {
    const r = node?.range;
    return r ? lc.linePos(r[0]).line : 1;
  };
  if (text.length > YAML_LIMITS.maxBytes) {
    return { doc, lineOf, value: undefined, error: { message: `file is over ${YAML_LIMITS.maxBytes} bytes`, line: 1 } };
  }
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? lc.linePos(first.pos[0]).line;
    return { doc, lineOf, value: undefined, error: { message: first.message.split('\n')[0] ?? 'invalid YAML', line } };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount });
  } catch (err) {
    return { doc, lineOf, value: undefined, error: { message: (err as Error).message, line: 1 } };
  }
  return { doc, lineOf, value };
}

/** The node stored under a key path in a parsed document (maps only), or undefined. */
export function nodeAt(doc: Document.Parsed, keys: readonly (string | number)[]): Node | undefined {
  const n = doc.getIn(keys, true) as Node | undefined;
  return n ?? undefined;
}

/** The key node of `key` inside the map at `keys` (for pointing at the key's line). */
export function keyNodeAt(doc: Document.Parsed, keys: readonly (string | number)[], key: string): Node | undefined {
  const parent = keys.length ? doc.getIn(keys, true) : doc.contents;
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key;
  }
  return undefined;
}

export { isMap, isScalar, isSeq };
