/**
 * Compose variable interpolation (`${VAR}`, `${VAR:-default}`, `${VAR?err}`, `$VAR`, `$$`), as the
 * Compose specification defines it. A small scanner, not a regex, so nested defaults such as
 * `${A:-${B:-x}}` and escaped `$$` come out right.
 */
export type InterpolationModifier = ':-' | '-' | ':?' | '?' | ':+' | '+';

export interface Interpolation {
  name: string;
  /** Absent for plain `${VAR}` / `$VAR`. */
  modifier?: InterpolationModifier;
  /** Text after the modifier: the default (`:-`, `-`), the error message (`:?`, `?`) or the alternative (`:+`, `+`). */
  operand?: string;
  /** The whole expression as written, for messages. */
  raw: string;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const MODIFIERS: readonly InterpolationModifier[] = [':-', ':?', ':+', '-', '?', '+'];

/** Every interpolation in a string, outermost first, then the ones nested in operands. */
export function findInterpolations(text: string): Interpolation[] {
  const out: Interpolation[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = matchingBrace(text, i + 1);
      if (end < 0) break;
      const body = text.slice(i + 2, end);
      const parsed = parseBody(body);
      if (parsed) {
        out.push({ ...parsed, raw: text.slice(i, end + 1) });
        if (parsed.operand) out.push(...findInterpolations(parsed.operand));
      }
      i = end + 1;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      out.push({ name: text.slice(i + 1, j), raw: text.slice(i, j) });
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '{') depth++;
    else if (text[k] === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

function parseBody(body: string): Omit<Interpolation, 'raw'> | undefined {
  let j = 0;
  if (!NAME_START.test(body[0] ?? '')) return undefined;
  while (j < body.length && NAME_CHAR.test(body[j]!)) j++;
  const name = body.slice(0, j);
  if (j === body.length) return { name };
  const rest = body.slice(j);
  const modifier = MODIFIERS.find((m) => rest.startsWith(m));
  if (!modifier) return undefined;
  return { name, modifier, operand: rest.slice(modifier.length) };
}

/** True when the variable must be set (the expression has no default and no alternative). */
export function isRequiredInterpolation(i: Interpolation): boolean {
  return i.modifier === undefined || i.modifier === ':?' || i.modifier === '?';
}

/** The value used when the variable is unset, if the expression gives one. */
export function defaultOf(i: Interpolation): string | undefined {
  return i.modifier === ':-' || i.modifier === '-' ? i.operand : undefined;
}
