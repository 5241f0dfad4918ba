import { ProjectModel } from '../../../src/model/project.js';
import { deployServices, envFiles, parseEnvFile, parseProcfile, parseScript, shellScripts } from '../../../src/model/deploy/index.js';

describe('env files', () => {
  test('dotenv values with the line of each key; templates recognised', () => {
    const e = parseEnvFile('.env.example', '# comment\nexport A=1\nB="two words"\n\nC=\'multi\nline\'\nA=2\n');
    expect(e.template).toBe(true);
    expect(e.entries).toEqual([
      { name: 'A', value: '2', line: 7 },
      { name: 'B', value: 'two words', line: 3 },
      { name: 'C', value: 'multi\nline', line: 5 },
    ]);
    expect(parseEnvFile('config/.env', 'X=1').template).toBe(false);
    expect(parseEnvFile('example.env', 'X=1').template).toBe(true);
  });
});

describe('procfile and scripts', () => {
  test('Procfile lines with cd and sh -c', () => {
    const p = parseProcfile('Procfile', 'web: cd backend && gunicorn app.main:app\nrelease: sh -c "alembic upgrade head"\n# no\n');
    expect(p.map((e) => [e.type, e.line, e.commands.map((c) => `${c.cwd}|${c.argv[0]}`)])).toEqual([
      ['web', 1, ['|cd', 'backend|gunicorn']],
      ['release', 2, ['|alembic']],
    ]);
  });

  test('scripts: continuations, comments, heredocs, if-lines', () => {
    const s = parseScript('#!/bin/sh\nset -e\n# alembic upgrade head\ncat <<EOF\nalembic downgrade\nEOF\nif alembic upgrade \\\n  head; then\n  exec uvicorn app:app\nfi\n');
    expect(s.map((l) => [l.line, l.commands[0]?.argv[0]])).toEqual([
      [2, 'set'],
      [4, 'cat'],
      [7, 'alembic'],
      [9, 'uvicorn'],
      [10, 'fi'],
    ]);
  });
});

describe('deployServices', () => {
  const model = ProjectModel.fromFiles({
    'docker-compose.yml':
      'services:\n  api:\n    build: ./backend\n    env_file: .env\n    environment:\n      - DATABASE_URL=postgres://db/app\n    ports: ["8000:8000"]\n  db:\n    image: postgres:16\n',
    'backend/Dockerfile': 'FROM python:3.12\nENV PYTHONUNBUFFERED=1\nEXPOSE 8000\nCMD ["uvicorn", "app.main:app"]\n',
    '.env': 'SECRET_KEY=abc\n',
    'Procfile': 'web: uvicorn app.main:app --port $PORT\n',
    'docker-compose.dev.yml': 'services:\n  api:\n    command: uvicorn app.main:app --reload\n',
    'scripts/start.sh': 'alembic upgrade head\n',
  });
  const services = model.get(deployServices);

  test('compose service: start from the Dockerfile, env from Dockerfile, env_file and environment', () => {
    const api = services.find((s) => s.kind === 'compose' && s.name === 'api' && s.file === 'docker-compose.yml')!;
    expect(api.dockerfile?.file).toBe('backend/Dockerfile');
    expect(api.start[0]?.argv).toEqual(['uvicorn', 'app.main:app']);
    expect(api.startAt).toMatchObject({ file: 'backend/Dockerfile', line: 4 });
    expect(api.env.map((e) => `${e.source}:${e.name}`)).toEqual(['dockerfile-env:PYTHONUNBUFFERED', 'env_file:SECRET_KEY', 'environment:DATABASE_URL']);
    expect(api.ports.map((p) => `${p.file}:${p.line}`)).toEqual(['backend/Dockerfile:3', 'docker-compose.yml:7']);
    expect(api.devOnly).toBe(false);
  });

  test('dev overlay, Dockerfile and Procfile services', () => {
    const dev = services.find((s) => s.file === 'docker-compose.dev.yml')!;
    expect(dev.devOnly).toBe(true);
    expect(dev.start[0]?.argv).toContain('--reload');
    const df = services.find((s) => s.kind === 'dockerfile')!;
    expect(df).toMatchObject({ name: 'backend', builtByCompose: true, file: 'backend/Dockerfile' });
    const web = services.find((s) => s.kind === 'procfile')!;
    expect(web).toMatchObject({ name: 'web', line: 1 });
    expect(model.get(envFiles).map((e) => e.file)).toEqual(['.env']);
    expect([...model.get(shellScripts).keys()]).toEqual(['scripts/start.sh']);
  });
});
