import { ProjectModel } from '../../../src/model/project.js';
import { parseCommandLine } from '../../../src/model/shell.js';
import {
  entriesOf,
  expandScript,
  exportsOf,
  loadTsConfig,
  nodeGraph,
  nodePackages,
  nodeRuntime,
  nodeTarget,
  packageNameOf,
  isBuiltin,
  tscRootDir,
  tscOutputFor,
} from '../../../src/model/node/index.js';

describe('specifiers', () => {
  test('package names, builtins, aliases', () => {
    expect(packageNameOf('@scope/pkg/sub/path')).toBe('@scope/pkg');
    expect(packageNameOf('lodash/fp')).toBe('lodash');
    expect(packageNameOf('@/utils')).toBeUndefined();
    expect(packageNameOf('~/x')).toBeUndefined();
    expect(packageNameOf('virtual:thing')).toBeUndefined();
    expect(isBuiltin('node:test')).toBe(true);
    expect(isBuiltin('test')).toBe(false);
    expect(isBuiltin('fs/promises')).toBe(true);
  });
});

describe('tsconfig', () => {
  test('JSONC, extends chains in the repo, paths relative to the declaring config, computed rootDir', () => {
    const model = ProjectModel.fromFiles({
      'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["libs/*/src"] }, "outDir": "build", },\n}',
      'apps/api/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "outDir": "dist" }, "include": ["src", "prisma"] }',
      'apps/api/src/main.ts': '',
      'apps/api/prisma/seed.ts': '',
    });
    const tc = loadTsConfig(model, 'apps/api/tsconfig.json')!;
    expect(tc).toMatchObject({ outDir: 'apps/api/dist', baseUrl: '', paths: [{ pattern: '@lib/*', targets: ['libs/*/src'] }] });
    expect(tscRootDir(model, tc)).toBe('apps/api');
    expect(tscOutputFor('apps/api/src/main.ts', 'apps/api', tc.outDir)).toBe('apps/api/dist/src/main.js');
  });

  test('an extends cycle ends', () => {
    const model = ProjectModel.fromFiles({ 'a.json': '{ "extends": "./b.json" }', 'b.json': '{ "extends": "./a.json", "compilerOptions": { "outDir": "x" } }' });
    expect(loadTsConfig(model, 'a.json')?.outDir).toBe('x');
  });
});

describe('scripts', () => {
  test('npm/yarn/pnpm script calls and pre hooks expand in order; node targets skip flags', () => {
    const model = ProjectModel.fromFiles({
      'package.json': JSON.stringify({
        scripts: { prestart: 'prisma migrate deploy', start: 'yarn serve', serve: 'node -r dotenv/config --max-old-space-size=512 dist/main.js' },
      }),
    });
    const pkg = model.get(nodePackages)[0]!;
    const steps = expandScript(pkg, 'start');
    expect(steps.map((s) => [s.script, s.argv.join(' ')])).toEqual([
      ['prestart', 'prisma migrate deploy'],
      ['serve', 'node -r dotenv/config --max-old-space-size=512 dist/main.js'],
    ]);
    expect(nodeTarget(steps[1]!)).toMatchObject({ runner: 'node', path: 'dist/main.js' });
    expect(nodeTarget(parseCommandLine('npx ts-node --transpile-only src/index.ts')[0]!)).toMatchObject({ runner: 'ts-node', path: 'src/index.ts' });
    expect(nodeTarget(parseCommandLine('node -e "console.log(1)"')[0]!)).toBeUndefined();
  });
});

describe('packages and workspaces', () => {
  test('pnpm-workspace.yaml and npm workspaces link packages to their root', () => {
    const model = ProjectModel.fromFiles({
      'package.json': JSON.stringify({ private: true, workspaces: { packages: ['apps/*'] } }),
      'pnpm-workspace.yaml': 'packages:\n  - "libs/*"\n  - "!libs/legacy"\n',
      'apps/api/package.json': '{ "name": "api" }',
      'libs/db/package.json': '{ "name": "db" }',
      'libs/legacy/package.json': '{ "name": "legacy" }',
      'broken/package.json': '{ "name": ',
    });
    const byDir = Object.fromEntries(model.get(nodePackages).map((p) => [p.dir, p.workspaceRoot]));
    expect(byDir).toEqual({ '': undefined, 'apps/api': '', 'libs/db': '', 'libs/legacy': undefined });
    expect(model.notices.some((n) => n.file === 'broken/package.json')).toBe(true);
  });
});

describe('graph', () => {
  test('entries from nest-cli.json, dist → src through outDir/rootDir, runtime reachability through runtime imports only', () => {
    const model = ProjectModel.fromFiles({
      'package.json': JSON.stringify({ name: 'api', scripts: { 'start:prod': 'node dist/main' }, dependencies: { '@nestjs/core': '10' } }),
      'nest-cli.json': '{ "sourceRoot": "src", "entryFile": "main" }',
      'tsconfig.json': '{ "compilerOptions": { "outDir": "dist", "rootDir": "src" } }',
      'src/main.ts': "import { AppModule } from './app.module';\nimport type { Cfg } from './cfg';\nexport const m = AppModule;",
      'src/app.module.ts': 'export class AppModule {}',
      'src/cfg.ts': 'export interface Cfg {}',
    });
    const graph = model.get(nodeGraph);
    const pkg = graph.packages[0]!;
    expect(entriesOf(model, graph, pkg)).toEqual([{ source: 'src/main.ts', via: 'nest-cli.json' }]);
    expect([...model.get(nodeRuntime).get('')!.files].sort()).toEqual(['src/app.module.ts', 'src/main.ts']);
  });

  test('export * cycles end, and a star from a package makes the exports open', () => {
    const model = ProjectModel.fromFiles({
      'package.json': '{ "name": "x" }',
      'a.ts': "export * from './b';\nexport const a = 1;",
      'b.ts': "export * from './a';\nexport const b = 1;",
      'c.ts': "export * from 'pkg';",
    });
    const graph = model.get(nodeGraph);
    expect([...exportsOf(graph, 'a.ts').names].sort()).toEqual(['a', 'b']);
    expect(exportsOf(graph, 'c.ts').open).toBe(true);
  });
});
