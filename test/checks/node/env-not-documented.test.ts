import check from '../../../checks/node/env-not-documented.js';
import { checkTable } from '../../helpers/check-tester.js';

const PKG = JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: { express: '^4' } });

checkTable(check, {
  valid: [
    {
      name: 'an optional variable documented as a commented-out line of .env.example',
      files: {
        'package.json': PKG,
        '.env.example': 'DATABASE_URL=\n# Optional: share rate limits across replicas.\n# REDIS_URL=redis://127.0.0.1:6379\n',
        'src/index.js': "import 'dotenv/config';\nconst db = process.env.DATABASE_URL;\nconst redis = process.env.REDIS_URL ?? '';\nexport { db, redis };",
      },
    },
    {
      name: 'every variable is in .env.example',
      files: {
        'package.json': PKG,
        '.env.example': '# Postgres\nDATABASE_URL=postgres://user:pass@localhost:5432/app\nJWT_SECRET=\n',
        'src/index.js': "import 'dotenv/config';\nconst db = process.env.DATABASE_URL;\nconst { JWT_SECRET } = process.env;\nexport { db, JWT_SECRET };",
      },
    },
    {
      name: 'set by the Dockerfile, app.json or fly.toml; platform variables',
      files: {
        'package.json': PKG,
        Dockerfile: 'FROM node:20\nENV LOG_LEVEL=info\nARG BUILD_SHA\nCMD ["npm", "start"]\n',
        'app.json': '{ "env": { "SENTRY_DSN": { "required": false } } }',
        'fly.toml': '[env]\n  REGION = "ams"\n',
        'src/index.js': [
          'const a = process.env.LOG_LEVEL;',
          'const b = process.env.BUILD_SHA;',
          'const c = process.env.SENTRY_DSN;',
          'const d = process.env.REGION;',
          "const e = process.env.NODE_ENV === 'production';",
          'const f = process.env.PORT;',
          'const g = process.env.RAILWAY_GIT_COMMIT_SHA;',
          'export default [a, b, c, d, e, f, g];',
        ].join('\n'),
      },
    },
    {
      name: 'a package a compose service builds is left to compose/env-not-passed',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    environment:\n      - DATABASE_URL\n',
        'api/package.json': PKG,
        'api/src/index.js': 'export const k = process.env.STRIPE_KEY;',
      },
    },
    {
      name: 'tests and scripts read what they like; the monorepo root template covers a package',
      files: {
        '.env.example': 'REDIS_URL=redis://localhost:6379\n',
        'package.json': JSON.stringify({ private: true, workspaces: ['api'] }),
        'api/package.json': PKG,
        'api/src/index.js': 'export const r = process.env.REDIS_URL;',
        'api/src/index.test.js': 'process.env.TEST_ONLY;',
        'api/scripts/seed.js': 'process.env.SEED_COUNT;',
      },
    },
    {
      name: 'a library of a monorepo (its start script only watches the build) is not judged on its own',
      files: {
        'package.json': JSON.stringify({ private: true, workspaces: ['libs/*'] }),
        'libs/cache/package.json': JSON.stringify({ name: '@acme/cache', main: 'dist/index.js', scripts: { start: 'tsc -w' }, dependencies: { express: '^4' } }),
        'libs/cache/src/index.ts': 'export const url = process.env.REDIS_URL;',
      },
    },
  ],
  invalid: [
    {
      name: 'reads behind another env check or optional chaining are optional features (high)',
      files: {
        'package.json': PKG,
        '.env.example': 'A=1\n',
        'src/index.js': "if (process.env.SENTRY_DSN) {\n  init({ env: process.env.SENTRY_ENV });\n}\nexport const queues = process.env.ACTIVE_QUEUES?.split(',');",
      },
      errors: [
        { file: 'src/index.js', line: 1, severity: 'high', message: ['`SENTRY_DSN`', 'silently skipped'] },
        { file: 'src/index.js', line: 2, severity: 'high', message: ['`SENTRY_ENV`', 'silently skipped'] },
        { file: 'src/index.js', line: 4, severity: 'high', message: ['`ACTIVE_QUEUES`', 'silently skipped'] },
      ],
    },
    {
      name: 'a secret read with no default, missing from the template',
      files: {
        'package.json': PKG,
        '.env.example': 'DATABASE_URL=\n',
        'src/index.js': "import { sign } from './auth.js';\nexport default [process.env.DATABASE_URL, sign];",
        'src/auth.js': "export function sign() {\n  return process.env.JWT_SECRET;\n}\nexport const ttl = process.env.JWT_SECRET + '';",
      },
      errors: [{ file: 'src/auth.js', line: 2, severity: 'critical', message: ['`JWT_SECRET`', '.env.example does not list it', '1 more place', '`undefined`'], fix: ['`JWT_SECRET=`', '.env.example'] }],
    },
    {
      name: 'a default hides it (high), destructuring and ?? in TypeScript',
      files: {
        'package.json': PKG,
        '.env.example': 'A=1\n',
        'src/index.ts': "const { CACHE_TTL = '60' } = process.env;\nconst mode = process.env.MODE ?? 'fast';\nexport default [CACHE_TTL, mode];",
      },
      errors: [
        { file: 'src/index.ts', line: 1, severity: 'high', message: ['`CACHE_TTL`', '`60`'] },
        { file: 'src/index.ts', line: 2, severity: 'high', message: ['`MODE`', '`fast`'] },
      ],
    },
    {
      name: 'envalid and @nestjs/config reads with no template at all',
      files: {
        'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/main.js' }, dependencies: { '@nestjs/core': '^10', envalid: '^8' } }),
        'src/main.ts': [
          "import { cleanEnv, str } from 'envalid';",
          "import { ConfigService } from '@nestjs/config';",
          'export const env = cleanEnv(process.env, {',
          '  DB_URL: str(),',
          '});',
          'export class Pay {',
          '  constructor(private readonly config: ConfigService) {}',
          "  key() { return this.config.getOrThrow('STRIPE_KEY'); }",
          '}',
        ].join('\n'),
      },
      errors: [
        { file: 'src/main.ts', line: 4, severity: 'critical', message: ['`DB_URL`', 'no .env.example', 'refuses to start'], fix: ['.env.example (create it)'] },
        { file: 'src/main.ts', line: 8, severity: 'critical', message: ['`STRIPE_KEY`', 'ConfigService.getOrThrow'] },
      ],
    },
  ],
});
