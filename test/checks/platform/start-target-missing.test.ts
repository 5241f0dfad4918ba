import check from '../../../checks/platform/start-target-missing.js';
import { checkTable } from '../../helpers/check-tester.js';

const fastapi = 'from fastapi import FastAPI\n\napp = FastAPI()\n';

checkTable(check, {
  valid: [
    {
      name: 'report 003: Procfile, railway.json and nixpacks.toml all point at modules that exist',
      files: {
        'backend/Procfile': [
          'web: uvicorn app.main:app --host 0.0.0.0 --port $PORT',
          'worker: python -m app.workers.payment_reminder_worker',
          'guardian-daemon: python -m app.guardians.guardian_daemon',
        ].join('\n'),
        'backend/railway.json': JSON.stringify({ build: { builder: 'NIXPACKS' }, deploy: { startCommand: 'uvicorn app.main:app --host 0.0.0.0 --port $PORT' } }),
        'backend/nixpacks.toml': '[start]\ncmd = "uvicorn app.main:app --host 0.0.0.0 --port $PORT"\n',
        'backend/app/__init__.py': '',
        'backend/app/main.py': fastapi,
        'backend/app/workers/__init__.py': '',
        'backend/app/workers/payment_reminder_worker.py': 'def main():\n    pass\n',
        'backend/app/guardians/guardian_daemon.py': 'x = 1\n',
      },
    },
    {
      name: 'Procfile with cd and sh -c; gunicorn with --chdir; uvicorn with --app-dir',
      files: {
        Procfile: [
          'web: cd backend && gunicorn app.main:app -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:$PORT',
          'worker: sh -c "cd backend && celery -A app.tasks worker"',
          'api2: gunicorn --chdir backend app.main:app',
          'api3: uvicorn --app-dir backend app.main:app --port $PORT',
        ].join('\n'),
        'backend/app/__init__.py': '',
        'backend/app/main.py': fastapi,
        'backend/app/tasks.py': 'from celery import Celery\ncelery = Celery()\n',
      },
    },
    {
      name: 'gunicorn default attribute, app factory call, re-exported app, Django wsgi',
      files: {
        Procfile: [
          'web: gunicorn mysite.wsgi',
          'alt: gunicorn "app:create_app()"',
          'api: uvicorn api:app',
        ].join('\n'),
        'mysite/__init__.py': '',
        'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
        'app/__init__.py': 'def create_app():\n    return 1\n',
        'api/__init__.py': 'from .main import app\n',
        'api/main.py': fastapi,
      },
    },
    {
      name: 'celery -A package (attribute found by celery itself), -A proj.celery as an attribute',
      files: {
        Procfile: 'worker: celery -A proj worker\nbeat: celery -A proj.celery beat\n',
        'proj/__init__.py': 'from celery import Celery\ncelery = Celery()\n',
      },
    },
    {
      name: 'npm scripts that exist, npm start falling back to server.js, node files and build output',
      files: {
        'web/Procfile': 'web: npm start\nworker: npm run worker\nclock: node dist/clock.js\n',
        'web/package.json': JSON.stringify({ scripts: { worker: 'node worker.js' } }),
        'web/server.js': '',
        'api/railway.toml': '[deploy]\nstartCommand = "yarn serve"\n',
        'api/package.json': JSON.stringify({ scripts: { serve: 'node index.js' } }),
        'api/index.js': '',
      },
    },
    {
      name: 'a third-party server module and stdlib -m are not repo modules',
      files: {
        Procfile: 'web: gunicorn mlflow.server:app\nstatic: python -m http.server $PORT\n',
        'x.py': '',
      },
    },
    {
      name: 'in an image the Dockerfile rules own file paths; modules resolve through the WORKDIR',
      files: {
        'fly.toml': 'app = "x"\n[processes]\napp = "/app/start.sh"\nweb = "gunicorn app.main:app"\n',
        Dockerfile: 'FROM python:3.11\nWORKDIR /app\nCOPY src/ .\nCMD ["gunicorn", "app.main:app"]\n',
        'src/app/__init__.py': '',
        'src/app/main.py': fastapi,
      },
    },
    {
      name: 'images with a CMD somewhere in their chain, an overriding command, or a base image that serves by itself',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: ./api\n  worker:\n    build: ./api\n    command: celery -A tasks worker\n  web:\n    build: ./web\n  proxy:\n    build: ./proxy\n  assets:\n    build: ./assets\n',
        'assets/Dockerfile': 'FROM node:20\nRUN npm ci && npm run build\n',
        'api/Dockerfile': 'FROM python:3.11 AS base\nCMD ["python", "main.py"]\nFROM base\nCOPY . .\n',
        'api/main.py': '',
        'api/tasks.py': 'app = 1\n',
        'web/Dockerfile': 'FROM python:3.11\nENTRYPOINT ["/entrypoint.sh"]\n',
        'proxy/Dockerfile': 'FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/\n',
        'svc/railway.json': JSON.stringify({ build: { builder: 'NIXPACKS' } }),
        'svc/Dockerfile': 'FROM python:3.11\n',
      },
    },
    {
      name: 'a module assigned through an import or from a star import is not flagged',
      files: {
        Procfile: 'web: uvicorn main:app\n',
        'main.py': 'from server import *\n',
        'server.py': fastapi,
      },
    },
  ],
  invalid: [
    {
      name: 'the Procfile runs app.main from the root but the code is in backend/',
      files: {
        Procfile: 'web: uvicorn app.main:app --host 0.0.0.0 --port $PORT\n',
        'backend/app/__init__.py': '',
        'backend/app/main.py': fastapi,
      },
      errors: [{ file: 'Procfile', line: 1, severity: 'critical', message: ['app.main', 'backend/app/main.py', 'ModuleNotFoundError'], fix: ['--app-dir backend'] }],
    },
    {
      name: 'a worker module that is not there, and a module without the attribute',
      files: {
        'backend/Procfile': 'web: gunicorn app.main:application\nworker: python -m app.workers.email_retry_worker\n',
        'backend/app/__init__.py': '',
        'backend/app/main.py': fastapi,
        'backend/app/workers/__init__.py': '',
      },
      errors: [
        { file: 'backend/Procfile', line: 1, message: ['`application`', 'app.main'], fix: ['app.main:app'] },
        { file: 'backend/Procfile', line: 2, message: ['app.workers.email_retry_worker', 'backend/app/workers/email_retry_worker.py'] },
      ],
    },
    {
      name: 'railway start command cd-s into a folder that does not exist; nixpacks uvicorn without an attribute',
      files: {
        'railway.json': JSON.stringify({ deploy: { startCommand: 'cd server && npm start' } }, null, 2),
        'nixpacks.toml': '[start]\ncmd = "uvicorn main --port $PORT"\n',
        'main.py': fastapi,
        'package.json': '{}',
      },
      errors: [
        { file: 'railway.json', line: 3, message: ['`server`', 'cd'] },
        { file: 'nixpacks.toml', line: 2, message: ['module:attribute'], fix: ['main:app'] },
      ],
    },
    {
      name: 'npm scripts and files a platform runs that are missing',
      files: {
        'render.yaml': ['services:', '  - type: web', '    name: api', '    runtime: node', '    rootDir: api', '    startCommand: npm run serve', '  - type: worker', '    name: jobs', '    runtime: node', '    startCommand: node worker.js', '  - type: worker', '    name: cron', '    runtime: python', '    startCommand: ./bin/tick.sh'].join('\n'),
        'api/package.json': JSON.stringify({ scripts: { start: 'node index.js' } }),
        'bin/other.sh': '',
      },
      errors: [
        { file: 'render.yaml', line: 6, message: ['Missing script: "serve"', '`start`'] },
        { file: 'render.yaml', line: 10, message: ['worker.js'] },
        { file: 'render.yaml', line: 14, message: ['bin/tick.sh'] },
      ],
    },
    {
      name: 'an image with no CMD used by compose and by fly',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    ports: ["8000:8000"]\n',
        Dockerfile: 'FROM python:3.11-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n',
        'fly.toml': 'app = "x"\n[http_service]\ninternal_port = 8000\n',
      },
      errors: [
        { file: 'docker-compose.yml', line: 2, severity: 'high', message: ['no CMD or ENTRYPOINT', 'python:3.11-slim'], fix: ['CMD ['] },
        { file: 'fly.toml', line: 1, severity: 'high', message: ['no CMD or ENTRYPOINT'] },
      ],
    },
    {
      name: 'npm start in a folder without package.json',
      files: { Procfile: 'web: npm start\n', 'frontend/package.json': '{"scripts":{"start":"node x"}}' },
      errors: [{ file: 'Procfile', line: 1, message: ['no package.json'] }],
    },
    {
      name: 'a compose command in a dev file is reported as high, the production CMD as critical',
      files: {
        'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    command: uvicorn app.server:app --reload\n',
        Dockerfile: 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nCMD ["celery", "-A", "app.worker", "worker"]\n',
        'app/__init__.py': '',
        'app/main.py': fastapi,
      },
      errors: [
        { file: 'docker-compose.dev.yml', line: 4, severity: 'high', message: ['app.server'] },
        { file: 'Dockerfile', line: 4, severity: 'critical', message: ['app.worker'] },
      ],
    },
  ],
});
