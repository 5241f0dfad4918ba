import { parse, type Statement, type DataTypeDef, type CreateColumnDef } from 'pgsql-ast-parser';

/**
 * Replays PostgreSQL migration files (what `prisma migrate` writes) into the schema they leave
 * behind: tables, columns (type, nullability), enum types. Parsed with pgsql-ast-parser; a
 * statement it cannot parse marks the tables and types it names as uncertain, so comparisons skip
 * them instead of guessing.
 */

export interface DbColumn {
  name: string;
  /** Lower-cased type name (`text`, `timestamp`, `double precision`) or the enum type's name. */
  type: string;
  /** Set when the type is an enum created by the migrations. */
  enumType?: string;
  array: boolean;
  notNull: boolean;
}

export interface DbTable {
  name: string;
  columns: Map<string, DbColumn>;
  /** Migration that created it (path). */
  createdIn: string;
}

export interface DbState {
  tables: Map<string, DbTable>;
  enums: Map<string, string[]>;
  /** Tables/types touched by statements that did not parse. */
  uncertain: Set<string>;
  /** Statements that did not parse, for notices. */
  failures: { file: string; line: number; message: string }[];
}

export function emptyState(): DbState {
  return { tables: new Map(), enums: new Map(), uncertain: new Set(), failures: [] };
}

/** Applies one migration file to the state. */
export function applyMigration(state: DbState, file: string, rawSql: string): void {
  // Prisma writes warnings in /* */ comments, with backticks pgsql-ast-parser's lexer rejects.
  const sql = blankComments(rawSql);
  let statements: Statement[] | undefined;
  try {
    statements = parse(sql);
  } catch {
    statements = undefined;
  }
  if (statements) {
    for (const s of statements) apply(state, file, s);
    return;
  }
  // Statement by statement, so one unsupported statement costs only the objects it names.
  for (const piece of splitStatements(sql)) {
    let parsed: Statement[];
    try {
      parsed = parse(piece.text);
    } catch (err) {
      state.failures.push({ file, line: piece.line, message: (err as Error).message.split('\n')[0] ?? 'syntax error' });
      for (const name of namedObjects(piece.text)) state.uncertain.add(name);
      continue;
    }
    for (const s of parsed) apply(state, file, s);
  }
}

function apply(state: DbState, file: string, s: Statement): void {
  switch (s.type) {
    case 'create table': {
      const t: DbTable = { name: s.name.name, columns: new Map(), createdIn: file };
      for (const c of s.columns) if (c.kind === 'column') addColumn(state, t, c);
      // A table-level PRIMARY KEY makes its columns NOT NULL.
      for (const c of s.constraints ?? []) if (c.type === 'primary key') markNotNull(t, c.columns);
      state.tables.set(t.name, t);
      return;
    }
    case 'drop table':
      for (const n of s.names) state.tables.delete(n.name);
      return;
    case 'create enum':
      state.enums.set(s.name.name, s.values.map((v) => v.value));
      return;
    case 'alter enum': {
      const vals = state.enums.get(s.name.name);
      if (s.change.type === 'add value' && vals) vals.push(s.change.add.value);
      else if (s.change.type === 'rename') {
        state.enums.set(s.change.to.name, vals ?? []);
        state.enums.delete(s.name.name);
        renameType(state, s.name.name, s.change.to.name);
      }
      return;
    }
    case 'drop type':
      for (const n of s.names) state.enums.delete(n.name);
      return;
    case 'alter table': {
      let t = state.tables.get(s.table.name);
      if (!t) {
        state.uncertain.add(s.table.name);
        return;
      }
      for (const ch of s.changes) {
        switch (ch.type) {
          case 'add column':
            addColumn(state, t, ch.column);
            break;
          case 'drop column':
            t.columns.delete(ch.column.name);
            break;
          case 'rename column': {
            const c = t.columns.get(ch.column.name);
            if (c) {
              t.columns.delete(ch.column.name);
              c.name = ch.to.name;
              t.columns.set(c.name, c);
            }
            break;
          }
          case 'rename': {
            state.tables.delete(t.name);
            t = { ...t, name: ch.to.name };
            state.tables.set(t.name, t);
            break;
          }
          case 'alter column': {
            const c = t.columns.get(ch.column.name);
            if (!c) break;
            if (ch.alter.type === 'set not null') c.notNull = true;
            else if (ch.alter.type === 'drop not null') c.notNull = false;
            else if (ch.alter.type === 'set type') Object.assign(c, typeOf(state, ch.alter.dataType));
            break;
          }
          case 'add constraint':
            if (ch.constraint.type === 'primary key') markNotNull(t, ch.constraint.columns);
            break;
          default:
            break;
        }
      }
      return;
    }
    default:
      return;
  }
}

function markNotNull(t: DbTable, cols: readonly { name: string }[]): void {
  for (const col of cols) {
    const c = t.columns.get(col.name);
    if (c) c.notNull = true;
  }
}

function addColumn(state: DbState, t: DbTable, c: CreateColumnDef): void {
  const cons = c.constraints ?? [];
  const notNull = cons.some((k) => k.type === 'not null' || k.type === 'primary key');
  t.columns.set(c.name.name, { name: c.name.name, ...typeOf(state, c.dataType), notNull });
}

function typeOf(state: DbState, d: DataTypeDef): Pick<DbColumn, 'type' | 'enumType' | 'array'> {
  if (d.kind === 'array') return { ...typeOf(state, d.arrayOf), array: true };
  const name = d.name;
  if (state.enums.has(name)) return { type: name, enumType: name, array: false };
  return { type: name.toLowerCase(), array: false };
}

function renameType(state: DbState, from: string, to: string): void {
  for (const t of state.tables.values()) for (const c of t.columns.values()) if (c.enumType === from) {
    c.enumType = to;
    c.type = to;
  }
}

/**
 * Splits SQL into statements at top-level semicolons, respecting '...' strings, "..." identifiers,
 * $tag$ bodies and comments. A lexical scan, not a parser: it only finds statement boundaries.
 */
export function splitStatements(sql: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let i = 0;
  const n = sql.length;
  const push = (end: number): void => {
    // Leading blank and comment lines belong to no statement; the line is where the SQL begins.
    const lines = sql.slice(start, end).split('\n');
    let skip = 0;
    while (skip < lines.length && /^\s*(--.*)?$/.test(lines[skip]!)) skip++;
    const text = lines.slice(skip).join('\n').trim();
    if (!text) return;
    out.push({ text, line: startLine + skip });
  };
  while (i < n) {
    const c = sql[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      const stop = e < 0 ? n : e + 2;
      for (let k = i; k < stop; k++) if (sql[k] === '\n') line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && !(sql[j] === c && sql[j + 1] !== c)) {
        if (sql[j] === c) j++;
        if (sql[j] === '\n') line++;
        j++;
      }
      i = j + 1;
    } else if (c === '$') {
      const m = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const e = sql.indexOf(m[0], i + m[0].length);
        const stop = e < 0 ? n : e + m[0].length;
        for (let k = i; k < stop; k++) if (sql[k] === '\n') line++;
        i = stop;
      } else i++;
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
      startLine = line;
    } else i++;
  }
  push(n);
  return out;
}

/** Names after TABLE / TYPE / ON in a statement we could not parse (quoted or bare, schema dropped). */
function namedObjects(text: string): string[] {
  const out: string[] = [];
  const re = /\b(?:TABLE|TYPE|ON)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:ONLY\s+)?(?:"[^"]+"\.|\w+\.)?("([^"]+)"|(\w+))/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[2] ?? m[3]!);
  return out;
}

/** Replaces comment text with spaces (newlines kept, so lines still match), outside strings. */
export function blankComments(sql: string): string {
  const out = sql.split('');
  const n = sql.length;
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      const stop = e < 0 ? n : e;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      const stop = e < 0 ? n : e + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      i = j + 1;
    } else if (c === '$') {
      const m = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const e = sql.indexOf(m[0], i + m[0].length);
        i = e < 0 ? n : e + m[0].length;
      } else i++;
    } else i++;
  }
  return out.join('');
}
