import { keyLine, parseConfigDoc, tomlKeyLines, jsonKeyLines } from '../../../src/model/platform/config-doc.js';
import { platformConfigs, platformFacts } from '../../../src/model/platform/configs.js';
import { imagePin, poetryRange, runtimePins } from '../../../src/model/platform/runtimes.js';
import { ProjectModel } from '../../../src/model/project.js';

describe('config documents', () => {
  test('TOML key lines: tables, array tables, dotted keys, multi-line arrays and strings', () => {
    const text = ['app = "x"', '', '[build]', '  dockerfile = "Dockerfile"', 'args = [', '  "a",', ']', '[[services]]', 'internal_port = 8080', '  [[services.http_checks]]', '  path = "/health"', '[[services]]', 'internal_port = 9090', 'note = """', 'x = 1', '"""', 'deploy.release_command = "migrate"'].join('\n');
    const keys = tomlKeyLines(text).map((k) => `${k.path.join('.')}@${k.line}`);
    expect(keys).toEqual(
      expect.arrayContaining(['app@1', 'build@3', 'build.dockerfile@4', 'build.args@5', 'services.0.internal_port@9', 'services.http_checks.0.path@11', 'services.1.internal_port@13', 'services.1.note@14', 'services.1.deploy.release_command@17']),
    );
    expect(keys.some((k) => k.startsWith('services.1.x'))).toBe(false);
  });

  test('JSON key lines follow nesting and array indexes', () => {
    const text = '{\n  "build": {"builder": "NIXPACKS"},\n  "deploy": {\n    "preDeployCommand": [\n      "a",\n      {"x": 1}\n    ],\n    "startCommand": "go"\n  }\n}\n';
    const keys = jsonKeyLines(text).map((k) => `${k.path.join('.')}@${k.line}`);
    expect(keys).toEqual(['build@2', 'build.builder@2', 'deploy@3', 'deploy.preDeployCommand@4', 'deploy.preDeployCommand.0@5', 'deploy.preDeployCommand.1@6', 'deploy.preDeployCommand.1.x@6', 'deploy.startCommand@8']);
  });

  test('parse errors carry a line for every format', () => {
    expect(parseConfigDoc('fly.toml', 'app = "x"\n[build\n').error?.line).toBe(2);
    expect(parseConfigDoc('railway.json', '{\n  "deploy": {\n    "startCommand": "x",\n  }\n}').error?.line).toBeGreaterThanOrEqual(3);
    expect(parseConfigDoc('render.yaml', 'services:\n  - name: a\n   type: web\n').error?.line).toBe(3);
    const doc = parseConfigDoc('render.yaml', 'services:\n  - name: api\n    startCommand: x\n');
    expect(keyLine(doc, ['services', 0, 'startCommand'])).toBe(3);
  });
});

describe('platform facts', () => {
  test('railway on a Dockerfile runs its start command without a shell; nixpacks, Procfile with a shell', () => {
    const model = ProjectModel.fromFiles({
      'api/railway.json': JSON.stringify({ build: { builder: 'DOCKERFILE' }, deploy: { startCommand: 'uvicorn app.main:app --port $PORT', preDeployCommand: ['alembic upgrade head'], healthcheckPath: '/health' } }, null, 2),
      'api/Dockerfile': 'FROM python:3.11\n',
      'web/railway.toml': '[deploy]\nstartCommand = "npm start"\n',
      'web/nixpacks.toml': '[phases.setup]\nnixPkgs = ["nodejs_20"]\n\n[start]\ncmd = "node server.js"\n',
      'Procfile': 'web: cd api && gunicorn app.main:app\nrelease: alembic upgrade head\n',
    });
    const cmds = model.get(platformFacts).commands.map((c) => [c.platform, c.file, c.line, c.role, c.text, c.shell, c.dockerfile ?? '']);
    expect(cmds).toEqual([
      ['railway', 'api/railway.json', 6, 'web', 'uvicorn app.main:app --port $PORT', false, 'api/Dockerfile'],
      ['railway', 'api/railway.json', 8, 'release', 'alembic upgrade head', undefined, 'api/Dockerfile'],
      ['railway', 'web/railway.toml', 2, 'web', 'npm start', true, ''],
      ['nixpacks', 'web/nixpacks.toml', 5, 'web', 'node server.js', true, ''],
      ['heroku', 'Procfile', 1, 'web', 'cd api && gunicorn app.main:app', true, ''],
      ['heroku', 'Procfile', 2, 'release', 'alembic upgrade head', true, ''],
    ]);
    expect(model.get(platformFacts).healthchecks).toEqual([expect.objectContaining({ path: '/health', line: 10, dir: 'api' })]);
  });

  test('render services, fly processes and ports, heroku.yml, app.json (but not Expo’s)', () => {
    const model = ProjectModel.fromFiles({
      'render.yaml': ['services:', '  - type: web', '    name: api', '    runtime: python', '    rootDir: backend', '    startCommand: gunicorn app:app', '    healthCheckPath: /healthz', '  - type: worker', '    name: jobs', '    runtime: docker', '    dockerCommand: celery -A app worker'].join('\n'),
      'fly.toml': ['app = "demo"', '[processes]', 'app = "gunicorn app:app -b 0.0.0.0:8000"', 'worker = "celery -A app worker"', '[http_service]', 'internal_port = 8080', 'processes = ["app"]', '[[http_service.checks]]', 'path = "/up"', '[deploy]', 'release_command = "python manage.py migrate"'].join('\n'),
      Dockerfile: 'FROM python:3.12\n',
      'heroku.yml': 'build:\n  docker:\n    web: Dockerfile\nrun:\n  web: bundle exec puma\n  worker:\n    command:\n      - ./worker.sh\n',
      'app.json': JSON.stringify({ name: 'x', scripts: { postdeploy: 'python manage.py seed' } }),
      'mobile/app.json': JSON.stringify({ expo: { name: 'x' } }),
    });
    expect(model.get(platformConfigs).map((c) => c.file)).not.toContain('mobile/app.json');
    const cmds = model.get(platformFacts).commands.map((c) => [c.platform, c.line, c.role, c.name, c.dir, c.text, c.internalPort?.value ?? null]);
    expect(cmds).toEqual([
      ['render', 6, 'web', 'api', 'backend', 'gunicorn app:app', null],
      ['render', 11, 'worker', 'jobs', '', 'celery -A app worker', null],
      ['fly', 3, 'web', 'demo app', '', 'gunicorn app:app -b 0.0.0.0:8000', 8080],
      ['fly', 4, 'worker', 'demo worker', '', 'celery -A app worker', null],
      ['fly', 11, 'release', 'demo', '', 'python manage.py migrate', null],
      ['heroku', 1, 'release', 'postdeploy', '', 'python manage.py seed', null],
      ['heroku', 5, 'web', 'web', '', 'bundle exec puma', null],
      ['heroku', 6, 'worker', 'worker', '', './worker.sh', null],
    ]);
    expect(model.get(platformFacts).healthchecks.map((h) => [h.platform, h.path, h.line, h.dir])).toEqual([
      ['render', '/healthz', 7, 'backend'],
      ['fly', '/up', 9, ''],
    ]);
  });
});

describe('runtime pins', () => {
  test('every source, with lines and ranks', () => {
    const model = ProjectModel.fromFiles({
      'runtime.txt': 'python-3.11.4\n',
      '.python-version': '3.12\n',
      'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.10"\n[tool.poetry.dependencies]\npython = "^3.11"\n',
      'Pipfile': '[requires]\npython_version = "3.11"\n',
      'nixpacks.toml': '[phases.setup]\nnixPkgs = ["python311", "nodejs-18_x"]\n[variables]\nNIXPACKS_NODE_VERSION = "18"\n',
      'web/.nvmrc': 'lts/iron\n',
      'web/package.json': '{\n  "engines": { "node": ">=20" }\n}\n',
      'Dockerfile': 'ARG PY=3.11\nFROM python:${PY}-slim AS base\nFROM base\n',
      'Dockerfile.dev': 'FROM python:3.9\n',
    });
    const pins = model.get(runtimePins).map((p) => [p.runtime, p.source, p.file, p.line, p.version ?? p.range]);
    expect(pins).toEqual(
      expect.arrayContaining([
        ['python', 'runtime.txt', 'runtime.txt', 1, '3.11.4'],
        ['python', '.python-version', '.python-version', 1, '3.12'],
        ['python', 'requires-python', 'pyproject.toml', 3, '>=3.10'],
        ['python', 'tool.poetry python', 'pyproject.toml', 5, '>=3.11,<4'],
        ['python', 'Pipfile', 'Pipfile', 2, '3.11'],
        ['python', 'nixpacks nixPkgs', 'nixpacks.toml', 2, '3.11'],
        ['node', 'nixpacks nixPkgs', 'nixpacks.toml', 2, '18'],
        ['node', 'NIXPACKS_NODE_VERSION', 'nixpacks.toml', 4, '18'],
        ['node', '.nvmrc', 'web/.nvmrc', 1, '20'],
        ['node', 'engines.node', 'web/package.json', 2, '>=20'],
      ]),
    );
    // the final stage inherits `base`, whose image resolves through the ARG
    expect(pins.filter((p) => p[1] === 'Dockerfile FROM')).toEqual([['python', 'Dockerfile FROM', 'Dockerfile', 2, '3.11']]);
    expect(pins.some((p) => p[2] === 'Dockerfile.dev')).toBe(false);
  });

  test.each([
    ['python:3.11-slim', 'python', '3.11'],
    ['python:3.12.1-alpine3.19', 'python', '3.12.1'],
    ['node:18-alpine', 'node', '18'],
    ['node:lts', undefined, undefined],
    ['tiangolo/uvicorn-gunicorn-fastapi:python3.11', 'python', '3.11'],
    ['python@sha256:abc', undefined, undefined],
    ['ghcr.io/acme/python:3.11', undefined, undefined],
  ])('imagePin(%s)', (image, runtime, version) => {
    expect(imagePin(image)).toEqual(runtime ? { runtime, version } : undefined);
  });

  test('poetry ranges', () => {
    expect(poetryRange('^3.11')).toBe('>=3.11,<4');
    expect(poetryRange('~3.11')).toBe('>=3.11,<3.12');
    expect(poetryRange('>=3.9,<3.13')).toBe('>=3.9,<3.13');
  });
});
