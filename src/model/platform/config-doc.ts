import { parse as parseToml, TomlError } from 'smol-toml';
import { isMap, isScalar, isSeq, parseYaml } from '../yaml.js';
import type { Node } from 'yaml';

/** A parsed config file (JSON, TOML or YAML) with the line of every key. */
export interface ConfigDoc {
  file: string;
  format: 'json' | 'toml' | 'yaml';
  /** Plain value; undefined when the file does not parse. */
  value: unknown;
  error?: { message: string; line: number };
  /** Every key of every table/object (array items by index), with its line. */
  keys: KeyAt[];
}

export interface KeyAt {
  path: (string | number)[];
  line: number;
}

/** Line of the key at `path`, or of its nearest parent that has one (1 when none). */
export function keyLine(doc: ConfigDoc, path: readonly (string | number)[]): number {
  for (let n = path.length; n > 0; n--) {
    const want = path.slice(0, n).join('\0');
    const k = doc.keys.find((x) => x.path.join('\0') === want);
    if (k) return k.line;
  }
  return 1;
}

/** Bytes; larger platform files are not parsed (a notice says so). */
export const MAX_CONFIG_BYTES = 256 * 1024;

export function parseConfigDoc(file: string, text: string): ConfigDoc {
  const format = /\.toml$/i.test(file) ? 'toml' : /\.ya?ml$/i.test(file) ? 'yaml' : 'json';
  if (text.length > MAX_CONFIG_BYTES) {
    return { file, format, value: undefined, error: { message: `file is over ${MAX_CONFIG_BYTES} bytes`, line: 1 }, keys: [] };
  }
  if (format === 'yaml') return yamlDoc(file, text);
  if (format === 'toml') return tomlDoc(file, text);
  return jsonDoc(file, text);
}

function yamlDoc(file: string, text: string): ConfigDoc {
  const y = parseYaml(text);
  if (y.error) return { file, format: 'yaml', value: undefined, error: y.error, keys: [] };
  const keys: KeyAt[] = [];
  const walk = (n: unknown, path: (string | number)[], depth: number) => {
    if (depth > 32) return;
    if (isMap(n)) {
      for (const pair of n.items) {
        if (!isScalar(pair.key)) continue;
        const p = [...path, String(pair.key.value)];
        keys.push({ path: p, line: y.lineOf(pair.key as Node) });
        walk(pair.value, p, depth + 1);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => {
        const p = [...path, i];
        keys.push({ path: p, line: y.lineOf(item as Node) });
        walk(item, p, depth + 1);
      });
    }
  };
  walk(y.doc.contents, [], 0);
  return { file, format: 'yaml', value: y.value, keys };
}

function tomlDoc(file: string, text: string): ConfigDoc {
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (err) {
    const line = err instanceof TomlError ? err.line : 1;
    const message = ((err as Error).message.split('\n')[0] ?? 'invalid TOML').replace(/^Invalid TOML document: /, '');
    return { file, format: 'toml', value: undefined, error: { message, line }, keys: [] };
  }
  return { file, format: 'toml', value, keys: tomlKeyLines(text) };
}

/**
 * Lines of TOML keys, found by scanning the text after smol-toml accepted it: table headers
 * (`[a.b]`, `[[a]]` with its index) and `key = value` lines, skipping multi-line strings and arrays.
 */
export function tomlKeyLines(text: string): KeyAt[] {
  const out: KeyAt[] = [];
  let table: (string | number)[] = [];
  const arrayCounts = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  let inString: string | undefined;
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (inString) {
      if (raw.includes(inString)) inString = undefined;
      continue;
    }
    if (depth > 0) {
      depth += bracketDelta(raw);
      continue;
    }
    const t = raw.trim();
    if (!t || t.startsWith('#')) continue;
    const arr = /^\[\[\s*([^\]]+?)\s*\]\]/.exec(t);
    const tab = arr ? undefined : /^\[\s*([^\]]+?)\s*\]/.exec(t);
    if (arr || tab) {
      const path = splitKey((arr ?? tab)![1]!);
      if (arr) {
        const k = path.join('\0');
        const n = arrayCounts.get(k) ?? 0;
        arrayCounts.set(k, n + 1);
        out.push({ path, line: i + 1 });
        table = [...path, n];
        out.push({ path: table, line: i + 1 });
      } else {
        table = path;
        out.push({ path, line: i + 1 });
      }
      continue;
    }
    const eq = keyEnd(t);
    if (eq < 0) continue;
    const path = [...table, ...splitKey(t.slice(0, eq))];
    out.push({ path, line: i + 1 });
    const rest = t.slice(eq + 1).trim();
    for (const q of ['"""', "'''"]) {
      if (rest.startsWith(q) && rest.indexOf(q, 3) < 0) inString = q;
    }
    if (!inString) depth = Math.max(0, bracketDelta(rest));
  }
  return out;
}

/** Index of the `=` that ends a key (outside quotes), or -1. */
function keyEnd(t: string): number {
  let q: string | undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '=') return i;
    else if (c === '#') return -1;
  }
  return -1;
}

/** `a."b.c".d` → ['a', 'b.c', 'd']. */
function splitKey(k: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (const c of k.trim()) {
    if (q) {
      if (c === q) q = undefined;
      else cur += c;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '.') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Net `[`/`{` minus `]`/`}` outside strings and comments (multi-line arrays and inline tables). */
function bracketDelta(s: string): number {
  let d = 0;
  let q: string | undefined;
  for (const c of s) {
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#') break;
    else if (c === '[' || c === '{') d++;
    else if (c === ']' || c === '}') d--;
  }
  return d;
}

function jsonDoc(file: string, text: string): ConfigDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { file, format: 'json', value: undefined, error: { message: (err as Error).message, line: jsonErrorLine(text, err as Error) }, keys: [] };
  }
  return { file, format: 'json', value, keys: jsonKeyLines(text) };
}

/** Node's message carries a character position (`at position 42`) or `line N column M`. */
function jsonErrorLine(text: string, err: Error): number {
  const lc = /line (\d+) column/.exec(err.message);
  if (lc) return Number(lc[1]);
  const pos = /position (\d+)/.exec(err.message);
  if (!pos) return 1;
  return text.slice(0, Number(pos[1])).split('\n').length;
}

/**
 * Lines of JSON object keys: a small tokenizer over valid JSON (strings, brackets, colons),
 * tracking the key path. Array items get their index.
 */
export function jsonKeyLines(text: string): KeyAt[] {
  const out: KeyAt[] = [];
  const stack: { kind: 'obj' | 'arr'; key?: string | number; index: number }[] = [];
  let line = 1;
  let pendingKey: string | undefined;
  const path = () => stack.slice(1).map((f) => f.key!) as (string | number)[];
  const prefix = path;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\') {
          s += text[j + 1] ?? '';
          j++;
        } else s += text[j];
      }
      const top = stack[stack.length - 1];
      if (top?.kind === 'obj' && expectKey) {
        pendingKey = s;
        out.push({ path: [...prefix(), s], line });
        expectKey = false;
      } else if (top?.kind === 'arr') out.push({ path: [...prefix(), top.index], line });
      i = j;
    } else if (c === '{' || c === '[') {
      const top = stack[stack.length - 1];
      const key = top?.kind === 'obj' ? pendingKey : top ? top.index : undefined;
      if (top?.kind === 'arr') out.push({ path: [...prefix(), top.index], line });
      stack.push({ kind: c === '{' ? 'obj' : 'arr', key, index: 0 });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'obj') expectKey = true;
      else if (top) top.index++;
    }
  }
  return out;
}
