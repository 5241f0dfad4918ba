import check from '../../../checks/docker/migrations-not-run.js';
import { checkTable } from '../../helpers/check-tester.js';

const ALEMBIC = { 'alembic.ini': '[alembic]\nscript_location = alembic\n', 'alembic/versions/0001_init.py': '', 'app/main.py': '' };
const REPORT_002 = {
  'backend/src/alembic.ini': '[alembic]\n',
  'backend/src/alembic/versions/0001_users.py': '',
  'backend/src/app/main.py': '',
  'backend/Dockerfile':
    'FROM python:3.11-slim AS builder\nWORKDIR /build\nCOPY requirements.txt .\nRUN pip wheel -r requirements.txt\n\nFROM python:3.11-slim\nWORKDIR /app\nCOPY --from=builder /wheels /wheels\nCOPY src/ src/\nUSER app\nEXPOSE 8000\nCMD ["gunicorn", "src.app.main:app", \\\n     "--bind", "0.0.0.0:8000"]\n',
  'backend/Dockerfile.dev': 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nCMD ["/app/scripts/docker-entrypoint.sh"]\n',
  'backend/scripts/docker-entrypoint.sh': '#!/bin/bash\nset -e\ncd /app/src\nalembic upgrade head\ncd /app\nexec uvicorn src.app.main:app --reload\n',
};

checkTable(check, {
  valid: [
    { name: 'no migration tool', files: { Dockerfile: 'FROM python:3.12\nCOPY . /app\nCMD ["gunicorn", "app:app"]\n', 'app.py': '' } },
    {
      name: 'entrypoint script runs alembic, then exec "$@"',
      files: {
        ...ALEMBIC,
        Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["./docker-entrypoint.sh"]\nCMD ["gunicorn", "app.main:app"]\n',
        'docker-entrypoint.sh': '#!/bin/sh\nset -e\nalembic upgrade head\nexec "$@"\n',
      },
    },
    {
      name: 'one-shot compose migration service the app waits for (full-stack-fastapi-template)',
      files: {
        'backend/alembic.ini': '',
        'backend/app/alembic/versions/1a31ce608336_init.py': '',
        'backend/Dockerfile': 'FROM python:3.10\nWORKDIR /app/\nCOPY ./scripts /app/scripts\nCOPY ./alembic.ini /app/\nCOPY ./app /app/app\nCMD ["fastapi", "run", "--workers", "4", "app/main.py"]\n',
        'backend/scripts/prestart.sh': '#! /usr/bin/env bash\nset -e\nset -x\npython app/backend_pre_start.py\nalembic upgrade head\npython app/initial_data.py\n',
        'docker-compose.yml':
          'services:\n  prestart:\n    build:\n      context: ./backend\n    command: bash scripts/prestart.sh\n  backend:\n    build:\n      context: ./backend\n    depends_on:\n      prestart:\n        condition: service_completed_successfully\n',
      },
    },
    {
      name: 'Procfile release line',
      files: { ...ALEMBIC, Procfile: 'release: alembic upgrade head\nweb: gunicorn app.main:app\n', Dockerfile: 'FROM python\nCOPY . .\nCMD ["gunicorn", "app.main:app"]\n' },
    },
    {
      name: 'a deploy workflow runs a script that migrates (full-stack-fastapi-template today)',
      files: {
        'backend/alembic.ini': '',
        'backend/Dockerfile': 'FROM python\nWORKDIR /app/backend\nCOPY ./backend/alembic.ini /app/backend/\nCOPY ./backend/app /app/backend/app\nCMD ["fastapi", "run", "--workers", "4"]\n',
        'backend/scripts/prestart.sh': '#! /usr/bin/env bash\nset -e\nalembic upgrade head\n',
        '.github/workflows/deploy-docker-compose.yml':
          'jobs:\n  deploy:\n    steps:\n      - run: docker compose -f compose.yml -f compose.deploy.yml run --rm backend bash scripts/prestart.sh\n',
        'compose.yml': 'services:\n  backend:\n    build:\n      context: .\n      dockerfile: backend/Dockerfile\n',
      },
    },
    { name: 'platform release command', files: { ...ALEMBIC, 'fly.toml': '[deploy]\n  release_command = "alembic upgrade head"\n', Dockerfile: 'FROM python\nCOPY . .\nCMD gunicorn app.main:app\n' } },
    {
      name: 'prisma via npm start and its prestart hook',
      files: {
        'prisma/schema.prisma': 'datasource db {}\n',
        'prisma/migrations/20240101_init/migration.sql': 'CREATE TABLE x();\n',
        'package.json': '{"scripts": {"prestart": "prisma migrate deploy", "start": "node dist/index.js"}, "dependencies": {"@prisma/client": "5"}}',
        Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
      },
    },
    {
      name: 'a frontend image that does not carry the backend migrations',
      files: {
        'backend/alembic.ini': '',
        'backend/Dockerfile': 'FROM python\nCOPY . /app\nCMD ["sh", "-c", "alembic upgrade head && exec gunicorn app:app"]\n',
        'frontend/Dockerfile': 'FROM nginx\nCOPY dist /usr/share/nginx/html\nCMD ["nginx", "-g", "daemon off;"]\n',
      },
    },
    { name: 'migrations applied by code at startup', files: { ...ALEMBIC, 'app/db.py': 'from alembic import command\ncommand.upgrade(cfg, "head")\n', Dockerfile: 'FROM python\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n' } },
    {
      name: 'a Procfile for honcho in development (web: make run), as in djangoproject.com',
      files: { 'manage.py': '', 'blog/migrations/0001_initial.py': '', Procfile: 'web: make run\nscss: make watch-scss\n' },
    },
    { name: 'only a development Dockerfile', files: { ...ALEMBIC, 'Dockerfile.dev': 'FROM python\nCOPY . .\nCMD ["uvicorn", "app.main:app", "--reload"]\n' } },
  ],
  invalid: [
    {
      name: 'report 002: production Dockerfile CMD without migrations while Dockerfile.dev runs them',
      files: REPORT_002,
      errors: [
        {
          file: 'backend/Dockerfile',
          line: 12,
          severity: 'critical',
          message: ['alembic upgrade head', 'backend/Dockerfile.dev', 'backend/scripts/docker-entrypoint.sh:4', 'gunicorn src.app.main:app'],
          fix: ['cd /app/src && alembic upgrade head && cd /app && exec gunicorn src.app.main:app'],
        },
      ],
    },
    {
      name: 'Django with nothing that migrates is high',
      files: {
        'manage.py': '',
        'shop/migrations/0001_initial.py': '',
        Dockerfile: 'FROM python:3.12\nWORKDIR /code\nCOPY . .\nCMD gunicorn shop.wsgi --bind 0.0.0.0:$PORT\n',
      },
      errors: [{ file: 'Dockerfile', line: 4, severity: 'high', message: ['python manage.py migrate'] }],
    },
    {
      name: 'compose command override and Procfile web without release',
      files: {
        ...ALEMBIC,
        Dockerfile: 'FROM python\nWORKDIR /app\nCOPY . .\nCMD ["sh", "-c", "alembic upgrade head && exec gunicorn app.main:app"]\n',
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    command: gunicorn app.main:app -w 4\n',
        Procfile: 'web: gunicorn app.main:app\n',
      },
      errors: [
        { file: 'docker-compose.yml', line: 4, severity: 'high', fix: ['condition: service_completed_successfully'] },
        { file: 'Procfile', line: 1, fix: ['release: alembic upgrade head'] },
      ],
    },
  ],
});
