/**
 * A parser for the Prisma schema language (PSL): datasource/generator blocks, models, views,
 * enums and composite types, with fields, their types and modifiers, and field and block
 * attributes. A real tokenizer and a recursive-descent parser, not line regexes: strings with
 * escapes, comments, nested attribute arguments (`@default(dbgenerated("gen_random_uuid()"))`)
 * and fields split over lines by arguments all parse. Errors are collected, never thrown.
 */

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'newline' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
}

/** Tokens of a schema; `//` and `///` comments are dropped, newlines kept (they end fields). */
export function tokenize(src: string): { tokens: Token[]; errors: SchemaError[] } {
  const tokens: Token[] = [];
  const errors: SchemaError[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', line });
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      // Not PSL, but tolerate block comments rather than fail the whole file.
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < n && src[j] !== '"' && src[j] !== '\n') {
        if (src[j] === '\\' && j + 1 < n) {
          const e = src[j + 1]!;
          text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else text += src[j++];
      }
      if (src[j] !== '"') errors.push({ line, message: 'unterminated string' });
      tokens.push({ kind: 'string', text, line });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      tokens.push({ kind: 'ident', text: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9.]/.test(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && /[0-9.eE+-]/.test(src[j]!)) j++;
      tokens.push({ kind: 'number', text: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (c === '@' && src[i + 1] === '@') {
      tokens.push({ kind: 'punct', text: '@@', line });
      i += 2;
      continue;
    }
    if ('{}()[]@?=,.:!'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, line });
      i++;
      continue;
    }
    errors.push({ line, message: `unexpected character ${JSON.stringify(c)}` });
    i++;
  }
  tokens.push({ kind: 'eof', text: '', line });
  return { tokens, errors };
}

export interface SchemaError {
  line: number;
  message: string;
}

/** An attribute argument, kept as plain data: `"x"`, `1`, `now()`, `[a, b]`, `fields: [id]`. */
export type AttrValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'ident'; value: string }
  | { kind: 'call'; name: string; args: AttrArg[] }
  | { kind: 'array'; items: AttrValue[] };

export interface AttrArg {
  name?: string;
  value: AttrValue;
}

export interface Attribute {
  /** `id`, `default`, `map`, `db.VarChar`, `relation`... (without the @). */
  name: string;
  args: AttrArg[];
  line: number;
}

export interface PrismaField {
  name: string;
  /** Type name: `String`, `Int`, a model, an enum, `Unsupported`. */
  type: string;
  list: boolean;
  optional: boolean;
  /** `Unsupported("circle")`: a column type Prisma does not model. */
  unsupported?: string;
  attributes: Attribute[];
  line: number;
}

export interface PrismaBlock {
  kind: 'model' | 'view' | 'type' | 'enum';
  name: string;
  line: number;
  fields: PrismaField[];
  /** Enum values. */
  values: { name: string; line: number; attributes: Attribute[] }[];
  blockAttributes: Attribute[];
}

export interface PrismaConfigBlock {
  kind: 'datasource' | 'generator';
  name: string;
  line: number;
  /** `provider = "postgresql"` → provider: { value: 'postgresql' }. */
  entries: Record<string, { value: AttrValue; line: number }>;
}

export interface PrismaSchema {
  blocks: PrismaBlock[];
  configs: PrismaConfigBlock[];
  errors: SchemaError[];
}

/** Parses a Prisma schema; syntax errors are collected and parsing resumes at the next block. */
export function parsePrismaSchema(src: string): PrismaSchema {
  const { tokens, errors } = tokenize(src);
  return new Parser(tokens, errors).schema();
}

class ParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const BLOCK_KEYWORDS = new Set(['model', 'view', 'type', 'enum', 'datasource', 'generator']);

/** Bound on nesting of attribute arguments (hostile input). */
const MAX_DEPTH = 32;

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly errors: SchemaError[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private is(text: string, kind: TokenKind = 'punct'): boolean {
    const t = this.peek();
    return t.kind === kind && t.text === text;
  }

  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || (t.kind !== 'punct' && t.kind !== 'ident')) throw new ParseError(t.line, `expected "${text}", found ${describe(t)}`);
    return t;
  }

  private ident(): Token {
    const t = this.next();
    if (t.kind !== 'ident') throw new ParseError(t.line, `expected a name, found ${describe(t)}`);
    return t;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.pos++;
  }

  schema(): PrismaSchema {
    const blocks: PrismaBlock[] = [];
    const configs: PrismaConfigBlock[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') break;
      const start = this.pos;
      try {
        const kw = this.ident();
        if (kw.text === 'model' || kw.text === 'view' || kw.text === 'type' || kw.text === 'enum') blocks.push(this.block(kw));
        else if (kw.text === 'datasource' || kw.text === 'generator') configs.push(this.config(kw));
        else throw new ParseError(kw.line, `unknown block "${kw.text}"`);
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        this.errors.push({ line: err.line, message: err.message });
        this.recover(start);
      }
    }
    return { blocks, configs, errors: this.errors };
  }

  /** Skips to the next line that starts a block (`model X {`, `enum Y {`...). */
  private recover(start: number): void {
    this.pos = start + 1;
    while (this.peek().kind !== 'eof') {
      const prev = this.tokens[this.pos - 1];
      const t = this.peek();
      if (prev?.kind === 'newline' && t.kind === 'ident' && BLOCK_KEYWORDS.has(t.text) && this.peek(1).kind === 'ident' && this.peek(2).text === '{') return;
      this.pos++;
    }
  }

  private block(kw: Token): PrismaBlock {
    const name = this.ident();
    this.expect('{');
    const b: PrismaBlock = { kind: kw.text as PrismaBlock['kind'], name: name.text, line: kw.line, fields: [], values: [], blockAttributes: [] };
    for (;;) {
      this.skipNewlines();
      if (this.is('}')) {
        this.next();
        return b;
      }
      if (this.peek().kind === 'eof') throw new ParseError(this.peek().line, `block "${b.name}" is not closed`);
      if (this.is('@@')) {
        this.next();
        b.blockAttributes.push(this.attribute(this.peek().line));
      } else if (b.kind === 'enum') {
        const v = this.ident();
        const attributes: Attribute[] = [];
        while (this.is('@')) {
          this.next();
          attributes.push(this.attribute(v.line));
        }
        b.values.push({ name: v.text, line: v.line, attributes });
      } else b.fields.push(this.field());
      this.endOfLine();
    }
  }

  private endOfLine(): void {
    const t = this.peek();
    if (t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'punct' && t.text === '}')) return;
    throw new ParseError(t.line, `unexpected ${describe(t)}`);
  }

  private field(): PrismaField {
    const name = this.ident();
    const type = this.ident();
    const f: PrismaField = { name: name.text, type: type.text, list: false, optional: false, attributes: [], line: name.line };
    if (type.text === 'Unsupported' && this.is('(')) {
      this.next();
      const s = this.next();
      f.unsupported = s.text;
      this.expect(')');
    }
    if (this.is('[')) {
      this.next();
      this.expect(']');
      f.list = true;
    }
    if (this.is('?')) {
      this.next();
      f.optional = true;
    }
    // Prisma 1 style `String!` is not valid, but harmless to accept.
    if (this.is('!')) this.next();
    while (this.is('@')) {
      this.next();
      f.attributes.push(this.attribute(name.line));
    }
    return f;
  }

  /** `id`, `default(now())`, `db.VarChar(255)`, `relation(fields: [a], references: [b])`. */
  private attribute(line: number): Attribute {
    let name = this.ident().text;
    while (this.is('.')) {
      this.next();
      name += '.' + this.ident().text;
    }
    const a: Attribute = { name, args: [], line };
    if (this.is('(')) a.args = this.args(0);
    return a;
  }

  private args(depth: number): AttrArg[] {
    if (depth > MAX_DEPTH) throw new ParseError(this.peek().line, 'attribute arguments nested too deeply');
    this.expect('(');
    const out: AttrArg[] = [];
    this.skipNewlines();
    while (!this.is(')')) {
      let argName: string | undefined;
      if (this.peek().kind === 'ident' && this.peek(1).kind === 'punct' && this.peek(1).text === ':') {
        argName = this.next().text;
        this.next();
      }
      out.push({ ...(argName !== undefined ? { name: argName } : {}), value: this.value(depth + 1) });
      this.skipNewlines();
      if (this.is(',')) {
        this.next();
        this.skipNewlines();
      } else if (!this.is(')')) throw new ParseError(this.peek().line, `expected "," or ")", found ${describe(this.peek())}`);
    }
    this.next();
    return out;
  }

  private value(depth: number): AttrValue {
    if (depth > MAX_DEPTH) throw new ParseError(this.peek().line, 'value nested too deeply');
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', value: t.text };
    if (t.kind === 'number') return { kind: 'number', value: t.text };
    if (t.kind === 'punct' && t.text === '[') {
      const items: AttrValue[] = [];
      this.skipNewlines();
      while (!this.is(']')) {
        items.push(this.value(depth + 1));
        this.skipNewlines();
        if (this.is(',')) {
          this.next();
          this.skipNewlines();
        } else if (!this.is(']')) throw new ParseError(this.peek().line, `expected "," or "]", found ${describe(this.peek())}`);
      }
      this.next();
      return { kind: 'array', items };
    }
    if (t.kind === 'ident') {
      let name = t.text;
      while (this.is('.')) {
        this.next();
        name += '.' + this.ident().text;
      }
      if (this.is('(')) return { kind: 'call', name, args: this.args(depth + 1) };
      return { kind: 'ident', value: name };
    }
    throw new ParseError(t.line, `expected a value, found ${describe(t)}`);
  }

  private config(kw: Token): PrismaConfigBlock {
    const name = this.ident();
    this.expect('{');
    const c: PrismaConfigBlock = { kind: kw.text as PrismaConfigBlock['kind'], name: name.text, line: kw.line, entries: {} };
    for (;;) {
      this.skipNewlines();
      if (this.is('}')) {
        this.next();
        return c;
      }
      const key = this.ident();
      this.expect('=');
      c.entries[key.text] = { value: this.value(0), line: key.line };
      this.endOfLine();
    }
  }
}

function describe(t: Token): string {
  return t.kind === 'eof' ? 'end of file' : t.kind === 'newline' ? 'end of line' : `"${t.text}"`;
}

/** The string value of an attribute's first (or named) argument: `@map("user_id")` → user_id. */
export function attrString(attrs: readonly Attribute[], name: string, arg?: string): string | undefined {
  const a = attrs.find((x) => x.name === name);
  const v = arg ? a?.args.find((x) => x.name === arg)?.value : (a?.args.find((x) => x.name === undefined || x.name === 'name')?.value ?? a?.args[0]?.value);
  return v?.kind === 'string' ? v.value : undefined;
}
