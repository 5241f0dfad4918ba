import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { ALEMBIC_FILES, migratedSchema } from '../../src/model/python/migrations.js';
import { ormTables, pyOrmFiles, type OrmColumn, type OrmTable } from '../../src/model/python/orm.js';
import { isTestPath } from '../../src/model/python/pyast.js';
import { isAuxiliaryPath } from '../../src/model/python/reach.js';
import type { MigratedTable } from '../../src/model/sql/schema.js';
import { incompatible, type ColumnDef } from '../../src/model/sql/types.js';

const where = (c: { file: string; line: number }): string => `${c.file}:${c.line}`;

interface Problem {
  line: number;
  text: string;
  severity: Severity;
  fix: string;
}

function typeProblem(t: OrmTable, c: OrmColumn, m: ColumnDef): Problem {
  const pk = c.primaryKey || m.primaryKey;
  return {
    line: c.line,
    severity: 'critical',
    text: `\`${t.name}.${c.name}\`${pk ? ' (primary key)' : ''} is \`${c.type || c.family}\` (${c.family}) in the model at ${where(c)} but \`${m.file.endsWith('.sql') ? m.type.toUpperCase() : m.type}\` (${m.family}) in the migration at ${where(m)}`,
    fix: `make both sides the same type: change ${where(c)} to the migration's type (e.g. \`${suggestType(m)}\`) or write a migration that alters \`${t.name}.${m.name}\``,
  };
}

function suggestType(m: ColumnDef): string {
  switch (m.family) {
    case 'uuid':
      return 'Column(Uuid, primary_key=True, default=uuid.uuid4)'.replace(', primary_key=True', m.primaryKey ? ', primary_key=True' : '');
    case 'integer':
      return m.primaryKey ? 'Column(Integer, primary_key=True)' : 'Column(Integer)';
    case 'datetime':
      return 'Column(DateTime(timezone=True))';
    case 'boolean':
      return 'Column(Boolean)';
    default:
      return `Column(${m.type})`;
  }
}

function compare(t: OrmTable, m: MigratedTable, schemaOpaque: boolean): Problem[] {
  const out: Problem[] = [];
  const ormByName = new Map(t.columns.map((c) => [c.name.toLowerCase(), c]));
  for (const c of t.columns) {
    const mc = m.columns.get(c.name.toLowerCase());
    if (mc) {
      if (incompatible(c.family, mc.family)) out.push(typeProblem(t, c, mc));
      continue;
    }
    if (t.incomplete || schemaOpaque) continue;
    out.push({
      line: c.line,
      severity: 'critical',
      text: `column \`${t.name}.${c.name}\` (${where(c)}) exists in the model but no migration creates it (table created at ${where(m)}): every query of \`${t.className}\` selects it and fails with "column does not exist"`,
      fix: `add the column in a migration: \`ALTER TABLE ${t.name} ADD COLUMN ${c.name} ...;\` (or \`op.add_column("${t.name}", sa.Column("${c.name}", ...))\`), or remove it from the model`,
    });
  }
  if (!t.incomplete && !schemaOpaque) {
    for (const mc of m.columns.values()) {
      if (ormByName.has(mc.name.toLowerCase()) || mc.nullable !== false || mc.hasDefault || mc.primaryKey) continue;
      out.push({
        line: t.line,
        severity: 'high',
        text: `\`${t.name}.${mc.name}\` is NOT NULL without a default in the migration at ${where(mc)} but the model \`${t.className}\` has no such column: every insert through the ORM fails with a not-null violation`,
        fix: `map the column in \`${t.className}\` (\`${mc.name} = Column(..., nullable=False)\`) or give it a default / drop NOT NULL in a migration`,
      });
    }
  }
  return out;
}

export default defineCheck({
  id: 'python/schema-mismatch',
  title: 'ORM model and migrations disagree about a table',
  severity: 'critical',
  files: [...ALEMBIC_FILES],
  docs:
    'The SQLAlchemy / Flask-SQLAlchemy / SQLModel models and the migrations that build the database (SQL files with ' +
    '`CREATE TABLE` / `ALTER TABLE`, parsed with pgsql-ast-parser, and Alembic `op.create_table` / `op.add_column` / ' +
    '`op.alter_column` in revision order) describe the same table differently: a primary key that is `Integer` in the ' +
    'model and `UUID` in the migration, a column type the database will not coerce (integer vs uuid, boolean vs ' +
    'timestamp), a column the model maps that no migration creates (every query of the model fails with "column does ' +
    'not exist"), a NOT NULL column without default that the model never fills (every insert fails), or a model table ' +
    'no migration creates while others are (no `metadata.create_all` either). Each finding points at the model line and ' +
    'names the migration file and line. Pairs PostgreSQL coerces (text vs uuid, integer vs numeric, date vs timestamp) ' +
    'are left alone; a table changed by something the model cannot read (an unparseable statement, ops in a loop, a ' +
    'mixin from a library) is compared only where it is certain.',
  fix: 'Decide which side is right and make the other match: change the model\'s column type, or add a migration (`alembic revision --autogenerate`, or an `ALTER TABLE`) that brings the database to the model.',
  effort: 60,
  example:
    '-- data/migrations/001_create_tables.sql\nCREATE TABLE materials (id UUID PRIMARY KEY DEFAULT uuid_generate_v4());\n' +
    '# backend/database.py\nclass Material(Base):\n    __tablename__ = "materials"\n    id = Column(Integer, primary_key=True)',
  run(model) {
    const { schema, files } = model.get(migratedSchema);
    if (schema.tables.size === 0) return [];
    const tables = model.get(ormTables).filter((t) => !isAuxiliaryPath(t.file));
    const out: Report[] = [];
    const covered = tables.filter((t) => schema.tables.has(t.name));
    for (const t of covered) {
      const m = schema.tables.get(t.name)!;
      if (m.opaque) continue;
      // Key-type problems first: they break every foreign key and lookup, the others one column.
      const problems = compare(t, m, schema.opaque).sort((a, b) => Number(/primary key/.test(b.text)) - Number(/primary key/.test(a.text)));
      if (!problems.length) continue;
      const first = problems[0]!;
      const severity: Severity = problems.some((p) => p.severity === 'critical') ? 'critical' : 'high';
      out.push({
        file: t.file,
        line: first.line,
        key: `${t.name}`,
        severity,
        message:
          `Model \`${t.className}\` (table \`${t.name}\`) does not match the migrations: ` +
          problems.map((p) => p.text).join('; ') +
          (problems.some((p) => /primary key/.test(p.text)) ? '. Foreign keys and every lookup by id break with the key type.' : '.'),
        fix: problems.map((p) => `- ${p.fix}`).join('\n'),
        effort: Math.min(240, 20 + 20 * problems.length),
      });
    }
    // Tables only the model knows, when the migrations do cover this database and nothing creates tables from the models.
    const createsAll = [...pyOrmFiles(model)].some(([f, o]) => o.createAll.length > 0 && !isTestPath(f));
    if (covered.length && !createsAll && !schema.opaque) {
      for (const t of tables) {
        if (schema.tables.has(t.name)) continue;
        out.push({
          file: t.file,
          line: t.line,
          key: `${t.name}:missing-table`,
          severity: 'critical',
          message:
            `Model \`${t.className}\` maps table \`${t.name}\`, but no migration creates it (the migrations in ${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''} create ${covered.map((c) => `\`${c.name}\``).slice(0, 5).join(', ')}) ` +
            `and nothing calls \`metadata.create_all\`: every query of \`${t.className}\` fails with "relation ${t.name} does not exist".`,
          fix: `Add a migration that creates \`${t.name}\` (\`alembic revision --autogenerate -m "add ${t.name}"\`, or a \`CREATE TABLE ${t.name} (...)\` script next to the others).`,
          effort: 30,
        });
      }
    }
    return out;
  },
});
