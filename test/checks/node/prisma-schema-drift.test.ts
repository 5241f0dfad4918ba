import check from '../../../checks/node/prisma-schema-drift.js';
import { checkTable } from '../../helpers/check-tester.js';

const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n';
const INIT = `-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;
const USER = [
  'model User {',
  '  id        Int      @id @default(autoincrement())',
  '  email     String   @unique',
  '  name      String?',
  '  role      Role     @default(USER)',
  '  createdAt DateTime @default(now())',
  '  posts     Post[]',
  '}',
  '',
].join('\n');
const POST = 'model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  author   User   @relation(fields: [authorId], references: [id])\n  authorId Int\n}\n\nenum Role {\n  USER\n  ADMIN\n}\n';
const files = (schema: string, ...migrations: string[]): Record<string, string> => {
  const out: Record<string, string> = { 'prisma/schema.prisma': schema, 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n' };
  migrations.forEach((m, i) => (out[`prisma/migrations/2024010${i + 1}000000_m${i}/migration.sql`] = m));
  return out;
};

checkTable(check, {
  valid: [
    { name: 'schema and migrations agree', files: files(DATASOURCE + USER + POST, INIT) },
    {
      name: 'later migrations bring the database to the schema (add column, set not null, add enum value)',
      files: files(
        DATASOURCE + USER.replace('  posts     Post[]', '  bio       String\n  posts     Post[]') + POST.replace('  ADMIN\n', '  ADMIN\n  GUEST\n'),
        INIT,
        `ALTER TYPE "Role" ADD VALUE 'GUEST';\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\nUPDATE "User" SET "bio" = '';\nALTER TABLE "User" ALTER COLUMN "bio" SET NOT NULL;`,
      ),
    },
    {
      name: '@map/@@map names, ignored models, views and a db push project without migrations',
      files: {
        ...files(
          `${DATASOURCE}model Account {\n  id     Int    @id\n  userId Int    @map("user_id")\n  @@map("accounts")\n}\nmodel Legacy {\n  id Int @id\n  @@ignore\n}\nview Stats {\n  n Int @unique\n}\n`,
          'CREATE TABLE "accounts" ("id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, CONSTRAINT "accounts_pkey" PRIMARY KEY ("id"));',
        ),
        'other/schema.prisma': `${DATASOURCE}model Nothing {\n  id Int @id\n}\n`,
      },
    },
    {
      name: 'tables touched by SQL the parser does not read are skipped; MySQL projects are not judged',
      files: {
        ...files(
          DATASOURCE + USER + POST.replace('  title    String\n', '  title    Title\n') + 'enum Title {\n  A\n}\n',
          INIT,
          `CREATE TYPE "Title" AS ENUM ('A');\nALTER TABLE "Post" ALTER COLUMN "title" TYPE "Title" USING ("title"::text::"Title");`,
        ),
        'mysql/schema.prisma': 'datasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\nmodel T {\n  id Int @id\n}\n',
        'mysql/migrations/20240101_init/migration.sql': 'CREATE TABLE `Other` (`id` INTEGER NOT NULL) DEFAULT CHARACTER SET utf8mb4;',
      },
    },
  ],
  invalid: [
    {
      name: 'a String field over a column the migration made an enum',
      files: files(DATASOURCE + USER.replace('  role      Role     @default(USER)', '  role      String   @default("USER")') + POST, INIT),
      errors: [{ file: 'prisma/schema.prisma', line: 10, severity: 'critical', message: ['User.role', '`role String`', 'enum type "Role"', 'prisma migrate deploy'], fix: ['npx prisma migrate dev --name fix_user_role'] }],
    },
    {
      name: 'a model with no table and a field with no column',
      files: files(DATASOURCE + USER.replace('  posts     Post[]', '  avatar    String?\n  posts     Post[]') + POST + 'model Comment {\n  id   Int    @id\n  body String\n}\n', INIT),
      errors: [
        { file: 'prisma/schema.prisma', line: 12, message: ['User.avatar', 'without a column "avatar"', 'P2022'] },
        { file: 'prisma/schema.prisma', line: 26, message: ['Comment', 'no table "Comment"', 'P2021'] },
      ],
    },
    {
      name: 'nullable on one side only, both directions',
      files: files(DATASOURCE + USER.replace('  name      String?', '  name      String').replace('  email     String   @unique', '  email     String?  @unique') + POST, INIT),
      errors: [
        { file: 'prisma/schema.prisma', line: 8, message: ['User.email', 'NOT NULL'] },
        { file: 'prisma/schema.prisma', line: 9, message: ['User.name', 'nullable'] },
      ],
    },
    {
      name: 'an enum value the database type lacks',
      files: files(DATASOURCE + USER + POST.replace('  ADMIN\n', '  ADMIN\n  OWNER\n'), INIT),
      errors: [{ file: 'prisma/schema.prisma', line: 24, message: ['Role.OWNER', "'USER', 'ADMIN'"] }],
    },
  ],
});
