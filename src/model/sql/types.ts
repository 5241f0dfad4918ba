/**
 * Column types reduced to families, so an ORM model and a migration can be compared without
 * caring about spelling (`sa.Integer()` vs `int4`, `VARCHAR(200)` vs `String(200)`).
 */
export type ColumnFamily =
  | 'integer'
  | 'uuid'
  | 'string'
  | 'numeric'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'time'
  | 'interval'
  | 'json'
  | 'binary'
  | 'enum'
  | 'array'
  | 'unknown';

/** A column as a migration or a model declares it. */
export interface ColumnDef {
  name: string;
  /** The type as written (`UUID`, `sa.Integer()`, `varchar(200)`). */
  type: string;
  family: ColumnFamily;
  primaryKey: boolean;
  /** Explicit nullability; undefined when the declaration leaves the default. */
  nullable?: boolean;
  /** A default or server default, or a sequence (serial, autoincrement PK). */
  hasDefault: boolean;
  file: string;
  line: number;
}

const SQL_FAMILIES: [RegExp, ColumnFamily][] = [
  [/^(small|big)?serial[248]?$|^(tiny|small|medium|big)?int(eger)?[248]?$|^int[248]$/, 'integer'],
  [/^uuid$/, 'uuid'],
  [/^(varchar|character ?varying|char|character|text|citext|name|nvarchar|nchar|string|clob|tinytext|mediumtext|longtext)$/, 'string'],
  [/^(numeric|decimal|real|float[48]?|double( ?precision)?|money|number)$/, 'numeric'],
  [/^bool(ean)?$/, 'boolean'],
  [/^(timestamp(tz)?|timestamp ?with(out)? ?time ?zone|datetime|datetime2|smalldatetime)$/, 'datetime'],
  [/^date$/, 'date'],
  [/^(time(tz)?|time ?with(out)? ?time ?zone)$/, 'time'],
  [/^interval$/, 'interval'],
  [/^jsonb?$/, 'json'],
  [/^(bytea|blob|binary|varbinary|longblob|mediumblob|tinyblob)$/, 'binary'],
];

/** Family of an SQL type name (`varchar`, `timestamp with time zone`, `int4`). */
export function sqlFamily(typeName: string): ColumnFamily {
  const t = typeName.toLowerCase().replace(/\s+/g, ' ').replace(/\(.*$/, '').trim().replace(/^pg_catalog\./, '');
  for (const [re, f] of SQL_FAMILIES) if (re.test(t)) return f;
  return 'unknown';
}

/**
 * True when values of one family cannot be stored in or compared with the other without an
 * error: an integer id against a UUID column, a boolean against a timestamp. Pairs that
 * PostgreSQL coerces from a text literal (string vs uuid, date vs timestamp, integer vs
 * numeric) and anything unknown stay compatible, so the rule stays quiet about them.
 */
export function incompatible(a: ColumnFamily, b: ColumnFamily): boolean {
  if (a === b) return false;
  const strict = new Set<ColumnFamily>(['integer', 'uuid', 'boolean', 'datetime', 'date', 'numeric', 'json', 'binary']);
  if (!strict.has(a) || !strict.has(b)) return false;
  const pair = [a, b].sort().join('+');
  return !['integer+numeric', 'date+datetime'].includes(pair);
}

/** Table names compare case-insensitively and without the default schema. */
export function normaliseTable(name: string): string {
  return name.replace(/^"|"$/g, '').replace(/^(public|dbo)\./i, '').toLowerCase();
}
