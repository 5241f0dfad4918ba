import { posix } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { defineFacts } from '../../project.js';
import { attrString, parsePrismaSchema, type PrismaBlock, type PrismaField } from './schema.js';
import { applyMigration, emptyState, type DbColumn, type DbState } from './sql.js';

export * from './schema.js';
export * from './sql.js';

/** The files the Prisma facts read. */
export const PRISMA_FILES = ['**/*.prisma', '**/migrations/**/migration.sql', '**/migrations/migration_lock.toml'] as const;

export interface LocatedBlock extends PrismaBlock {
  file: string;
}

export interface PrismaProject {
  /** Directory of the schema file(s). */
  dir: string;
  files: string[];
  blocks: LocatedBlock[];
  /** datasource provider (`postgresql`), or migration_lock.toml's. */
  provider?: string;
  migrationsDir: string;
  /** migration.sql files in the order `prisma migrate deploy` applies them (folder name order). */
  migrations: string[];
  /** The schema the migrations leave behind; undefined when there are none or the provider is not Postgres. */
  db?: DbState;
}

const SKIP_DIRS = /(^|\/)(node_modules|fixtures|__fixtures__)\//;

/** Every Prisma schema in the repo (a folder of .prisma files is one schema), with its migrations replayed. */
export const prismaProjects = defineFacts('node-prisma-projects', (model): PrismaProject[] => {
  const byDir = new Map<string, string[]>();
  for (const f of model.read('**/*.prisma')) {
    if (SKIP_DIRS.test(f)) continue;
    const d = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  const out: PrismaProject[] = [];
  for (const [dir, files] of byDir) {
    const blocks: LocatedBlock[] = [];
    let provider: string | undefined;
    for (const file of files) {
      const s = parsePrismaSchema(model.text(file) ?? '');
      for (const e of s.errors.slice(0, 3)) model.parseNotice(file, `Prisma schema: ${e.message} (line ${e.line})`);
      for (const b of s.blocks) blocks.push({ ...b, file });
      for (const c of s.configs) {
        const p = c.kind === 'datasource' ? c.entries.provider?.value : undefined;
        if (p?.kind === 'string') provider = p.value;
      }
    }
    // A multi-file schema (prisma/schema/*.prisma) keeps migrations next to its folder.
    const candidates = [posix.join(dir, 'migrations'), ...(posix.basename(dir) === 'schema' ? [posix.join(posix.dirname(dir), 'migrations')] : [])].map((d) => d.replace(/^\.\//, ''));
    const migrationsDir = candidates.find((d) => model.listed(`${d}/*/migration.sql`).length > 0) ?? candidates[0]!;
    const migrations = model.listed(`${migrationsDir}/*/migration.sql`).sort();
    if (!provider) {
      const lock = model.text(`${migrationsDir}/migration_lock.toml`);
      try {
        const p = lock ? (parseToml(lock) as { provider?: unknown }).provider : undefined;
        if (typeof p === 'string') provider = p;
      } catch {
        // An unreadable lock file leaves the provider unknown.
      }
    }
    const project: PrismaProject = { dir, files, blocks, migrationsDir, migrations, ...(provider ? { provider } : {}) };
    if (migrations.length && (provider === 'postgresql' || provider === 'postgres' || provider === 'cockroachdb')) {
      const db = emptyState();
      for (const m of migrations) {
        const sql = model.text(m);
        if (sql === undefined) {
          // A migration the scan could not read: every table is uncertain.
          db.uncertain.add('*');
          continue;
        }
        applyMigration(db, m, sql);
      }
      for (const f of db.failures.slice(0, 5)) model.parseNotice(f.file, `SQL the parser does not support near line ${f.line}; tables it names are not compared (${f.message})`);
      project.db = db;
    }
    out.push(project);
  }
  return out;
});

export type DriftKind = 'no-table' | 'no-column' | 'nullability' | 'type' | 'no-enum' | 'enum-value';

/** One disagreement between schema.prisma and the database its migrations build. */
export interface Drift {
  kind: DriftKind;
  file: string;
  line: number;
  /** `User` or `User.role` or `Role.ADMIN`. */
  subject: string;
  table?: string;
  column?: string;
  /** What the schema says and what the migrations say, for messages. */
  schema: string;
  migrations: string;
}

const FAMILY: Record<string, string> = {
  String: 'string', Int: 'int', BigInt: 'bigint', Boolean: 'bool', DateTime: 'datetime', Float: 'float', Decimal: 'decimal', Json: 'json', Bytes: 'bytes',
};

const SQL_FAMILY: Record<string, string> = {
  text: 'string', varchar: 'string', 'character varying': 'string', char: 'string', character: 'string', bpchar: 'string', uuid: 'string',
  citext: 'string', xml: 'string', inet: 'string', cidr: 'string', macaddr: 'string', bit: 'string', varbit: 'string', 'bit varying': 'string',
  integer: 'int', int: 'int', int4: 'int', serial: 'int', serial4: 'int', smallint: 'int', int2: 'int', smallserial: 'int', oid: 'int',
  bigint: 'bigint', int8: 'bigint', bigserial: 'bigint', serial8: 'bigint',
  boolean: 'bool', bool: 'bool',
  timestamp: 'datetime', 'timestamp without time zone': 'datetime', timestamptz: 'datetime', 'timestamp with time zone': 'datetime',
  date: 'datetime', time: 'datetime', timetz: 'datetime', 'time with time zone': 'datetime', 'time without time zone': 'datetime',
  'double precision': 'float', float8: 'float', real: 'float', float4: 'float', float: 'float',
  decimal: 'decimal', numeric: 'decimal', money: 'decimal',
  json: 'json', jsonb: 'json',
  bytea: 'bytes',
};

/**
 * Compares every model, scalar field and enum with the replayed migrations. Views, composite
 * types, `@@ignore`/`@ignore`, relation fields and tables touched by unparsed SQL are skipped.
 */
export function prismaDrift(p: PrismaProject): Drift[] {
  const db = p.db;
  if (!db || db.uncertain.has('*')) return [];
  const out: Drift[] = [];
  const relationTypes = new Set(p.blocks.filter((b) => b.kind === 'model' || b.kind === 'view' || b.kind === 'type').map((b) => b.name));
  const enums = new Map(p.blocks.filter((b) => b.kind === 'enum').map((b) => [b.name, b]));
  const dbEnumName = (e: PrismaBlock): string => attrString(e.blockAttributes, 'map') ?? e.name;

  for (const e of enums.values()) {
    const name = dbEnumName(e);
    if (db.uncertain.has(name)) continue;
    const values = db.enums.get(name);
    if (!values) {
      // Only an enum some model uses needs a type in the database.
      if (!p.blocks.some((b) => b.kind === 'model' && b.fields.some((f) => f.type === e.name))) continue;
      out.push({ kind: 'no-enum', file: e.file, line: e.line, subject: e.name, schema: `enum ${e.name}`, migrations: `no enum type "${name}"` });
      continue;
    }
    for (const v of e.values) {
      const dbv = attrString(v.attributes, 'map') ?? v.name;
      if (!values.includes(dbv)) {
        out.push({ kind: 'enum-value', file: e.file, line: v.line, subject: `${e.name}.${v.name}`, schema: `value ${v.name}`, migrations: `the enum type "${name}" with only ${values.map((x) => `'${x}'`).join(', ')}` });
      }
    }
  }

  for (const m of p.blocks) {
    if (m.kind !== 'model' || m.blockAttributes.some((a) => a.name === 'ignore')) continue;
    const table = attrString(m.blockAttributes, 'map') ?? m.name;
    if (db.uncertain.has(table)) continue;
    const t = db.tables.get(table) ?? [...db.tables.values()].find((x) => x.name.toLowerCase() === table.toLowerCase() && !db.tables.has(table));
    if (!t) {
      out.push({ kind: 'no-table', file: m.file, line: m.line, subject: m.name, table, schema: `model ${m.name}`, migrations: `no table "${table}"` });
      continue;
    }
    for (const f of m.fields) {
      if (relationTypes.has(f.type) || f.attributes.some((a) => a.name === 'ignore' || a.name === 'relation')) continue;
      const column = attrString(f.attributes, 'map') ?? f.name;
      const c = t.columns.get(column);
      const base = { file: m.file, line: f.line, subject: `${m.name}.${f.name}`, table, column };
      if (!c) {
        out.push({ ...base, kind: 'no-column', schema: fieldText(f), migrations: `table "${table}" without a column "${column}"` });
        continue;
      }
      const typeIssue = compareType(f, c, enums, dbEnumName);
      if (typeIssue) out.push({ ...base, kind: 'type', schema: fieldText(f), migrations: `column "${table}"."${column}" ${typeIssue}` });
      else if (!f.list && f.optional === c.notNull) {
        out.push({ ...base, kind: 'nullability', schema: fieldText(f), migrations: `column "${table}"."${column}" ${c.notNull ? 'NOT NULL' : 'nullable'}` });
      }
    }
  }
  return out;
}

function fieldText(f: PrismaField): string {
  return `${f.name} ${f.type}${f.list ? '[]' : ''}${f.optional ? '?' : ''}`;
}

function compareType(f: PrismaField, c: DbColumn, enums: Map<string, PrismaBlock>, dbEnumName: (e: PrismaBlock) => string): string | undefined {
  if (f.unsupported !== undefined) return undefined;
  const colText = `${c.enumType ? `the enum type "${c.enumType}"` : c.type}${c.array ? '[]' : ''}`;
  if (f.list !== c.array) return `of type ${colText}`;
  const e = enums.get(f.type);
  if (e) {
    const want = dbEnumName(e);
    if (c.enumType === want) return undefined;
    return `of type ${colText}, not the enum type "${want}"`;
  }
  const fam = FAMILY[f.type];
  if (!fam) return undefined;
  if (c.enumType) return `of the enum type "${c.enumType}"`;
  const have = SQL_FAMILY[c.type];
  if (!have || have === fam) return undefined;
  return `of type ${colText}`;
}
