import check from '../../../checks/node/port-not-from-env.js';
import { checkTable } from '../../helpers/check-tester.js';

const pkg = (deps: Record<string, string> = { express: '^4' }, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: deps, ...extra }, null, 2);
const DOCKERFILE = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nEXPOSE 3000\nCMD ["npm", "start"]\n';

checkTable(check, {
  valid: [
    {
      name: 'PORT from the environment on Heroku',
      files: {
        'package.json': pkg(),
        Procfile: 'web: npm start\n',
        'src/index.js': "const express = require('express');\nconst app = express();\nconst port = process.env.PORT || 3000;\napp.listen(port, () => console.log(port));",
      },
    },
    {
      name: 'a fixed port in Docker is fine (EXPOSE names it), host left to the default',
      files: { 'package.json': pkg(), Dockerfile: DOCKERFILE, 'src/index.js': "import express from 'express';\nexpress().listen(3000);" },
    },
    {
      name: "Fastify bound to 0.0.0.0; a HOST fallback the deploy overrides",
      files: {
        'package.json': pkg({ fastify: '^4', express: '^4' }),
        Dockerfile: DOCKERFILE.replace('EXPOSE 3000', 'ENV HOST=0.0.0.0\nEXPOSE 3000'),
        'src/index.js': [
          "import Fastify from 'fastify';",
          "import express from 'express';",
          'const app = Fastify();',
          "await app.listen({ port: Number(process.env.PORT) || 3000, host: '0.0.0.0' });",
          "express().listen(4000, process.env.HOST || 'localhost');",
        ].join('\n'),
      },
    },
    {
      name: 'a metrics server on a fixed port next to the server that binds $PORT (Railway)',
      files: {
        'package.json': pkg(),
        'railway.json': '{ "deploy": { "startCommand": "npm start" } }',
        'src/index.js': "import express from 'express';\nimport http from 'node:http';\nexpress().listen(process.env.PORT);\nhttp.createServer(metrics).listen(9464);",
      },
    },
    {
      name: 'Fly internal_port matches; Nest port from ConfigService on Heroku; an unreadable port',
      files: {
        'package.json': pkg(),
        'fly.toml': 'app = "api"\n[http_service]\n  internal_port = 3000\n',
        'src/index.js': "import express from 'express';\nexpress().listen(3000);",
        'nest/package.json': pkg({ '@nestjs/core': '^10', '@nestjs/common': '^10' }, { scripts: { start: 'node dist/main.js' } }),
        'nest/Procfile': 'web: npm start\n',
        'nest/src/main.ts': [
          "import { NestFactory } from '@nestjs/core';",
          "import { ConfigService } from '@nestjs/config';",
          'async function bootstrap() {',
          '  const app = await NestFactory.create(AppModule);',
          '  const config = app.get(ConfigService);',
          "  await app.listen(config.get('PORT'));",
          '}',
          'bootstrap();',
        ].join('\n'),
        'other/package.json': pkg(),
        'other/Procfile': 'web: npm start\n',
        'other/src/index.js': "import express from 'express';\nimport { settings } from './settings.js';\nexpress().listen(settings.port);",
        'other/src/settings.js': 'export const settings = { port: 1 };',
      },
    },
  ],
  invalid: [
    {
      name: 'fixed port on Heroku (TypeScript, port in a constant)',
      files: {
        'package.json': pkg(undefined, { scripts: { start: 'ts-node src/index.ts' } }),
        Procfile: 'web: npm start\n',
        'src/index.ts': "import express from 'express';\nconst app = express();\nconst PORT = 3000;\n\napp.listen(PORT, () => {});",
      },
      errors: [{ file: 'src/index.ts', line: 5, severity: 'critical', message: ['fixed port 3000', 'Procfile', 'R10'], fix: ['process.env.PORT'] }],
    },
    {
      name: 'http.createServer on Railway (CommonJS)',
      files: {
        'package.json': pkg(),
        'railway.toml': '[deploy]\nstartCommand = "npm start"\n',
        'src/index.js': "const http = require('http');\nconst app = require('express')();\nhttp.createServer(app).listen(8080);",
      },
      errors: [{ file: 'src/index.js', line: 3, message: ['8080', 'railway.toml'] }],
    },
    {
      name: "Fastify's default host inside a container",
      files: {
        'package.json': pkg({ fastify: '^4' }),
        Dockerfile: DOCKERFILE,
        'src/index.js': "const fastify = require('fastify')({ logger: true });\nfastify.listen({ port: process.env.PORT || 3000 });",
      },
      errors: [{ file: 'src/index.js', line: 2, severity: 'critical', message: ['Fastify then binds localhost', 'container'], fix: ["host: '0.0.0.0'"] }],
    },
    {
      name: 'explicit 127.0.0.1 with no deploy file is a medium finding',
      files: { 'package.json': pkg(), 'src/index.js': "import express from 'express';\nexpress().listen(process.env.PORT, '127.0.0.1');" },
      errors: [{ file: 'src/index.js', line: 2, severity: 'medium', message: ['127.0.0.1'] }],
    },
    {
      name: 'Fly routes to another internal_port',
      files: {
        'package.json': pkg(),
        'fly.toml': 'app = "api"\n[http_service]\n  internal_port = 8080\n',
        'src/index.js': "import express from 'express';\nexpress().listen(3000);",
      },
      errors: [{ file: 'src/index.js', line: 2, message: ['internal_port 8080'], fix: ['internal_port = 3000'] }],
    },
    {
      name: 'Nest on the Fastify adapter with a fixed port on Heroku: port and host',
      files: {
        'package.json': pkg({ '@nestjs/core': '^10', '@nestjs/platform-fastify': '^10' }, { scripts: { start: 'node dist/main.js' } }),
        'app.json': '{ "name": "api", "formation": { "web": { "quantity": 1 } } }',
        'src/main.ts': [
          "import { NestFactory } from '@nestjs/core';",
          "import { FastifyAdapter } from '@nestjs/platform-fastify';",
          'async function bootstrap() {',
          '  const app = await NestFactory.create(AppModule, new FastifyAdapter());',
          '  await app.listen(3000);',
          '}',
          'bootstrap();',
        ].join('\n'),
      },
      errors: [{ file: 'src/main.ts', line: 5, message: ['fixed port 3000', 'app.json', 'It also passes no host, and Fastify then binds localhost'], fix: ['process.env.PORT', "'0.0.0.0'"] }],
    },
  ],
});
