import { parse, type CreateColumnDef, type DataTypeDef, type Statement } from 'pgsql-ast-parser';
import { defineFacts, lineAt, type ProjectModel } from '../project.js';
import type { SchemaOp } from './schema.js';
import { splitStatements } from './split.js';
import { sqlFamily, type ColumnDef } from './types.js';

/**
 * SQL migrations: `CREATE TABLE`, `ALTER TABLE ... ADD/DROP/ALTER COLUMN`, renames and drops,
 * parsed with pgsql-ast-parser. Scripts in other dialects (MySQL backticks, AUTO_INCREMENT,
 * SQLite AUTOINCREMENT) get a light rewrite first; a statement that still does not parse leaves
 * a parse notice and marks its table as unreadable rather than guessing.
 */

/** Globs of SQL files the model reads. */
export const SQL_FILES = ['**/*.sql'] as const;

/** Down/undo/rollback scripts undo a migration; they are not part of the schema. */
const NOT_UP = /(^|[._/-])(down|undo|rollback|revert)([._/-]|$)|(^|\/)U\d+__/i;
/** Test fixtures may hold throwaway schemas. */
const TEST_DIR = /(^|\/)(tests?|fixtures?|testdata|spec)\//i;

export function isSqlMigrationPath(p: string): boolean {
  return p.endsWith('.sql') && !NOT_UP.test(p.slice(p.lastIndexOf('/') + 1)) && !TEST_DIR.test(p);
}

/** Natural order: `2_x.sql` before `10_x.sql`, `V2__` before `V10__`. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function typeName(t: DataTypeDef): string {
  if (t.kind === 'array') return `${typeName(t.arrayOf)}[]`;
  const name = t.schema ? `${t.schema}.${t.name}` : t.name;
  return t.config?.length ? `${name}(${t.config.join(',')})` : name;
}

function columnDef(c: CreateColumnDef, file: string, text: string, base: number, tablePk: Set<string>): ColumnDef {
  const cons = c.constraints ?? [];
  const pk = cons.some((x) => x.type === 'primary key') || tablePk.has(c.name.name.toLowerCase());
  const type = typeName(c.dataType);
  const family = c.dataType.kind === 'array' ? 'array' : sqlFamily(c.dataType.name);
  const def: ColumnDef = {
    name: c.name.name,
    type,
    family,
    primaryKey: pk,
    hasDefault: cons.some((x) => x.type === 'default' || x.type === 'add generated') || /serial/i.test(type),
    file,
    line: lineAt(text, base + (c._location?.start ?? 0)),
  };
  if (cons.some((x) => x.type === 'not null') || pk) def.nullable = false;
  else if (cons.some((x) => x.type === 'null')) def.nullable = true;
  return def;
}

function opsOf(st: Statement, file: string, text: string, base: number): SchemaOp[] {
  const line = lineAt(text, base + (st._location?.start ?? 0));
  switch (st.type) {
    case 'create table': {
      if (st.inherits?.length) return [{ op: 'opaque', table: st.name.name, file, line, detail: 'CREATE TABLE with INHERITS' }];
      const pk = new Set<string>();
      for (const c of st.constraints ?? []) if (c.type === 'primary key') for (const col of c.columns) pk.add(col.name.toLowerCase());
      const columns: ColumnDef[] = [];
      for (const c of st.columns) if (c.kind === 'column') columns.push(columnDef(c, file, text, base, pk));
      const out: SchemaOp[] = [{ op: 'create-table', table: st.name.name, columns, file, line }];
      if (st.columns.some((c) => c.kind !== 'column')) out.push({ op: 'opaque', table: st.name.name, file, line, detail: 'CREATE TABLE with LIKE' });
      return out;
    }
    case 'alter table': {
      const table = st.table.name;
      const out: SchemaOp[] = [];
      for (const ch of st.changes) {
        const l = lineAt(text, base + (ch._location?.start ?? st._location?.start ?? 0));
        switch (ch.type) {
          case 'add column':
            out.push({ op: 'add-column', table, column: columnDef(ch.column, file, text, base, new Set()), file, line: l });
            break;
          case 'drop column':
            out.push({ op: 'drop-column', table, column: ch.column.name, file, line: l });
            break;
          case 'rename':
            out.push({ op: 'rename-table', table, to: ch.to.name, file, line: l });
            break;
          case 'rename column':
            out.push({ op: 'rename-column', table, column: ch.column.name, to: ch.to.name, file, line: l });
            break;
          case 'alter column': {
            const a = ch.alter;
            if (a.type === 'set type') out.push({ op: 'alter-type', table, column: ch.column.name, type: typeName(a.dataType), family: a.dataType.kind === 'array' ? 'array' : sqlFamily(a.dataType.name), file, line: l });
            else if (a.type === 'set not null') out.push({ op: 'set-nullable', table, column: ch.column.name, nullable: false, file, line: l });
            else if (a.type === 'drop not null') out.push({ op: 'set-nullable', table, column: ch.column.name, nullable: true, file, line: l });
            break;
          }
          default:
            break;
        }
      }
      return out;
    }
    case 'drop table':
      return st.names.map((n) => ({ op: 'drop-table' as const, table: n.name, file, line }));
    default:
      return [];
  }
}

/** Blanks a match while keeping offsets and line breaks, so locations still point into the original text. */
function blank(m: string): string {
  return m.replace(/[^\n]/g, ' ');
}

/**
 * MySQL and SQLite spellings pgsql-ast-parser does not take, blanked or swapped for same-length
 * PostgreSQL look-alikes (unknown type names such as `datetime` or `tinyint` parse as they are).
 */
function dialectRewrite(s: string): string {
  return s
    .replace(/`([^`]*)`/g, '"$1"')
    .replace(/\bAUTO_?INCREMENT\b(\s*=\s*\d+)?/gi, blank)
    .replace(/\bUNSIGNED\b/gi, blank)
    .replace(/\b(ENGINE|DEFAULT\s+CHARSET|CHARSET|CHARACTER\s+SET|COLLATE|ROW_FORMAT)\s*=?\s*[\w-]+/gi, blank)
    .replace(/\bCOMMENT\s*=?\s*'(?:[^']|'')*'/gi, blank)
    .replace(/\bON\s+UPDATE\s+CURRENT_TIMESTAMP(\(\))?/gi, blank)
    .replace(/\b(tinyint|smallint|mediumint|int|integer|bigint)(\s*\(\s*\d+\s*\))/gi, (_m, t: string, size: string) => t + blank(size))
    .replace(/,(\s*(UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?(KEY|INDEX)\s+"?[\w]*"?\s*\([^)]*\))/gi, blank)
    .replace(/\bWITHOUT\s+ROWID\b/gi, blank);
}

const DDL = /^\s*(CREATE\s+(TEMP(ORARY)?\s+)?TABLE|ALTER\s+TABLE|DROP\s+TABLE)\b/i;

/** The table a DDL statement names, read lexically (only for statements the parser refused). */
function ddlTable(s: string): string | undefined {
  const m = /^\s*(?:CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE|ALTER\s+TABLE|DROP\s+TABLE)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:ONLY\s+)?([`"\w.]+)/i.exec(s);
  return m?.[1]?.replace(/[`"]/g, '').split('.').pop();
}

export interface SqlParseResult {
  ops: SchemaOp[];
  /** Statements that did not parse (first 3), for the parse notice. */
  failures: { line: number; message: string }[];
}

/**
 * Schema ops of an SQL script. `base` is the offset of `sql` inside `text` (for SQL embedded in a
 * Python string), used only for line numbers.
 */
export function parseSqlScript(file: string, sql: string, text: string = sql, base = 0): SqlParseResult {
  const failures: SqlParseResult['failures'] = [];
  try {
    const sts = parse(sql, { locationTracking: true });
    return { ops: sts.flatMap((st) => opsOf(st, file, text, base)), failures };
  } catch {
    // Fall through to statement-by-statement parsing.
  }
  const ops: SchemaOp[] = [];
  for (const s of splitStatements(sql)) {
    if (!DDL.test(s.text.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''))) continue;
    let sts: Statement[] | undefined;
    const candidates = [s.text, dialectRewrite(s.text)];
    for (const [i, candidate] of candidates.entries()) {
      try {
        sts = parse(candidate, { locationTracking: true });
        break;
      } catch (err) {
        if (i === candidates.length - 1) {
          const line = lineAt(text, base + s.start);
          if (failures.length < 3) failures.push({ line, message: (err as Error).message.split('\n')[0]!.slice(0, 160) });
          ops.push({ op: 'opaque', table: ddlTable(s.text), file, line, detail: 'statement did not parse' });
        }
      }
    }
    // Offsets from a rewritten statement are only approximately right; lines stay within it.
    for (const st of sts ?? []) ops.push(...opsOf(st, file, text, base + s.start));
  }
  return { ops, failures };
}

/** `dbmate` keeps up and down in one file: only the part above `-- migrate:down` runs on deploy. */
function upPart(text: string): string {
  const i = text.search(/^--\s*migrate:down\b/m);
  return i < 0 ? text : text.slice(0, i);
}

export interface SqlMigrationFile {
  file: string;
  ops: SchemaOp[];
}

/** Every SQL migration file the scan read, in natural path order, with its schema ops. */
export const sqlMigrations = defineFacts('sql-migrations', (model: ProjectModel): SqlMigrationFile[] => {
  const files = SQL_FILES.flatMap((g) => model.read(g)).filter(isSqlMigrationPath).sort(naturalCompare);
  const out: SqlMigrationFile[] = [];
  for (const file of files) {
    const text = model.text(file) ?? '';
    if (text.length > 2_000_000) {
      model.parseNotice(file, 'SQL file larger than 2 MB; not read as a migration');
      continue;
    }
    const { ops, failures } = parseSqlScript(file, upPart(text), text);
    if (failures.length) {
      const f = failures[0]!;
      model.parseNotice(file, `SQL statement near line ${f.line} did not parse (${f.message}); its table is left out of schema comparisons`);
    }
    if (ops.length) out.push({ file, ops });
  }
  return out;
});
