import { ProjectModel } from '../../../src/model/project.js';
import { prepareParsers } from '../../../src/model/parsers.js';
import { alembicSetups, migratedSchema } from '../../../src/model/python/migrations.js';
import { sqlMigrations } from '../../../src/model/sql/migrations.js';

async function model(files: Record<string, string>): Promise<ProjectModel> {
  await prepareParsers(Object.keys(files));
  return ProjectModel.fromFiles(files);
}

const tables = (m: ProjectModel) =>
  [...m.get(migratedSchema).schema.tables.values()].map((t) => [t.name, [...t.columns.values()].map((c) => `${c.name}:${c.family}${c.primaryKey ? ':pk' : ''}@${c.line}`), t.opaque]);

describe('migrations model', () => {
  test('SQL: create, alter, drop in natural file order; down scripts ignored', async () => {
    const m = await model({
      'db/migrations/2_more.sql': 'ALTER TABLE materials ADD COLUMN price NUMERIC(10,2) NOT NULL DEFAULT 0;\nALTER TABLE materials DROP COLUMN legacy;\n',
      'db/migrations/10_rename.sql': 'ALTER TABLE materials RENAME COLUMN price TO unit_price;\n',
      'db/migrations/1_init.sql': 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n\nCREATE TABLE materials (\n  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),\n  legacy text\n);\n',
      'db/migrations/1_init.down.sql': 'DROP TABLE materials;\n',
    });
    expect(tables(m)).toEqual([['materials', ['id:uuid:pk@4', 'unit_price:numeric@1'], false]]);
  });

  test('MySQL dialect is rewritten; an unparseable statement leaves a notice and an opaque table', async () => {
    const m = await model({
      'schema.sql': [
        'CREATE TABLE `users` (',
        '  `id` int(11) unsigned NOT NULL AUTO_INCREMENT,',
        '  `email` varchar(255) NOT NULL,',
        '  PRIMARY KEY (`id`),',
        '  KEY `ix_email` (`email`)',
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
        'CREATE TABLE weird ( id int ) PARTITION BY HASH(id) PARTITIONS 4 @@@;',
      ].join('\n'),
    });
    expect(tables(m)).toEqual([['users', ['id:integer:pk@2', 'email:string@3'], false]]);
    expect(m.get(sqlMigrations)[0]!.ops.some((o) => o.op === 'opaque' && o.table === 'weird')).toBe(true);
    expect(m.notices.map((n) => n.file)).toEqual(['schema.sql']);
  });

  test('Alembic: config, env, revision chain, ops, heads and missing parents', async () => {
    const m = await model({
      'backend/alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = driver://user:pass@localhost/dbname\n',
      'backend/migrations/env.py': 'from alembic import context\nfrom app.config import settings\nconfig = context.config\nconfig.set_main_option("sqlalchemy.url", settings.database_url)\n',
      'backend/migrations/versions/a1_init.py': [
        'import sqlalchemy as sa',
        'from alembic import op',
        'revision = "a1"',
        'down_revision = None',
        'def upgrade():',
        '    op.create_table("notes", sa.Column("id", sa.Integer(), nullable=False), sa.Column("title", sa.String(200)), sa.PrimaryKeyConstraint("id"))',
      ].join('\n'),
      'backend/migrations/versions/b2_more.py': [
        'import sqlalchemy as sa',
        'from alembic import op',
        'revision: str = "b2"',
        'down_revision = "a1"',
        'def upgrade():',
        '    with op.batch_alter_table("notes") as batch_op:',
        '        batch_op.add_column(sa.Column("body", sa.Text(), nullable=True))',
        '    op.execute("ALTER TABLE notes ADD COLUMN views integer")',
      ].join('\n'),
      'backend/migrations/versions/c3_branch.py': 'revision = "c3"\ndown_revision = "zz"\ndef upgrade():\n    op.drop_table("gone")\n',
    });
    const [s] = m.get(alembicSetups);
    expect(s).toMatchObject({ config: 'backend/alembic.ini', scriptDir: 'backend/migrations', envPy: 'backend/migrations/env.py', url: { value: 'driver://user:pass@localhost/dbname', line: 3 } });
    expect(s!.env).toEqual({ setsUrl: true, async: false });
    expect(s!.heads.map((r) => r.revision).sort()).toEqual(['b2', 'c3']);
    expect(s!.missingParents.map((p) => p.parent)).toEqual(['zz']);
    expect(tables(m)).toEqual([['notes', ['id:integer:pk@6', 'title:string@6', 'body:string@7', 'views:integer@8'], false]]);
  });
});
