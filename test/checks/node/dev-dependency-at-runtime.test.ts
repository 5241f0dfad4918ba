import check from '../../../checks/node/dev-dependency-at-runtime.js';
import { checkTable } from '../../helpers/check-tester.js';

const pkg = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify(
    {
      name: 'api',
      scripts: { start: 'node dist/index.js', build: 'tsc' },
      dependencies: { express: '^4.19.0' },
      devDependencies: { pg: '^8.11.0', typescript: '^5', '@types/express': '^4', vitest: '^1', dotenv: '^16', zod: '^3' },
      ...extra,
    },
    null,
    2,
  );
const TSCONFIG = '{ "compilerOptions": { "outDir": "dist", "rootDir": "src" } }';
const PROD_DOCKERFILE = 'FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY dist ./dist\nCMD ["node", "dist/index.js"]\n';
const FULL_DOCKERFILE = 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["node", "dist/index.js"]\n';

checkTable(check, {
  valid: [
    {
      name: 'the deploy installs every dependency',
      files: { 'package.json': pkg(), 'tsconfig.json': TSCONFIG, Dockerfile: FULL_DOCKERFILE, 'src/index.ts': "import { Pool } from 'pg';\nnew Pool();" },
    },
    {
      name: 'no deploy file says how dependencies are installed',
      files: { 'package.json': pkg(), 'tsconfig.json': TSCONFIG, 'src/index.ts': "import { Pool } from 'pg';\nnew Pool();" },
    },
    {
      name: 'production install, but dev packages are used only as types, in tests, or under a NODE_ENV guard',
      files: {
        'package.json': pkg(),
        'tsconfig.json': TSCONFIG,
        Dockerfile: PROD_DOCKERFILE,
        'src/index.ts': [
          "import express, { Request } from 'express';",
          "import type { PoolConfig } from 'pg';",
          "import { z } from 'zod';",
          "if (process.env.NODE_ENV !== 'production') { require('dotenv').config(); }",
          'export function h(r: Request, c: PoolConfig, s: z.ZodString) { return [r, c, s, express]; }',
        ].join('\n'),
        'src/index.test.ts': "import { describe } from 'vitest';\ndescribe;",
      },
    },
    {
      name: 'multi-stage build copying node_modules from a stage with a full install',
      files: {
        'package.json': pkg(),
        'tsconfig.json': TSCONFIG,
        Dockerfile:
          'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM node:20-slim\nWORKDIR /app\nENV NODE_ENV=production\nCOPY --from=build /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist\nCMD ["node", "dist/index.js"]\n',
        'src/index.ts': "import { Pool } from 'pg';\nnew Pool();",
      },
    },
    {
      name: 'a bundled build carries its dependencies',
      files: {
        'package.json': pkg({ scripts: { start: 'node dist/index.js', build: 'esbuild src/index.ts --bundle --platform=node --outfile=dist/index.js' } }),
        Dockerfile: PROD_DOCKERFILE,
        'src/index.ts': "import { Pool } from 'pg';\nnew Pool();",
      },
    },
    {
      name: 'a dev package imported by a file the server never loads',
      files: {
        'package.json': pkg(),
        'tsconfig.json': TSCONFIG,
        Dockerfile: PROD_DOCKERFILE,
        'src/index.ts': "import express from 'express';\nexpress().listen(process.env.PORT);",
        'src/seed.ts': "import { Pool } from 'pg';\nnew Pool();",
      },
    },
  ],
  invalid: [
    {
      name: 'npm ci --omit=dev while the server imports a devDependency',
      files: {
        'package.json': pkg(),
        'tsconfig.json': TSCONFIG,
        Dockerfile: PROD_DOCKERFILE,
        'src/index.ts': "import express from 'express';\nimport { pool } from './db.js';\nexpress(); pool;",
        'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();",
      },
      errors: [{ file: 'src/db.ts', line: 1, severity: 'critical', message: ['`pg`', 'devDependencies', 'Dockerfile:4', '--omit=dev'], fix: ['"pg": "^8.11.0"', 'dependencies'] }],
    },
    {
      name: 'ENV NODE_ENV=production before npm install (CommonJS)',
      files: {
        'package.json': JSON.stringify({ name: 'api', main: 'server.js', dependencies: { express: '4' }, devDependencies: { morgan: '1' } }),
        Dockerfile: 'FROM node:20\nENV NODE_ENV=production\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node", "server.js"]\n',
        'server.js': "const express = require('express');\nconst morgan = require('morgan');\nexpress().use(morgan('tiny'));",
      },
      errors: [{ file: 'server.js', line: 2, message: ['`morgan`', 'npm install'] }],
    },
    {
      name: "Heroku's buildpack prunes devDependencies (dynamic import)",
      files: {
        'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node index.mjs' }, dependencies: { express: '4' }, devDependencies: { sharp: '0.33' } }),
        'app.json': JSON.stringify({ name: 'api', formation: { web: { quantity: 1 } } }),
        Procfile: 'web: npm start\n',
        'index.mjs': "export async function thumb() {\n  const sharp = await import('sharp');\n  return sharp;\n}",
      },
      errors: [{ file: 'index.mjs', line: 2, message: ['`sharp`', 'Heroku'] }],
    },
  ],
});
