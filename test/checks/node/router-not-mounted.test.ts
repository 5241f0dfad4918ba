import check from '../../../checks/node/router-not-mounted.js';
import { checkTable } from '../../helpers/check-tester.js';

const PKG = JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: { express: '^4', koa: '^2', '@koa/router': '^12', fastify: '^4' } });
const NEST_PKG = JSON.stringify({ name: 'api', dependencies: { '@nestjs/core': '^10', '@nestjs/common': '^10' } });
const APP = "import express from 'express';\nconst app = express();\n";

checkTable(check, {
  valid: [
    {
      name: 'ESM router exported and mounted with app.use',
      files: {
        'package.json': PKG,
        'src/index.js': `${APP}import { users } from './routes/users.js';\napp.use('/users', users);\napp.listen(process.env.PORT);`,
        'src/routes/users.js': "import { Router } from 'express';\nexport const users = Router();\nusers.get('/', (req, res) => res.json([]));",
      },
    },
    {
      name: 'CommonJS router required inline, and one re-exported through a barrel',
      files: {
        'package.json': PKG,
        'src/index.js': "const express = require('express');\nconst app = express();\napp.use('/a', require('./routes/a'));\nconst { b } = require('./routes');\napp.use('/b', b);\napp.listen(process.env.PORT);",
        'src/routes/a.js': "const router = require('express').Router();\nrouter.get('/', (q, s) => s.end());\nmodule.exports = router;",
        'src/routes/index.js': "export * from './b.js';",
        'src/routes/b.js': "import { Router } from 'express';\nexport const b = Router();\nb.post('/', () => {});",
      },
    },
    {
      name: 'Koa router mounted through .routes() in its own file; a router returned by a factory',
      files: {
        'package.json': PKG,
        'src/index.js': [
          "import Koa from 'koa';",
          "import Router from '@koa/router';",
          "import { makeRouter } from './factory.js';",
          'const app = new Koa();',
          'const router = new Router();',
          "router.get('/health', (ctx) => { ctx.body = 'ok'; });",
          'app.use(router.routes()).use(router.allowedMethods());',
          'app.use(makeRouter().routes());',
          'app.listen(process.env.PORT);',
        ].join('\n'),
        'src/factory.js': "import Router from '@koa/router';\nexport function makeRouter() {\n  const r = new Router();\n  r.get('/x', () => {});\n  return r;\n}",
      },
    },
    {
      name: 'Nest controller listed in a module',
      files: {
        'package.json': NEST_PKG,
        'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule).then((a) => a.listen(process.env.PORT ?? 3000));",
        'src/app.module.ts': "import { Module } from '@nestjs/common';\nimport { UsersController } from './users/users.controller';\n@Module({ controllers: [UsersController] })\nexport class AppModule {}",
        'src/users/users.controller.ts': "import { Controller, Get } from '@nestjs/common';\n@Controller('users')\nexport class UsersController {\n  @Get() list() { return []; }\n}",
      },
    },
    {
      name: 'routes loaded by @fastify/autoload or by a computed require are not judged',
      files: {
        'package.json': PKG,
        'src/index.js': "import Fastify from 'fastify';\nimport autoload from '@fastify/autoload';\nconst app = Fastify();\napp.register(autoload, { dir: 'routes' });\napp.listen({ port: 3000, host: '0.0.0.0' });",
        'src/routes/health.js': "export default async function (fastify) {\n  fastify.get('/health', async () => ({ ok: true }));\n}",
        'other/package.json': PKG,
        'other/index.js': "const app = require('express')();\nfor (const f of files) app.use(require('./routes/' + f));\napp.listen(process.env.PORT);",
        'other/routes/x.js': "const r = require('express').Router();\nr.get('/x', () => {});\nmodule.exports = r;",
      },
    },
    {
      name: 'a library package without a server exports routers for its users',
      files: {
        'package.json': JSON.stringify({ name: 'lib', main: 'index.js', dependencies: { express: '^4' } }),
        'index.js': "const r = require('express').Router();\nr.get('/status', () => {});\nmodule.exports = r;",
      },
    },
  ],
  invalid: [
    {
      name: 'an Express router imported nowhere (TypeScript, default export)',
      files: {
        'package.json': PKG,
        'src/index.ts': `${APP}app.listen(process.env.PORT);`,
        'src/routes/admin.ts': "import { Router } from 'express';\n\nconst admin = Router();\nadmin.delete('/users/:id', () => {});\nexport default admin;",
      },
      errors: [{ file: 'src/routes/admin.ts', line: 3, severity: 'high', message: ['`admin`', 'DELETE /users/:id', '`default`', '404'], fix: ["app.use('/<prefix>', admin)"] }],
    },
    {
      name: 'a CommonJS router only a test imports',
      files: {
        'package.json': PKG,
        'src/index.js': "const app = require('express')();\napp.listen(process.env.PORT);",
        'src/routes/orders.js': "const express = require('express');\nconst router = express.Router();\nrouter.get('/', () => {});\nrouter.post('/', () => {});\nmodule.exports = router;",
        'src/routes/orders.test.js': "const router = require('./orders');\ntest('x', () => router);",
      },
      errors: [{ file: 'src/routes/orders.js', line: 2, message: ['GET /, POST /'] }],
    },
    {
      name: 'a Nest controller imported by its module but missing from controllers',
      files: {
        'package.json': NEST_PKG,
        'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule);",
        'src/app.module.ts': "import { Module } from '@nestjs/common';\nimport { HealthController } from './health.controller';\n@Module({ controllers: [] })\nexport class AppModule {}",
        'src/health.controller.ts': "import { Controller, Get } from '@nestjs/common';\n\n@Controller('health')\nexport class HealthController {\n  @Get() check() { return 'ok'; }\n}",
      },
      errors: [{ file: 'src/health.controller.ts', line: 3, message: ['`HealthController`', 'controllers'], fix: ['controllers: [..., HealthController]'] }],
    },
    {
      name: 'a Fastify route plugin never registered',
      files: {
        'package.json': PKG,
        'src/index.js': "import Fastify from 'fastify';\nconst app = Fastify();\napp.listen({ port: 3000, host: '0.0.0.0' });",
        'src/routes/items.js': "export async function itemRoutes(fastify) {\n  fastify.get('/items', async () => []);\n}",
      },
      errors: [{ file: 'src/routes/items.js', line: 1, message: ['Fastify route plugin `itemRoutes`', 'GET /items'], fix: ['app.register(itemRoutes'] }],
    },
  ],
});
