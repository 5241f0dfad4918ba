import check from '../../../checks/docker/runtime-dependency-dropped.js';
import { checkTable } from '../../helpers/check-tester.js';

const PKG = JSON.stringify({
  scripts: { start: 'node dist/index.js', 'start:ts': 'ts-node src/index.ts', build: 'tsc' },
  dependencies: { express: '4' },
  devDependencies: { typescript: '5', 'ts-node': '10', prisma: '5' },
});

checkTable(check, {
  valid: [
    {
      name: 'multi-stage: build with dev deps, run the output with production deps',
      files: {
        'package.json': PKG,
        Dockerfile:
          'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app/dist ./dist\nCMD ["npm", "start"]\n',
      },
    },
    {
      name: 'full install and a build in the same stage',
      files: { 'package.json': PKG, Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD ["node", "dist/index.js"]\n' },
    },
    {
      name: 'production install, start needs only runtime deps; a Python image',
      files: {
        'api/package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4' }, devDependencies: { nodemon: '3' } }),
        'api/Dockerfile': 'FROM node:20\nENV NODE_ENV=production\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["npm", "start"]\n',
        'py/Dockerfile': 'FROM python\nCMD ["gunicorn", "app:app"]\n',
      },
    },
    {
      name: 'dev compose command with ts-node is not production',
      files: {
        'package.json': PKG,
        Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCOPY dist ./dist\nCMD ["node", "dist/index.js"]\n',
        'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    command: npx ts-node src/index.ts\n',
      },
    },
  ],
  invalid: [
    {
      name: 'npm start runs ts-node after npm ci --omit=dev',
      files: {
        'package.json': JSON.stringify({ scripts: { start: 'ts-node src/index.ts' }, devDependencies: { 'ts-node': '10', typescript: '5' } }),
        Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["npm", "start"]\n',
      },
      errors: [{ file: 'Dockerfile', line: 4, message: ['ts-node src/index.ts', 'devDependency', 'npm ci --omit=dev', 'Dockerfile:6'], fix: ['npm install --save ts-node'] }],
    },
    {
      name: 'prisma CLI dropped through a deps stage; dist never built',
      files: {
        'package.json': PKG,
        Dockerfile:
          'FROM node:20 AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --only=production\n\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nCMD sh -c "npx prisma migrate deploy && node dist/index.js"\n',
      },
      errors: [
        { file: 'Dockerfile', line: 4, message: ['prisma', 'npm ci --only=production'] },
        { file: 'Dockerfile', line: 10, message: ['dist/', 'Cannot find module'], fix: ['RUN npm run build'] },
      ],
    },
  ],
});
