import check from '../../../checks/node/undeclared-dependency.js';
import { checkTable } from '../../helpers/check-tester.js';

const pkg = (deps: Record<string, string> = {}, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { express: '^4.19.0', ...deps }, ...extra }, null, 2);

checkTable(check, {
  valid: [
    {
      name: 'declared packages, subpaths, scoped subpaths and builtins',
      files: {
        'package.json': pkg({ lodash: '^4', '@nestjs/common': '^10' }),
        'src/index.ts': [
          "import express from 'express';",
          "import fp from 'lodash/fp';",
          "import { Injectable } from '@nestjs/common/decorators';",
          "import fs from 'fs';",
          "import { readFile } from 'node:fs/promises';",
          "import test from 'node:test';",
          "import { join } from 'path/posix';",
          'express(); fp; Injectable; fs; readFile; test; join;',
        ].join('\n'),
      },
    },
    {
      name: 'devDependencies count as declared (the dev-dependency rule judges those)',
      files: { 'package.json': pkg({}, { devDependencies: { zod: '^3' } }), 'src/env.ts': "import { z } from 'zod';\nz.string();" },
    },
    {
      name: 'import type, type-only specifiers, and imports tsc erases because they are used only as types',
      files: {
        'package.json': pkg({}, { devDependencies: { '@types/express-serve-static-core': '^4' } }),
        'src/types.ts': [
          "import type { Foo } from 'undeclared-types';",
          "import { type Bar } from 'other-undeclared';",
          "import { Request } from 'express-serve-static-core';",
          "import { BigNumberInput } from '@acme/types';",
          'export function f(a: Foo, b: Bar, r: Request, n: BigNumberInput) { return [a, b, r, n]; }',
        ].join('\n'),
      },
    },
    {
      name: 'optional require inside try/catch',
      files: {
        'package.json': pkg(),
        'index.js': "let pretty;\ntry { pretty = require('pino-pretty'); } catch { pretty = null; }\nmodule.exports = pretty;",
      },
    },
    {
      name: 'tests and tool configs may import what only the workspace root has',
      files: {
        'package.json': pkg(),
        'src/app.test.ts': "import request from 'supertest';\nrequest;",
        'jest.config.ts': "import type { Config } from 'jest';\nimport { pathsToModuleNameMapper } from 'ts-jest';\nexport default pathsToModuleNameMapper;",
        'test/helpers.ts': "import nock from 'nock';\nnock;",
      },
    },
    {
      name: 'declared by the workspace root, which installs it for every workspace',
      files: {
        'package.json': JSON.stringify({ private: true, workspaces: ['packages/*'], dependencies: { dotenv: '^16' } }),
        'packages/api/package.json': pkg(),
        'packages/api/src/index.ts': "import 'dotenv/config';\nimport express from 'express';\nexpress();",
      },
    },
    {
      name: 'tsconfig paths and baseUrl aliases are local files, not packages',
      files: {
        'package.json': pkg(),
        'tsconfig.json': '{\n  // comments are fine\n  "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/*"] }, },\n}',
        'src/index.ts': "import { db } from '@app/db';\nimport { log } from 'src/log';\ndb; log;",
        'src/db.ts': 'export const db = 1;',
        'src/log.ts': 'export const log = 1;',
      },
    },
    {
      name: 'a package importing itself by name, URL and scheme imports',
      files: {
        'package.json': pkg({}, { exports: { '.': './index.js', './util': './util.js' } }),
        'index.js': "import u from 'api/util';\nimport x from 'https://esm.sh/x';\nimport b from 'bun:sqlite';\nexport default [u, x, b];",
        'util.js': 'export default 1;',
      },
    },
  ],
  invalid: [
    {
      name: 'ESM import of a transitive dependency',
      files: { 'package.json': pkg(), 'src/log.ts': "import express from 'express';\nimport debug from 'debug';\nexport const log = debug('api');\nexpress();" },
      errors: [{ file: 'src/log.ts', line: 2, severity: 'critical', message: ['`debug`', 'package.json', "Cannot find module 'debug'"], fix: ['npm install debug'] }],
    },
    {
      name: 'CommonJS require, reported once per package with the other importers counted',
      files: {
        'package.json': pkg(),
        'src/a.js': "const ms = require('ms');\nmodule.exports = ms('1d');",
        'src/b.js': "const ms = require('ms');\nmodule.exports = ms('2d');",
      },
      errors: [{ file: 'src/a.js', line: 1, message: ['`ms`', '1 more file'] }],
    },
    {
      name: 'dynamic import() with a literal and export * from a package',
      files: {
        'package.json': pkg(),
        'src/lazy.mjs': "export * from 'uuid';\nexport async function load() { return import('sharp'); }",
      },
      errors: [
        { file: 'src/lazy.mjs', line: 1, message: ['`uuid`'] },
        { file: 'src/lazy.mjs', line: 2, message: ['`sharp`'] },
      ],
    },
    {
      name: 'subpath import of an undeclared scoped package',
      files: { 'package.json': pkg(), 'src/s3.ts': "import { S3Client } from '@aws-sdk/client-s3/dist-cjs';\nnew S3Client({});" },
      errors: [{ file: 'src/s3.ts', line: 1, message: ['`@aws-sdk/client-s3`'] }],
    },
    {
      name: 'workspace sibling used without being declared (hoisting hides it)',
      files: {
        'package.json': JSON.stringify({ private: true, workspaces: ['packages/*'] }),
        'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', dependencies: { zod: '^3' } }),
        'packages/shared/index.ts': 'export const x = 1;',
        'packages/api/package.json': pkg(),
        'packages/api/src/index.ts': "import { x } from '@acme/shared';\nimport { z } from 'zod';\nexport const y = [x, z];",
      },
      errors: [
        { file: 'packages/api/src/index.ts', line: 1, message: ['workspace package packages/shared/package.json'], fix: ['workspace:*'] },
        { file: 'packages/api/src/index.ts', line: 2, message: ['packages/shared/package.json declares it'] },
      ],
    },
  ],
});
