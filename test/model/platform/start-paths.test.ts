import { closest, suspiciousKeys } from '../../../src/model/platform/schema.js';
import { parseConfigDoc } from '../../../src/model/platform/config-doc.js';
import { devServer, envVarOf, packageScript, pythonTarget, serverBinding, startPaths, wrapsShell } from '../../../src/model/platform/start-paths.js';
import { ProjectModel } from '../../../src/model/project.js';
import { parseCommandLine } from '../../../src/model/shell.js';

const cmd = (line: string) => parseCommandLine(line)[0]!;

describe('what a start command runs', () => {
  test.each([
    ['uvicorn app.main:app --host 0.0.0.0 --port $PORT', { runner: 'uvicorn', module: 'app.main', attribute: 'app' }],
    ['python -m uvicorn --app-dir src main:api', { runner: 'uvicorn', module: 'main', attribute: 'api', appDir: 'src' }],
    ['uvicorn main', { runner: 'uvicorn', module: 'main', malformed: 'uvicorn needs `module:attribute`, got `main`' }],
    ['uvicorn app:create_app --factory', { runner: 'uvicorn', module: 'app', attribute: 'create_app' }],
    ['gunicorn -w 4 -k uvicorn.workers.UvicornWorker app.main:app', { runner: 'gunicorn', module: 'app.main', attribute: 'app' }],
    ['gunicorn mysite.wsgi --chdir backend', { runner: 'gunicorn', module: 'mysite.wsgi', attribute: 'application', defaultAttribute: true, appDir: 'backend' }],
    ['gunicorn "app:create_app()"', { runner: 'gunicorn', module: 'app', attribute: 'create_app' }],
    ['celery -A proj.celery worker -l info', { runner: 'celery', module: 'proj.celery' }],
    ['celery --app=tasks:app beat', { runner: 'celery', module: 'tasks', attribute: 'app' }],
    ['poetry run python -m app.worker', { runner: 'python -m', module: 'app.worker' }],
  ])('pythonTarget(%s)', (line, expected) => {
    expect(pythonTarget(cmd(line))).toMatchObject(expected);
  });

  test('not Python targets', () => {
    expect(pythonTarget(cmd('gunicorn -c gunicorn.conf.py'))).toBeUndefined();
    expect(pythonTarget(cmd('python manage.py migrate'))).toBeUndefined();
    expect(pythonTarget(cmd('uvicorn $APP'))).toBeUndefined();
  });

  test.each([
    ['npm start', { manager: 'npm', script: 'start' }],
    ['npm run start:prod --silent', { manager: 'npm', script: 'start:prod' }],
    ['yarn serve', { manager: 'yarn', script: 'serve' }],
    ['pnpm install', undefined],
    ['npm --prefix web start', undefined],
  ])('packageScript(%s)', (line, expected) => {
    expect(packageScript(cmd(line))).toEqual(expected);
  });
});

describe('where a server listens', () => {
  test.each([
    ['uvicorn app:app', { host: '127.0.0.1', hostFrom: 'default', port: '8000', portFrom: 'default' }],
    ['uvicorn app:app --host 0.0.0.0 --port ${PORT:-8000}', { host: '0.0.0.0', hostFrom: 'arg', port: '${PORT:-8000}', envVar: 'PORT' }],
    ['gunicorn app:app --bind 0.0.0.0:$PORT', { host: '0.0.0.0', port: '${PORT}', envVar: 'PORT' }],
    ['gunicorn app:app -b :8000', { host: '0.0.0.0', port: '8000' }],
    ['hypercorn app:app', { host: '127.0.0.1', port: '8000' }],
    ['flask run -h 0.0.0.0', { host: '0.0.0.0', port: '5000' }],
    ['python manage.py runserver 0:8000', { host: '0.0.0.0', port: '8000' }],
    ['python manage.py runserver', { host: '127.0.0.1', port: '8000' }],
  ])('serverBinding(%s)', (line, e) => {
    const b = serverBinding(cmd(line))!;
    expect(b.host?.value).toBe(e.host);
    expect(b.port?.value).toBe(e.port);
    if ('hostFrom' in e) expect(b.host?.from).toBe(e.hostFrom);
    if ('portFrom' in e) expect(b.port?.from).toBe(e.portFrom);
    if ('envVar' in e) expect(b.port?.envVar).toBe(e.envVar);
  });

  test('gunicorn without a bind reads PORT; config files and env options make it unknown', () => {
    expect(serverBinding(cmd('gunicorn app:app'))).toMatchObject({ readsPortEnv: true });
    expect(serverBinding(cmd('gunicorn -c conf.py app:app'))).toBeUndefined();
    expect(serverBinding(cmd('uvicorn app:app'), { UVICORN_HOST: '0.0.0.0' })).toBeUndefined();
    expect(envVarOf('${PORT:-8000}')).toBe('PORT');
    expect(envVarOf('8000')).toBeUndefined();
  });

  test('shell wrappers', () => {
    expect(wrapsShell(['sh', '-c', 'exec x'])).toBe(true);
    expect(wrapsShell(['/bin/bash', '-lc', 'x'])).toBe(true);
    expect(wrapsShell(['uvicorn', 'app:app'])).toBe(false);
  });
});

describe('development servers', () => {
  test.each([
    ['uvicorn app:app --reload', 'uvicorn --reload'],
    ['python manage.py runserver 0.0.0.0:8000', 'manage.py runserver'],
    ['flask run', 'flask run'],
    ['nodemon server.js', 'nodemon'],
    ['npx ts-node-dev src/index.ts', 'ts-node-dev'],
    ['tsx watch src/index.ts', 'tsx watch'],
    ['next dev', 'next dev'],
  ])('devServer(%s)', (line, what) => {
    expect(devServer(cmd(line))?.what).toBe(what);
  });

  test('production servers are not dev servers', () => {
    for (const l of ['uvicorn app:app --workers 4', 'gunicorn app:app', 'next start', 'node dist/index.js', 'vite build', 'vite preview']) expect(devServer(cmd(l))).toBeUndefined();
  });
});

describe('start paths', () => {
  test('platform commands, compose commands and Dockerfile CMDs in one list; shadowed CMDs dropped', () => {
    const model = ProjectModel.fromFiles({
      Procfile: 'web: gunicorn app:app\n',
      'Procfile.windows': 'web: python manage.py runserver %PORT%\n',
      'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    command: gunicorn app:app\n  db:\n    image: postgres:16\n    command: postgres -c max_connections=200\n',
      'api/Dockerfile': 'FROM python:3.11\nENV UVICORN_HOST=0.0.0.0\nCMD ["uvicorn", "app:app"]\n',
      'web/Dockerfile': 'FROM python:3.11\nCMD ["sh", "-c", "exec uvicorn app:app --port $PORT"]\n',
    });
    const got = model.get(startPaths).map((p) => [p.origin, p.file, p.line, p.text, p.shell ?? null]);
    expect(got).toEqual([
      ['heroku', 'Procfile', 1, 'gunicorn app:app', true],
      ['compose', 'docker-compose.yml', 4, 'gunicorn app:app', null],
      ['dockerfile', 'web/Dockerfile', 2, 'sh -c exec uvicorn app:app --port $PORT', true],
    ]);
  });
});

describe('platform key schema', () => {
  test('closest catches case, separators and one-letter slips only', () => {
    expect(closest('healthcheckPath', ['healthCheckPath', 'startCommand'])).toBe('healthCheckPath');
    expect(closest('start_command', ['startCommand'])).toBe('startCommand');
    expect(closest('startComand', ['startCommand'])).toBe('startCommand');
    expect(closest('newSetting', ['startCommand', 'buildCommand'])).toBeUndefined();
    expect(closest('env', ['envVars'])).toBeUndefined();
  });

  test('suspicious keys in a render blueprint', () => {
    const doc = parseConfigDoc('render.yaml', 'services:\n  - type: web\n    healthcheckPath: /h\n    envVars:\n      - key: X\n        valu: 1\n');
    expect(suspiciousKeys('render', doc).map((k) => [k.key, k.suggestion, k.line])).toEqual([['healthcheckPath', 'healthCheckPath', 3]]);
  });
});
