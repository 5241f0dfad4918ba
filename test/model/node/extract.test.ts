import { ProjectModel } from '../../../src/model/project.js';
import { nodeProgram, type NodeFileFacts } from '../../../src/model/node/index.js';

const PKG = JSON.stringify({ name: 'svc', dependencies: { express: '4', fastify: '4', koa: '2', '@koa/router': '12', '@nestjs/common': '10', '@nestjs/core': '10' } });

function facts(source: string, path = 'src/a.ts', extra: Record<string, string> = {}): NodeFileFacts {
  const model = ProjectModel.fromFiles({ 'package.json': PKG, [path]: source, ...extra });
  const f = model.get(nodeProgram).files.get(path);
  if (!f) throw new Error(`not parsed: ${path}`);
  return f;
}

describe('imports', () => {
  test('static, type-only, side-effect, re-exports, require, dynamic', () => {
    const f = facts(
      [
        "import a, { b, type C } from './a';",
        "import type { D } from './d';",
        "import './side';",
        "export * from './star';",
        "export { e as f } from './e';",
        "const g = require('./g');",
        "const { h } = require('./h');",
        "const lazy = () => import('./lazy');",
        'const name = "x"; require(name);',
        'export const used = [a, b, g, h, lazy];',
      ].join('\n'),
    );
    const by = (spec: string) => f.imports.find((i) => i.spec === spec)!;
    expect(by('./a')).toMatchObject({ kind: 'import', typeOnly: false, defaultImport: true, named: [{ name: 'b', line: 1 }] });
    expect(by('./d')).toMatchObject({ typeOnly: true });
    expect(by('./side')).toMatchObject({ kind: 'side-effect', used: true });
    expect(by('./star').kind).toBe('reexport-star');
    expect(by('./e')).toMatchObject({ kind: 'reexport', named: [{ name: 'e', line: 5 }] });
    expect(by('./g')).toMatchObject({ kind: 'require', bindings: [{ local: 'g', imported: '*' }], used: true });
    expect(by('./h').bindings).toEqual([{ local: 'h', imported: 'h' }]);
    expect(by('./lazy')).toMatchObject({ kind: 'dynamic', line: 8 });
    expect(f.dynamicLoad?.line).toBe(9);
    expect(f.exports).toMatchObject({ stars: ['./star'], esm: true });
    expect(f.exports.names.sort()).toEqual(['f', 'used']);
  });

  test('imports used only in type positions are dropped by tsc', () => {
    const f = facts(
      [
        "import { Req } from 'express';",
        "import { Injectable } from '@nestjs/common';",
        "import { Base } from './base';",
        "import { Iface } from './iface';",
        "import { Svc } from './svc';",
        '@Injectable()',
        'export class A extends Base implements Iface {',
        '  constructor(private svc: Svc) { super(); }',
        '  handle(r: Req): typeof Base { return Base; }',
        '}',
      ].join('\n'),
    );
    const by = (spec: string) => f.imports.find((i) => i.spec === spec)!;
    expect(by('express').typeUsesOnly).toBe(true);
    expect(by('@nestjs/common').typeUsesOnly).toBe(false);
    expect(by('./base').typeUsesOnly).toBe(false);
    expect(by('./iface').typeUsesOnly).toBe(true);
    // Without emitDecoratorMetadata, a constructor parameter type is erased too.
    expect(by('./svc').typeUsesOnly).toBe(true);
  });

  test('emitDecoratorMetadata keeps the constructor parameter types of decorated classes', () => {
    const model = ProjectModel.fromFiles({
      'package.json': PKG,
      'tsconfig.json': '{ "compilerOptions": { "emitDecoratorMetadata": true, "experimentalDecorators": true } }',
      'src/a.ts': "import { Injectable } from '@nestjs/common';\nimport { Svc } from './svc';\n@Injectable()\nexport class A { constructor(private svc: Svc) {} }",
    });
    const f = model.get(nodeProgram).files.get('src/a.ts')!;
    expect(f.imports.find((i) => i.spec === './svc')!.typeUsesOnly).toBe(false);
  });

  test('requires under NODE_ENV checks and try/catch are guarded', () => {
    const f = facts(
      "if (process.env.NODE_ENV !== 'production') { require('dotenv').config(); }\ntry { require('optional'); } catch {}\nrequire('always');",
      'src/a.js',
    );
    expect(f.imports.map((i) => [i.spec, i.guarded])).toEqual([
      ['dotenv', true],
      ['optional', true],
      ['always', false],
    ]);
    expect(f.loadsDotenv).toBe(true);
  });
});

describe('exports', () => {
  test('CommonJS object literal exports are closed; other module.exports values are open', () => {
    expect(facts('module.exports = { a, b: 1 };\nexports.c = 2;', 'src/a.js').exports).toMatchObject({ names: ['a', 'b', 'c'], open: false, cjs: true });
    expect(facts('module.exports = makeRouter();', 'src/a.js').exports).toMatchObject({ open: true, names: ['default'] });
    expect(facts('module.exports = { ...base };', 'src/a.js').exports.open).toBe(true);
  });

  test('declarations, destructuring, default, export =', () => {
    const f = facts('export const { a, b: [c] } = o;\nexport function fn() {}\nexport default class {}\nexport enum E {}\nexport interface I {}\nexport type T = 1;');
    expect(f.exports.names.sort()).toEqual(['E', 'I', 'T', 'a', 'c', 'default', 'fn']);
    expect(facts('export = thing;').exports.open).toBe(true);
  });
});

describe('env reads', () => {
  test('process.env forms, defaults, aliases and destructuring', () => {
    const f = facts(
      [
        'const a = process.env.A;',
        "const b = process.env['B'] ?? 'bee';",
        'const c = Number(process.env.C) || 3000;',
        "const { D, E = 'e', F: renamed } = process.env;",
        'const env = process.env; const g = env.G;',
        "if (process.env.H) { console.log('h'); }",
        "const i = process.env.I === 'true';",
        'process.env.J = "set";',
        'const k = `${process.env.K}`;',
      ].join('\n'),
    );
    const got = Object.fromEntries(f.env.map((e) => [e.name, [e.hasDefault, e.defaultValue ?? null]]));
    expect(got).toEqual({
      A: [false, null],
      B: [true, 'bee'],
      C: [true, '3000'],
      D: [false, null],
      E: [true, 'e'],
      F: [false, null],
      G: [false, null],
      H: [true, null],
      I: [true, null],
      K: [false, null],
    });
  });

  test('envalid, zod, Joi, t3 createEnv, @nestjs/config', () => {
    const f = facts(
      [
        "import { cleanEnv, str, port } from 'envalid';",
        "import { z } from 'zod';",
        "import { ConfigService } from '@nestjs/config';",
        "import { createEnv } from '@t3-oss/env-core';",
        'export const env = cleanEnv(process.env, {',
        '  DB_URL: str(),',
        '  PORT: port({ default: 3000 }),',
        "  SECRET: str({ devDefault: 'dev' }),",
        '});',
        'const schema = z.object({ REDIS_URL: z.string().url(), LOG: z.string().default("info"), OPT: z.string().optional() });',
        'export const parsed = schema.parse(process.env);',
        'export const t3 = createEnv({ server: { T3_KEY: z.string() }, runtimeEnv: process.env });',
        'const joi = { validationSchema: Joi.object({ JWT: Joi.string().required(), TTL: Joi.number().default(60), OPTIONAL: Joi.string() }) };',
        'export class S {',
        '  constructor(private readonly config: ConfigService) {}',
        "  a() { return this.config.get('API_KEY'); }",
        "  b() { return this.config.get<number>('TIMEOUT', 30); }",
        "  c() { return this.config.getOrThrow('STRIPE_KEY'); }",
        "  d() { return this.config.get('database.host'); }",
        '}',
      ].join('\n'),
    );
    const got = Object.fromEntries(f.env.map((e) => [e.name, [e.hasDefault, e.via, e.line]]));
    expect(got).toMatchObject({
      DB_URL: [false, 'envalid cleanEnv', 6],
      PORT: [true, 'envalid cleanEnv', 7],
      SECRET: [false, 'envalid cleanEnv', 8],
      REDIS_URL: [false, 'zod env schema', 10],
      LOG: [true, 'zod env schema', 10],
      OPT: [true, 'zod env schema', 10],
      T3_KEY: [false, 't3 createEnv', 12],
      JWT: [false, 'Joi validationSchema', 13],
      TTL: [true, 'Joi validationSchema', 13],
      OPTIONAL: [true, 'Joi validationSchema', 13],
      API_KEY: [false, 'ConfigService.get', 16],
      TIMEOUT: [true, 'ConfigService.get', 17],
      STRIPE_KEY: [false, 'ConfigService.getOrThrow', 18],
    });
    expect(got['database.host']).toBeUndefined();
  });
});

describe('HTTP servers', () => {
  test('express listen with env port and literal host; http.createServer; class-held apps', () => {
    const f = facts(
      [
        "import express from 'express';",
        "import http from 'node:http';",
        'const app = express();',
        'const PORT = process.env.PORT || 3000;',
        "app.listen(PORT, '127.0.0.1');",
        'http.createServer(app).listen(8080);',
        'class Server { private app = express(); start() { this.app.listen(config.port, () => {}); } }',
      ].join('\n'),
    );
    expect(f.listens.map((l) => [l.line, l.framework, l.port, l.host])).toEqual([
      [5, 'express', { kind: 'env', name: 'PORT', fallback: '3000' }, { kind: 'literal', value: '127.0.0.1' }],
      [6, 'http', { kind: 'literal', value: '8080' }, undefined],
      [7, 'express', { kind: 'unknown', text: 'config.port' }, undefined],
    ]);
  });

  test('fastify object listen, Nest with Fastify adapter, koa; unrelated .listen() is ignored', () => {
    const f = facts(
      [
        "import Fastify from 'fastify';",
        "import Koa from 'koa';",
        "import { NestFactory } from '@nestjs/core';",
        'const app = Fastify({ logger: true });',
        'app.listen({ port: 3000 });',
        'async function boot() { const nest = await NestFactory.create(AppModule, new FastifyAdapter()); await nest.listen(process.env.PORT ?? 3000); }',
        'new Koa().listen(4000);',
        'emitter.listen(5);',
      ].join('\n'),
    );
    expect(f.listens.map((l) => [l.line, l.framework, l.port?.kind, l.host])).toEqual([
      [5, 'fastify', 'literal', undefined],
      [6, 'nest-fastify', 'env', undefined],
      [7, 'koa', 'literal', undefined],
    ]);
  });

  test('routers, their routes, exports and local mounts', () => {
    const f = facts(
      [
        "import { Router } from 'express';",
        'export const users = Router();',
        "users.get('/', h).post('/', h);",
        'const admin = Router();',
        "admin.delete('/:id', h);",
        'const mounted = Router();',
        "mounted.get('/x', h);",
        "app.use('/m', mounted);",
        'export default admin;',
      ].join('\n'),
    );
    expect(f.routers.map((r) => [r.name, r.line, [...r.routes].sort(), r.exportedAs, r.usedLocally])).toEqual([
      ['users', 2, ['GET /', 'POST /'], ['users'], false],
      ['admin', 4, ['DELETE /:id'], ['default'], false],
      ['mounted', 6, ['GET /x'], [], true],
    ]);
  });

  test('Nest controllers and fastify route plugins', () => {
    const nest = facts(
      "import { Controller, Get, Post } from '@nestjs/common';\n@Controller('users')\nexport class UsersController {\n  @Get() list() {}\n  @Post(':id') create() {}\n}",
    );
    expect(nest.routers).toEqual([
      { name: 'UsersController', line: 2, framework: 'nest', routes: ['GET /', 'POST :id'], exportedAs: ['UsersController'], usedLocally: false },
    ]);
    const plugin = facts(
      "import fp from 'fastify-plugin';\nexport default fp(async function routes(fastify) {\n  fastify.get('/health', async () => ({ ok: true }));\n});\nasync function helper(client) { return client.get('key'); }",
      'src/p.ts',
    );
    expect(plugin.routers.map((r) => [r.name, r.exportedAs, r.routes])).toEqual([['default export', ['default'], ['GET /health']]]);
  });

  test('migrations run from code', () => {
    const f = facts(
      "const ds = new DataSource({ migrationsRun: true });\nawait knex.migrate.latest();\nexecSync('npx prisma migrate deploy');\nawait ds.runMigrations();",
      'src/db.ts',
    );
    expect(f.migrationsInCode.map((m) => [m.line, m.how])).toEqual([
      [1, 'TypeORM migrationsRun: true'],
      [2, 'knex.migrate.latest()'],
      [3, 'prisma migrate deploy (from code)'],
      [4, 'TypeORM runMigrations()'],
    ]);
  });
});

describe('bounds', () => {
  test('a minified bundle and build output are not parsed; a syntax error is a notice', () => {
    const model = ProjectModel.fromFiles({
      'package.json': PKG,
      'dist/index.js': 'require("x")',
      'src/vendor.js': `var a=1;${'x'.repeat(200_000)}`,
      'src/broken.ts': 'export const = ;',
    });
    const p = model.get(nodeProgram);
    expect([...p.files.keys()]).toEqual(['src/broken.ts']);
    expect(model.notices.some((n) => n.file === 'src/broken.ts' && /syntax error/.test(n.message))).toBe(true);
  });

  test('frontend packages and files outside any package are not parsed', () => {
    const model = ProjectModel.fromFiles({
      'web/package.json': JSON.stringify({ dependencies: { react: '18', vite: '5' } }),
      'web/src/main.tsx': 'import React from "react";',
      'static/app.js': 'require("x")',
    });
    expect(model.get(nodeProgram).files.size).toBe(0);
  });
});

describe('install commands', () => {
  test('production-only installs, full installs, and commands that are not project installs', async () => {
    const { installKind } = await import('../../../src/model/node/deploy-view.js');
    const { parseCommandLine } = await import('../../../src/model/shell.js');
    const k = (line: string, envProd = false) => installKind(parseCommandLine(line)[0]!, envProd);
    expect(k('npm ci --omit=dev')).toBe(true);
    expect(k('npm ci --omit dev')).toBe(true);
    expect(k('npm --prefix api --omit=dev -f install')).toBe(true);
    expect(k('yarn install --production --frozen-lockfile')).toBe(true);
    expect(k('pnpm install --prod')).toBe(true);
    expect(k('NODE_ENV=production npm ci')).toBe(true);
    expect(k('npm ci', true)).toBe(true);
    expect(k('npm prune --production')).toBe(true);
    expect(k('npm ci')).toBe(false);
    expect(k('yarn')).toBe(false);
    expect(k('npm install -g pm2')).toBeUndefined();
    expect(k('npm install express')).toBeUndefined();
    expect(k('npm run build')).toBeUndefined();
  });
});
