import check from '../../../checks/node/unresolved-import.js';
import { checkTable } from '../../helpers/check-tester.js';

const PKG = JSON.stringify({ name: 'api', dependencies: { express: '^4' } });
const ESM_PKG = JSON.stringify({ name: 'api', type: 'module', dependencies: { express: '^4' } });

checkTable(check, {
  valid: [
    {
      name: '.js extensions in TypeScript imports name the .ts file (NodeNext), .mjs names .mts',
      files: {
        'package.json': ESM_PKG,
        'src/index.ts': "import { users } from './routes/users.js';\nimport { db } from './db.mjs';\nexport const all = [users, db];",
        'src/routes/users.ts': 'export const users = [];',
        'src/db.mts': 'export const db = 1;',
      },
    },
    {
      name: 'index files, JSON, tsconfig paths, baseUrl and package.json imports',
      files: {
        'package.json': JSON.stringify({ name: 'api', imports: { '#db': './src/db/index.ts', '#lib/*': './src/lib/*.ts' } }),
        'tsconfig.json': '{ "compilerOptions": { "baseUrl": "./src", "paths": { "@/*": ["*"] } } }',
        'src/index.ts': [
          "import { routes } from './routes';",
          "import data from './data.json';",
          "import { helper } from '@/lib/helper';",
          "import { log } from 'lib/log';",
          "import { db } from '#db';",
          "import { cache } from '#lib/cache';",
          'export const all = [routes, data, helper, log, db, cache];',
        ].join('\n'),
        'src/routes/index.ts': 'export const routes = [];',
        'src/data.json': '{}',
        'src/lib/helper.ts': 'export const helper = 1;',
        'src/lib/log.ts': 'export const log = 1;',
        'src/lib/cache.ts': 'export const cache = 1;',
        'src/db/index.ts': 'export const db = 1;',
      },
    },
    {
      name: 'build output, generated and gitignored files are not judged',
      files: {
        'package.json': PKG,
        'tsconfig.json': '{ "compilerOptions": { "outDir": "out" } }',
        '.gitignore': 'node_modules\nsrc/generated/\nsrc/version.ts\n',
        'src/index.ts': [
          "import { PrismaClient } from './generated/prisma';",
          "import { version } from './version';",
          "import { x } from '../out/x.js';",
          "import { y } from '../dist/y.js';",
          'export const all = [PrismaClient, version, x, y];',
        ].join('\n'),
      },
    },
    {
      name: 'named imports through export * chains and from modules whose exports are open',
      files: {
        'package.json': ESM_PKG,
        'src/index.ts': "import { a, b } from './barrel.js';\nimport { anything } from './open.js';\nimport { fromPkg } from './reexport.js';\nexport const all = [a, b, anything, fromPkg];",
        'src/barrel.ts': "export * from './a.js';\nexport * from './b.js';",
        'src/a.ts': 'export const a = 1;',
        'src/b.ts': "export * from './c.js';",
        'src/c.ts': 'export function b() {}',
        'src/open.js': 'module.exports = build();',
        'src/reexport.ts': "export * from 'some-package';",
      },
    },
    {
      name: 'TypeScript compiled to CommonJS reading a CommonJS module, and type-only imports',
      files: {
        'package.json': PKG,
        'src/index.ts': "import { helper } from './legacy';\nimport type { Missing } from './types';\nimport { type AlsoMissing } from './types';\nexport const h: Missing | AlsoMissing = helper;",
        'src/legacy.js': 'module.exports = { other: 1 };',
        'src/types.ts': 'export interface Present { a: 1 }',
      },
    },
    {
      name: 'a default import of a CommonJS module and of a TypeScript default export',
      files: {
        'package.json': PKG,
        'src/index.ts': "import legacy from './legacy';\nimport App from './app';\nexport const all = [legacy, App];",
        'src/legacy.js': 'module.exports = { other: 1 };',
        'src/app.ts': 'export default class App {}',
      },
    },
    {
      name: 'a paths wildcard through node_modules and a local .d.ts for an untyped package',
      files: {
        'package.json': JSON.stringify({ name: 'api', dependencies: { fbgraph: '^1' } }),
        'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "*": ["node_modules/*", "src/types/*"] } } }',
        'src/index.ts': "import graph from 'fbgraph';\nimport lusca from 'lusca';\nexport const all = [graph, lusca];",
        'src/types/fbgraph.d.ts': 'export const version: string;',
        'src/types/lusca.d.ts': 'export function csrf(): void;',
      },
    },
    {
      name: 'broken imports in tests and scripts do not block a deploy',
      files: {
        'package.json': PKG,
        'src/app.spec.ts': "import { nothing } from './nowhere';\nnothing;",
        'scripts/seed.ts': "import { gone } from '../src/gone';\ngone;",
      },
    },
  ],
  invalid: [
    {
      name: 'relative import of a file that does not exist (ESM and CommonJS)',
      files: {
        'package.json': PKG,
        'src/index.ts': "import { users } from './routes/users';\nexport const u = users;",
        'src/server.js': "const app = require('./app');\nmodule.exports = app;",
      },
      errors: [
        { file: 'src/index.ts', line: 1, severity: 'critical', message: ['`./routes/users`', 'src/routes/users'] },
        { file: 'src/server.js', line: 1, message: ['`./app`'] },
      ],
    },
    {
      name: 'letter case differs from the file on disk',
      files: {
        'package.json': PKG,
        'src/index.ts': "import { User } from './models/User.js';\nexport const u = User;",
        'src/models/user.ts': 'export class User {}',
      },
      errors: [{ file: 'src/index.ts', line: 1, message: ['src/models/user.ts', 'letter case', 'Linux'], fix: ['git mv'] }],
    },
    {
      name: 'tsconfig paths alias and #imports that name nothing',
      files: {
        'package.json': JSON.stringify({ name: 'api', imports: { '#db': './src/db.ts' } }),
        'tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["./src/*"] } } }',
        'src/index.ts': "import { cfg } from '@app/config';\nimport { db } from '#db';\nimport { q } from '#queue';\nexport const all = [cfg, db, q];",
      },
      errors: [
        { file: 'src/index.ts', line: 1, message: ['`@app/config`', 'paths', 'src/config'] },
        { file: 'src/index.ts', line: 2, message: ['`#db`', 'src/db.ts'] },
        { file: 'src/index.ts', line: 3, message: ['`#queue`', 'has no entry'] },
      ],
    },
    {
      name: 'named import of a name the module does not export, also through export * and a re-export',
      files: {
        'package.json': ESM_PKG,
        'src/index.ts': [
          'import {',
          '  createUser,',
          '  deleteUser,',
          "} from './users.js';",
          "import { missing } from './barrel.js';",
          "export { nope } from './users.js';",
          'export const all = [createUser, deleteUser, missing];',
        ].join('\n'),
        'src/users.ts': 'export function createUser() {}',
        'src/barrel.ts': "export * from './users.js';",
      },
      errors: [
        { file: 'src/index.ts', line: 3, message: ['`deleteUser`', 'src/users.ts', '`createUser`'] },
        { file: 'src/index.ts', line: 5, message: ['`missing`', 'src/barrel.ts'] },
        { file: 'src/index.ts', line: 6, message: ['`nope`'] },
      ],
    },
    {
      name: 'default import of an ES module without a default export',
      files: {
        'package.json': ESM_PKG,
        'src/index.ts': "import router from './router.js';\nexport default router;",
        'src/router.ts': "import { Router } from 'express';\nexport const router = Router();",
      },
      errors: [{ file: 'src/index.ts', line: 1, message: ['default export', 'src/router.ts'], fix: ['named import'] }],
    },
    {
      name: 'dynamic import() of a missing module',
      files: { 'package.json': PKG, 'src/jobs.ts': "export async function run() {\n  const m = await import('./jobs/cleanup.js');\n  return m;\n}" },
      errors: [{ file: 'src/jobs.ts', line: 2, message: ['`./jobs/cleanup.js`'] }],
    },
    {
      name: 'native ESM importing a name a CommonJS module does not export',
      files: {
        'package.json': PKG,
        'src/index.mjs': "import { connect } from './db.cjs';\nexport default connect;",
        'src/db.cjs': 'module.exports = { query: () => {} };',
      },
      errors: [{ file: 'src/index.mjs', line: 1, message: ['`connect`', 'src/db.cjs'] }],
    },
  ],
});
