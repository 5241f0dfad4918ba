import { parsePrismaSchema, splitStatements, applyMigration, emptyState, tokenize } from '../../../src/model/node/prisma/index.js';

describe('Prisma schema parser', () => {
  test('models, enums, attributes with nested arguments, comments and config blocks', () => {
    const s = parsePrismaSchema(
      [
        'datasource db {',
        '  provider = "postgresql"',
        '  url      = env("DATABASE_URL")',
        '}',
        'generator client {',
        '  provider        = "prisma-client-js"',
        '  previewFeatures = ["multiSchema"]',
        '}',
        '/// A user',
        'model User {',
        '  id        String   @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid',
        '  email     String   @unique // login',
        '  name      String?  @map("full_name")',
        '  tags      String[]',
        '  role      Role     @default(USER)',
        '  posts     Post[]',
        '  geo       Unsupported("circle")?',
        '  @@index([email, name], map: "user_email_name")',
        '  @@map("users")',
        '}',
        'enum Role {',
        '  USER',
        '  ADMIN @map("admin")',
        '  @@map("role")',
        '}',
      ].join('\n'),
    );
    expect(s.errors).toEqual([]);
    expect(s.configs.map((c) => [c.kind, c.name, c.entries.provider?.value])).toEqual([
      ['datasource', 'db', { kind: 'string', value: 'postgresql' }],
      ['generator', 'client', { kind: 'string', value: 'prisma-client-js' }],
    ]);
    const user = s.blocks[0]!;
    expect(user).toMatchObject({ kind: 'model', name: 'User', line: 10 });
    expect(user.fields.map((f) => [f.name, f.type, f.list, f.optional, f.line])).toEqual([
      ['id', 'String', false, false, 11],
      ['email', 'String', false, false, 12],
      ['name', 'String', false, true, 13],
      ['tags', 'String', true, false, 14],
      ['role', 'Role', false, false, 15],
      ['posts', 'Post', true, false, 16],
      ['geo', 'Unsupported', false, true, 17],
    ]);
    expect(user.fields[0]!.attributes.map((a) => a.name)).toEqual(['id', 'default', 'db.Uuid']);
    expect(user.fields[0]!.attributes[1]!.args[0]!.value).toEqual({ kind: 'call', name: 'dbgenerated', args: [{ value: { kind: 'string', value: 'gen_random_uuid()' } }] });
    expect(user.fields[6]!.unsupported).toBe('circle');
    expect(user.blockAttributes.map((a) => a.name)).toEqual(['index', 'map']);
    const role = s.blocks[1]!;
    expect(role.values.map((v) => [v.name, v.line, v.attributes.map((a) => a.name)])).toEqual([
      ['USER', 22, []],
      ['ADMIN', 23, ['map']],
    ]);
  });

  test('a broken block is reported and parsing resumes at the next one', () => {
    const s = parsePrismaSchema('model A {\n  id Int @id @default(\n}\nmodel B {\n  id Int @id\n}\n');
    expect(s.errors.length).toBeGreaterThan(0);
    expect(s.blocks.map((b) => b.name)).toContain('B');
  });

  test('strings keep escapes; unknown characters do not throw', () => {
    const t = tokenize('x = "a\\"b" # %');
    expect(t.tokens.find((x) => x.kind === 'string')?.text).toBe('a"b');
    expect(t.errors.length).toBe(2);
  });
});

describe('migration SQL replay', () => {
  test('create, alter, rename and enum changes; an unsupported statement marks its table uncertain', () => {
    const db = emptyState();
    applyMigration(
      db,
      'm1.sql',
      `CREATE TYPE "Role" AS ENUM ('USER');
CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" TEXT, "role" "Role" NOT NULL DEFAULT 'USER', CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" ("id" INTEGER NOT NULL, "title" TEXT NOT NULL);`,
    );
    applyMigration(
      db,
      'm2.sql',
      `ALTER TYPE "Role" ADD VALUE 'ADMIN';
ALTER TABLE "User" ADD COLUMN "email" TEXT NOT NULL, ALTER COLUMN "name" SET NOT NULL;
ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";
-- Prisma writes this for enum rewrites; pgsql-ast-parser does not read USING
ALTER TABLE "Post" ALTER COLUMN "title" TYPE "Title" USING ("title"::text::"Title");`,
    );
    const user = db.tables.get('User')!;
    expect([...user.columns.values()].map((c) => [c.name, c.type, c.notNull])).toEqual([
      ['id', 'serial', true],
      ['role', 'Role', true],
      ['email', 'text', true],
      ['fullName', 'text', true],
    ]);
    expect(db.enums.get('Role')).toEqual(['USER', 'ADMIN']);
    expect(db.uncertain.has('Post')).toBe(true);
    expect(db.failures).toHaveLength(1);
    expect(db.failures[0]!.line).toBe(5);
  });

  test('statement splitting respects strings, identifiers, dollar quotes and comments', () => {
    const parts = splitStatements("-- a; b\nSELECT 'x;y';\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT \"a;b\" /* ; */;");
    expect(parts.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(parts).toHaveLength(3);
  });
});
