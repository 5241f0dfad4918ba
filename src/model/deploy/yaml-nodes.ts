import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/**
 * Small helpers to walk a parsed YAML document while keeping nodes (for line numbers). Aliases
 * are resolved and `<<` merge keys are expanded (compose files use `x-common: &common` a lot);
 * merged entries keep the line of the anchor they come from.
 */
export interface Entry {
  key: string;
  keyNode: Node;
  value: Node | null;
}

const MAX_MERGE_DEPTH = 8;

export function resolve(doc: Document.Parsed, n: unknown): Node | null {
  let cur = n;
  for (let k = 0; k < MAX_MERGE_DEPTH && isAlias(cur); k++) cur = cur.resolve(doc);
  return (cur as Node | null | undefined) ?? null;
}

/** Entries of a map node, merge keys expanded (explicit keys win over merged ones). */
export function entries(doc: Document.Parsed, n: unknown, depth = 0): Entry[] {
  const node = resolve(doc, n);
  if (!isMap(node) || depth > MAX_MERGE_DEPTH) return [];
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const item of node.items) {
    if (!isPair(item)) continue;
    const keyNode = item.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    if (key === '<<') {
      const v = resolve(doc, item.value);
      const sources = isSeq(v) ? v.items : [v];
      for (const s of sources) merged.push(...entries(doc, s, depth + 1));
      continue;
    }
    own.push({ key, keyNode, value: resolve(doc, item.value) });
  }
  const seen = new Set(own.map((e) => e.key));
  return [...own, ...merged.filter((e) => !seen.has(e.key))];
}

export function entry(doc: Document.Parsed, n: unknown, key: string): Entry | undefined {
  return entries(doc, n).find((e) => e.key === key);
}

/** Items of a sequence node (aliases resolved). */
export function items(doc: Document.Parsed, n: unknown): Node[] {
  const node = resolve(doc, n);
  if (!isSeq(node)) return [];
  return node.items.map((i) => resolve(doc, i)).filter((i): i is Node => i !== null);
}

/** A scalar's value as a string (numbers and booleans stringified); undefined for null or non-scalars. */
export function str(n: Node | null | undefined): string | undefined {
  if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
  // Compose's `!reset` removes an inherited value; it is not the string "null".
  if (n.tag === '!reset') return undefined;
  return String(n.value);
}

export { isMap, isScalar, isSeq };
