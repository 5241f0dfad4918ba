import type { ColumnDef, ColumnFamily } from './types.js';
import { normaliseTable } from './types.js';

/** One schema change, from an SQL script or an Alembic revision. */
export type SchemaOp =
  | { op: 'create-table'; table: string; columns: ColumnDef[]; file: string; line: number }
  | { op: 'add-column'; table: string; column: ColumnDef; file: string; line: number }
  | { op: 'drop-column'; table: string; column: string; file: string; line: number }
  | { op: 'alter-type'; table: string; column: string; type: string; family: ColumnFamily; file: string; line: number }
  | { op: 'set-nullable'; table: string; column: string; nullable: boolean; file: string; line: number }
  | { op: 'rename-table'; table: string; to: string; file: string; line: number }
  | { op: 'rename-column'; table: string; column: string; to: string; file: string; line: number }
  | { op: 'drop-table'; table: string; file: string; line: number }
  /**
   * Something changed this table (or, without a table, possibly any table) that the model could
   * not read: an unparseable statement, a loop in a revision. Rules stop trusting that table.
   */
  | { op: 'opaque'; table?: string; file: string; line: number; detail: string };

/** A table as the migrations leave it. */
export interface MigratedTable {
  name: string;
  /** Where it is created. */
  file: string;
  line: number;
  columns: Map<string, ColumnDef>;
  /** Some change the model could not read touched it: column-level comparisons are off. */
  opaque: boolean;
}

export interface MigratedSchema {
  tables: Map<string, MigratedTable>;
  /** An unreadable change without a table name happened: any table may differ. */
  opaque: boolean;
}

/** Applies ops in order. Column names compare case-insensitively like unquoted SQL identifiers. */
export function applyOps(ops: readonly SchemaOp[]): MigratedSchema {
  const tables = new Map<string, MigratedTable>();
  let opaque = false;
  const get = (t: string): MigratedTable | undefined => tables.get(normaliseTable(t));
  for (const o of ops) {
    switch (o.op) {
      case 'create-table': {
        const key = normaliseTable(o.table);
        const existing = tables.get(key);
        // `CREATE TABLE IF NOT EXISTS` a second time (or the same table in two migration sets): keep the first, mark it.
        if (existing) {
          existing.opaque = true;
          break;
        }
        // Columns are copied: later ops change them, and the ops are shared facts (cached across scans, frozen).
        tables.set(key, { name: key, file: o.file, line: o.line, columns: new Map(o.columns.map((c) => [c.name.toLowerCase(), { ...c }])), opaque: false });
        break;
      }
      case 'add-column': {
        const t = get(o.table);
        if (t) t.columns.set(o.column.name.toLowerCase(), { ...o.column });
        break;
      }
      case 'drop-column':
        get(o.table)?.columns.delete(o.column.toLowerCase());
        break;
      case 'alter-type': {
        const c = get(o.table)?.columns.get(o.column.toLowerCase());
        if (c) {
          c.type = o.type;
          c.family = o.family;
        }
        break;
      }
      case 'set-nullable': {
        const c = get(o.table)?.columns.get(o.column.toLowerCase());
        if (c) c.nullable = o.nullable;
        break;
      }
      case 'rename-table': {
        const t = get(o.table);
        if (t) {
          tables.delete(normaliseTable(o.table));
          t.name = normaliseTable(o.to);
          tables.set(t.name, t);
        }
        break;
      }
      case 'rename-column': {
        const t = get(o.table);
        const c = t?.columns.get(o.column.toLowerCase());
        if (t && c) {
          t.columns.delete(o.column.toLowerCase());
          t.columns.set(o.to.toLowerCase(), { ...c, name: o.to });
        }
        break;
      }
      case 'drop-table':
        tables.delete(normaliseTable(o.table));
        break;
      case 'opaque': {
        if (!o.table) opaque = true;
        else {
          const t = get(o.table);
          if (t) t.opaque = true;
        }
        break;
      }
    }
  }
  return { tables, opaque };
}
