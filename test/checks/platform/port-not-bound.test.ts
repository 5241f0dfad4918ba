import check from '../../../checks/platform/port-not-bound.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'report 003: $PORT on 0.0.0.0 in Procfile, railway.json and nixpacks.toml',
      files: {
        'backend/Procfile': 'web: uvicorn app.main:app --host 0.0.0.0 --port $PORT\nworker: python -m app.workers.x\n',
        'backend/railway.json': JSON.stringify({ build: { builder: 'NIXPACKS' }, deploy: { startCommand: 'uvicorn app.main:app --host 0.0.0.0 --port $PORT' } }),
        'backend/nixpacks.toml': '[start]\ncmd = "uvicorn app.main:app --host 0.0.0.0 --port $PORT"\n',
      },
    },
    {
      name: 'Procfile with cd and sh -c, ${PORT:-8000}, gunicorn without --bind (it reads PORT), gunicorn -c config',
      files: {
        Procfile: [
          'web: cd backend && sh -c "uvicorn app.main:app --host 0.0.0.0 --port ${PORT:-8000}"',
          'api: gunicorn app.main:app -k uvicorn.workers.UvicornWorker',
          'alt: gunicorn -c gunicorn.conf.py app.main:app',
        ].join('\n'),
      },
    },
    {
      name: '$PORT in a shell-form CMD, and exec form wrapping sh -c',
      files: {
        Dockerfile: 'FROM python:3.11\nCMD uvicorn app.main:app --host 0.0.0.0 --port $PORT\n',
        'api/Dockerfile': 'FROM python:3.11\nCMD ["sh", "-c", "exec uvicorn app.main:app --host 0.0.0.0 --port ${PORT:-8000}"]\n',
      },
    },
    {
      name: 'Railway on a Dockerfile with a start command wrapped in a shell',
      files: {
        'railway.json': JSON.stringify({ build: { builder: 'DOCKERFILE' }, deploy: { startCommand: '/bin/sh -c "exec uvicorn app.main:app --host 0.0.0.0 --port $PORT"' } }),
        Dockerfile: 'FROM python:3.11\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
      },
    },
    {
      name: 'fly: the port matches internal_port; Render detects the port itself',
      files: {
        'fly.toml': 'app = "x"\n[processes]\napp = "gunicorn app:app --bind 0.0.0.0:8080"\n[http_service]\ninternal_port = 8080\n',
        'render.yaml': 'services:\n  - type: web\n    name: api\n    runtime: python\n    startCommand: uvicorn app.main:app --host 0.0.0.0 --port 10000\n',
      },
    },
    {
      name: 'a worker and a dev compose file running --reload on 0.0.0.0 are not the web process of a platform',
      files: {
        Procfile: 'worker: uvicorn app.main:app --port 8001\n',
        'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    command: uvicorn app.main:app --reload --host 0.0.0.0 --port 8000\n',
        Dockerfile: 'FROM python:3.11\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]\n',
      },
    },
    {
      name: 'the address comes from the image or platform environment; Procfile.windows is for heroku local',
      files: {
        Dockerfile: 'FROM python:3.11\nENV FLASK_RUN_HOST 0.0.0.0\nENV FLASK_RUN_PORT 8000\nCMD ["flask", "run"]\n',
        'Procfile.windows': 'web: python manage.py runserver %PORT%\n',
        'fly/fly.toml': 'app = "x"\n[env]\n  UVICORN_HOST = "0.0.0.0"\n  UVICORN_PORT = "8080"\n[processes]\napp = "uvicorn main:app"\n[http_service]\ninternal_port = 8080\n',
      },
    },
    {
      name: 'a Procfile beside a railway.toml whose startCommand replaces it',
      files: {
        'backend/Procfile': 'web: gunicorn app.wsgi --bind 0.0.0.0:8080\n',
        'backend/railway.toml': '[deploy]\nstartCommand = "./start.sh"\n',
      },
    },
    {
      name: 'a Dockerfile CMD that every compose service overrides never runs',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    command: gunicorn app.main:app --bind 0.0.0.0:8000\n',
        Dockerfile: 'FROM python:3.11\nCMD ["uvicorn", "app.main:app"]\n',
      },
    },
  ],
  invalid: [
    {
      name: 'Heroku web process on a fixed port, and uvicorn without --host',
      files: {
        Procfile: 'web: uvicorn app.main:app --host 0.0.0.0 --port 8000\n',
        'api/Procfile': 'web: uvicorn app.main:app --port $PORT\n',
      },
      errors: [
        { file: 'Procfile', line: 1, severity: 'critical', message: ['port 8000', '$PORT', 'R10'], fix: ['--port $PORT'] },
        { file: 'api/Procfile', line: 1, severity: 'critical', message: ['127.0.0.1', "uvicorn's default"], fix: ['--host 0.0.0.0'] },
      ],
    },
    {
      name: 'exec-form CMD with $PORT, and Railway running a Dockerfile start command without a shell',
      files: {
        Dockerfile: 'FROM python:3.11\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "$PORT"]\n',
        'svc/railway.json': JSON.stringify({ build: { builder: 'DOCKERFILE' }, deploy: { startCommand: 'gunicorn app:app --bind 0.0.0.0:$PORT' } }, null, 2),
        'svc/Dockerfile': 'FROM python:3.11\n',
      },
      errors: [
        { file: 'Dockerfile', line: 2, message: ['`$PORT`', 'exec form'], fix: ['sh", "-c"', '${PORT:-8000}'] },
        { file: 'svc/railway.json', line: 6, message: ['without a shell', 'svc/Dockerfile'], fix: ['/bin/sh -c "exec gunicorn'] },
      ],
    },
    {
      name: 'fly internal_port differs from the port the image listens on',
      files: {
        'fly.toml': 'app = "x"\n\n[http_service]\n  internal_port = 8080\n  force_https = true\n',
        Dockerfile: 'FROM python:3.11\nCMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]\n',
      },
      errors: [{ file: 'fly.toml', line: 4, message: ['port 8000', 'internal_port 8080'], fix: ['internal_port = 8000'] }],
    },
    {
      name: 'a production container listening on its own loopback; a dev compose one is high',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    ports: ["8000:8000"]\n    command: uvicorn app.main:app --port 8000\n',
        'api/Dockerfile': 'FROM python:3.11\n',
        'docker-compose.dev.yml': 'services:\n  web:\n    build: ./web\n    command: python manage.py runserver\n',
        'web/Dockerfile': 'FROM python:3.11\n',
      },
      errors: [
        { file: 'docker-compose.yml', line: 5, severity: 'critical', message: ['127.0.0.1', 'uvicorn'], fix: ['--host 0.0.0.0'] },
        { file: 'docker-compose.dev.yml', line: 4, severity: 'high', message: ['127.0.0.1'], fix: ['0.0.0.0:$PORT'] },
      ],
    },
    {
      name: 'a Procfile that Railway runs (nixpacks.toml beside it) is judged as Railway',
      files: { 'api/Procfile': 'web: gunicorn app.wsgi --bind 0.0.0.0:8080\n', 'api/nixpacks.toml': '[phases.setup]\nnixPkgs = ["python311"]\n' },
      errors: [{ file: 'api/Procfile', line: 1, severity: 'high', message: ['Railway', 'port 8080'] }],
    },
    {
      name: 'Railway nixpacks start on a fixed port is high (a target port may be set by hand)',
      files: { 'nixpacks.toml': '[start]\ncmd = "gunicorn app:app --bind 0.0.0.0:5000"\n' },
      errors: [{ file: 'nixpacks.toml', line: 2, severity: 'high', message: ['port 5000'], fix: ['${PORT:-5000}'] }],
    },
  ],
});
