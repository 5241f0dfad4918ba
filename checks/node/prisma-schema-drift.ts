import { defineCheck, type Report } from '../../src/engine/check.js';
import { PRISMA_FILES, prismaDrift, prismaProjects, type Drift } from '../../src/model/node/prisma/index.js';

const CONSEQUENCE: Record<Drift['kind'], string> = {
  'no-table': 'every query on the model fails with "The table does not exist in the current database" (P2021)',
  'no-column': 'every query that selects the model fails with "The column does not exist in the current database" (P2022)',
  nullability:
    'a required field over a nullable column makes Prisma Client throw on the first NULL it reads; an optional field over a NOT NULL column makes every create without it fail with a null constraint violation',
  type: 'Postgres rejects the values Prisma Client sends or returns them in a shape the client cannot convert',
  'no-enum': 'every write of a field of this enum fails with `type "..." does not exist`',
  'enum-value': 'writing this value fails with `invalid input value for enum`',
};

export default defineCheck({
  id: 'node/prisma-schema-drift',
  title: 'schema.prisma and its migrations disagree',
  severity: 'critical',
  files: [...PRISMA_FILES],
  docs:
    'Production databases are built by `prisma migrate deploy`, which applies the SQL in prisma/migrations and nothing ' +
    'else; Prisma Client is generated from schema.prisma. When the schema changed without a migration (edited after ' +
    '`db push`, a migration folder not committed, a hand-edited migration.sql) the deployed database is not what the ' +
    'client expects: a model with no table, a field with no column, a column nullable on one side only, a `String` ' +
    'field over a column the migration made an enum, an enum value the type lacks. The migrations are replayed with a ' +
    'real SQL parser (pgsql-ast-parser) and compared with a parse of the schema; PostgreSQL/CockroachDB only, and ' +
    'tables touched by SQL the parser does not support are skipped. Projects without a migrations folder (db push ' +
    'workflows) are not judged.',
  fix: 'Run `npx prisma migrate dev --name <change>` against a development database to generate the missing migration, and commit the new prisma/migrations folder.',
  effort: 15,
  example: 'model User {\n  role String   // migration.sql: "role" "Role" NOT NULL\n}',
  run(model) {
    const out: Report[] = [];
    for (const p of model.get(prismaProjects)) {
      for (const d of prismaDrift(p)) {
        out.push({
          file: d.file,
          line: d.line,
          key: `${d.kind}:${d.subject}`,
          message: `${d.subject} in ${d.file}:${d.line} is \`${d.schema}\`, but the migrations in ${p.migrationsDir} leave ${d.migrations}: after \`prisma migrate deploy\`, ${CONSEQUENCE[d.kind]}.`,
          fix: `Run \`npx prisma migrate dev --name ${slug(d)}\` to generate the migration that brings the database to the schema, review the SQL, and commit ${p.migrationsDir}/<timestamp>_${slug(d)}/migration.sql.`,
        });
      }
    }
    return out;
  },
});

function slug(d: Drift): string {
  return `${d.kind === 'no-table' ? 'add' : 'fix'}_${d.subject.replace(/\W+/g, '_').toLowerCase()}`;
}
