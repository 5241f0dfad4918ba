import check from '../../../checks/node/start-target-missing.js';
import { checkTable } from '../../helpers/check-tester.js';

const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'api', scripts, dependencies: { express: '^4' }, ...extra }, null, 2);

checkTable(check, {
  valid: [
    {
      name: 'tsc with outDir and rootDir writes the start target',
      files: {
        'package.json': pkg({ build: 'tsc -p tsconfig.json', start: 'node dist/index.js' }),
        'tsconfig.json': '{\n  // JSONC\n  "compilerOptions": { "outDir": "./dist", "rootDir": "./src" },\n  "include": ["src"],\n}',
        'src/index.ts': 'export {};',
      },
    },
    {
      name: 'rootDir computed from the inputs (all under src), tsconfig extends a base in the repo',
      files: {
        'package.json': pkg({ build: 'tsc', start: 'node -r dotenv/config dist/index.js' }),
        'tsconfig.base.json': '{ "compilerOptions": { "outDir": "dist" } }',
        'tsconfig.json': '{ "extends": "./tsconfig.base.json", "include": ["src/**/*"] }',
        'src/index.ts': 'export {};',
        'src/routes/a.ts': 'export {};',
      },
    },
    {
      name: 'plain CommonJS server committed to the repository; node . with main',
      files: {
        'package.json': pkg({ start: 'node server.js', 'start:alt': 'node .' }, { main: 'server.js' }),
        'server.js': "require('express')().listen(process.env.PORT);",
      },
    },
    {
      name: 'nest build with the default tsconfig.build.json excluding tests',
      files: {
        'package.json': pkg({ build: 'nest build', start: 'nest start', 'start:prod': 'node dist/main' }, { dependencies: { '@nestjs/core': '^10' } }),
        'nest-cli.json': '{ "collection": "@nestjs/schematics", "sourceRoot": "src" }',
        'tsconfig.json': '{ "compilerOptions": { "outDir": "./dist", "baseUrl": "./" } }',
        'tsconfig.build.json': '{ "extends": "./tsconfig.json", "exclude": ["node_modules", "test", "dist", "**/*spec.ts"] }',
        'src/main.ts': 'export {};',
        'test/app.e2e-spec.ts': 'export {};',
      },
    },
    {
      name: 'a build tool we do not model is assumed to write it; prestart builds; ts-node runs an existing source',
      files: {
        'package.json': pkg({ build: 'esbuild src/index.ts --bundle --outfile=build/server.js', start: 'node build/server.js' }),
        'src/index.ts': 'export {};',
        'worker/package.json': pkg({ prestart: 'tsc', start: 'node lib/worker.js' }),
        'worker/tsconfig.json': '{ "compilerOptions": { "outDir": "lib" } }',
        'worker/worker.ts': 'export {};',
        'dev/package.json': pkg({ start: 'ts-node src/index.ts' }),
        'dev/src/index.ts': 'export {};',
      },
    },
  ],
  invalid: [
    {
      name: 'node dist/index.js with no build at all',
      files: {
        'package.json': pkg({ start: 'node dist/index.js', dev: 'ts-node src/index.ts' }),
        'src/index.ts': 'export {};',
      },
      errors: [{ file: 'package.json', line: 4, severity: 'critical', message: ['`node dist/index.js`', 'no build script'], fix: ['"build": "tsc"'] }],
    },
    {
      name: 'a stray file outside src moves the output to dist/src/main.js',
      files: {
        'package.json': pkg({ build: 'tsc', start: 'node dist/main.js' }),
        'tsconfig.json': '{ "compilerOptions": { "outDir": "dist" } }',
        'src/main.ts': 'export {};',
        'prisma/seed.ts': 'export {};',
      },
      errors: [{ file: 'package.json', line: 5, message: ['src/main.ts to dist/src/main.js'], fix: ['"rootDir": "./src"', 'node dist/src/main.js'] }],
    },
    {
      name: 'start calls another script whose source runner names a missing file',
      files: {
        'package.json': pkg({ start: 'npm run serve', serve: 'ts-node src/server.ts' }),
        'src/index.ts': 'export {};',
      },
      errors: [{ file: 'package.json', line: 5, message: ['ts-node src/server.ts', 'no build can supply it'] }],
    },
    {
      name: 'the script a Dockerfile runs (Nest start:prod) names a file nest build does not write',
      files: {
        'package.json': pkg({ build: 'nest build', start: 'nest start', 'start:prod': 'node dist/main' }, { dependencies: { '@nestjs/core': '^10' } }),
        'tsconfig.json': '{ "compilerOptions": { "outDir": "./dist" } }',
        'tsconfig.build.json': '{ "extends": "./tsconfig.json", "exclude": ["node_modules", "dist", "**/*spec.ts"] }',
        'src/main.ts': 'export {};',
        'test/app.e2e-spec.ts': 'export {};',
        'test/utils.ts': 'export {};',
        Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "run", "start:prod"]\n',
      },
      errors: [{ file: 'package.json', line: 6, message: ['"start:prod"', 'src/main.ts to dist/src/main.js'], fix: ['"rootDir": "./src"'] }],
    },
    {
      name: 'a workspace package whose tsc config writes elsewhere',
      files: {
        'package.json': JSON.stringify({ private: true, workspaces: ['services/*'] }),
        'services/api/package.json': pkg({ build: 'tsc -p tsconfig.build.json', start: 'node build/index.js' }),
        'services/api/tsconfig.build.json': '{ "compilerOptions": { "outDir": "dist", "rootDir": "src" } }',
        'services/api/src/index.ts': 'export {};',
      },
      errors: [{ file: 'services/api/package.json', line: 5, message: ['services/api/src/index.ts to services/api/dist/index.js'], fix: ['node dist/index.js'] }],
    },
  ],
});
