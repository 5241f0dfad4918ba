import check from '../../../checks/node/migrations-not-run.js';
import { checkTable } from '../../helpers/check-tester.js';

const pkg = (scripts: Record<string, string>, deps: Record<string, string> = { '@prisma/client': '^5', express: '^4' }): string =>
  JSON.stringify({ name: 'api', scripts, dependencies: deps, devDependencies: { prisma: '^5' } }, null, 2);
const PRISMA = {
  'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id Int @id\n}\n',
  'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
  'src/index.ts': "import express from 'express';\nexpress().listen(process.env.PORT);",
};

checkTable(check, {
  valid: [
    { name: 'prestart applies the migrations', files: { ...PRISMA, 'package.json': pkg({ prestart: 'prisma migrate deploy', start: 'node dist/index.js' }) } },
    { name: 'the start script migrates first', files: { ...PRISMA, 'package.json': pkg({ start: 'npx prisma migrate deploy && node dist/index.js' }) } },
    { name: 'the build migrates (Render, Vercel)', files: { ...PRISMA, 'package.json': pkg({ build: 'prisma generate && prisma migrate deploy && tsc', start: 'node dist/index.js' }) } },
    {
      name: 'TypeORM runs migrations at startup',
      files: {
        'package.json': pkg({ start: 'node dist/main.js', 'migration:run': 'typeorm migration:run -d dist/data-source.js' }, { typeorm: '^0.3', express: '^4' }),
        'src/main.ts': "import { AppDataSource } from './data-source';\nAppDataSource.initialize();",
        'src/data-source.ts': "import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({ type: 'postgres', migrations: ['dist/migrations/*.js'], migrationsRun: true });",
        'src/migrations/1700000000000-Init.ts': 'export class Init1700000000000 {}',
      },
    },
    {
      name: 'a Dockerfile or a Procfile deploys it (docker/migrations-not-run judges those)',
      files: {
        ...PRISMA,
        'package.json': pkg({ start: 'node dist/index.js', 'db:migrate': 'prisma migrate dev' }),
        Procfile: 'web: npm start\n',
      },
    },
    {
      name: 'a platform pre-deploy command migrates',
      files: {
        ...PRISMA,
        'package.json': pkg({ start: 'node dist/index.js' }),
        'railway.json': '{\n  "deploy": {\n    "startCommand": "npm start",\n    "preDeployCommand": "npx prisma migrate deploy"\n  }\n}\n',
      },
    },
    {
      name: 'a schema without migrations (db push workflow)',
      files: { 'package.json': pkg({ start: 'node dist/index.js' }), 'prisma/schema.prisma': PRISMA['prisma/schema.prisma'], 'src/index.ts': 'export {};' },
    },
  ],
  invalid: [
    {
      name: 'npm start with Prisma migrations only a dev script applies',
      files: { ...PRISMA, 'package.json': pkg({ build: 'tsc', start: 'node dist/index.js', 'migrate:dev': 'prisma migrate dev' }) },
      errors: [{ file: 'package.json', line: 5, severity: 'critical', message: ['prisma migrations', 'prisma/schema.prisma', '`node dist/index.js`', '"migrate:dev"'], fix: ['"prestart": "prisma migrate deploy"'] }],
    },
    {
      name: 'Knex migrations never applied by npm start (CommonJS)',
      files: {
        'package.json': pkg({ start: 'node server.js' }, { knex: '^3', pg: '^8', express: '^4' }),
        'knexfile.js': "module.exports = { client: 'pg', connection: process.env.DATABASE_URL };",
        'migrations/20240101_users.js': 'exports.up = (knex) => knex.schema.createTable("users", () => {});',
        'server.js': "const express = require('express');\nexpress().listen(process.env.PORT);",
      },
      errors: [{ file: 'package.json', line: 4, severity: 'high', message: ['knex migrations', 'knex migrate:latest'], fix: ['"prestart": "knex migrate:latest"'] }],
    },
    {
      name: 'a Railway start command without migrations',
      files: {
        ...PRISMA,
        'package.json': pkg({ start: 'node dist/index.js', migrate: 'prisma migrate dev' }),
        'railway.json': '{\n  "deploy": {\n    "startCommand": "node dist/index.js"\n  }\n}\n',
      },
      errors: [{ file: 'railway.json', line: 3, severity: 'critical', message: ['deploy.startCommand'], fix: ['"preDeployCommand": "npx prisma migrate deploy"'] }],
    },
  ],
});
