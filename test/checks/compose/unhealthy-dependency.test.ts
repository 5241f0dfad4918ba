import check from '../../../checks/compose/unhealthy-dependency.js';
import { checkTable } from '../../helpers/check-tester.js';

const PY = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n';
const PG_OK = '  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_DB: app\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U app -d app"]\n';

checkTable(check, {
  valid: [
    {
      name: 'service_healthy on a database with a matching pg_isready',
      files: { 'docker-compose.yml': `services:\n  api:\n    build: .\n    depends_on:\n      db:\n        condition: service_healthy\n${PG_OK}`, Dockerfile: PY },
    },
    {
      name: 'the entrypoint script waits (COPY . . and an until loop)',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: ./backend\n    depends_on: [db]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U postgres -d postgres"]\n',
        'backend/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/scripts/entrypoint.sh"]\n',
        'backend/scripts/entrypoint.sh': '#!/bin/sh\nuntil python -c "import socket; socket.create_connection((\'db\', 5432), 2)"; do\n  sleep 1\ndone\nexec uvicorn app.main:app\n',
      },
    },
    {
      name: 'wait-for-it in the compose command, and a Django wait_for_db',
      files: {
        'compose.yaml': 'services:\n  api:\n    build: .\n    command: sh -c "./wait-for-it.sh db:3306 -- gunicorn app.wsgi"\n    depends_on: [db]\n  worker:\n    build: .\n    command: sh -c "python manage.py wait_for_db && celery -A app worker"\n    depends_on: [db]\n  db:\n    image: mysql:8\n    healthcheck:\n      test: ["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]\n',
        Dockerfile: PY,
      },
    },
    {
      name: 'the app waits for a migrate job that waits for a healthy database',
      files: {
        'docker-compose.yml': `services:\n  migrate:\n    build: .\n    command: alembic upgrade head\n    depends_on:\n      db:\n        condition: service_healthy\n  api:\n    build: .\n    depends_on:\n      db:\n        condition: service_started\n      migrate:\n        condition: service_completed_successfully\n${PG_OK}`,
        Dockerfile: PY,
      },
    },
    {
      name: 'redis with the short form, and a third-party tool on the database',
      files: {
        'docker-compose.yml': `services:\n  api:\n    build: .\n    depends_on:\n      redis:\n        condition: service_started\n      db:\n        condition: service_healthy\n  redis:\n    image: redis:7\n  pgadmin:\n    image: dpage/pgadmin4\n    depends_on: [db]\n${PG_OK}`,
        Dockerfile: PY,
      },
    },
    {
      name: 'report 001: healthy deal-scout stack (healthchecks, conditions, entrypoint with DB wait)',
      files: {
        'docker-compose.yml':
          'services:\n  postgres:\n    image: postgres:16\n    env_file: .env\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB}"]\n      interval: 5s\n      retries: 10\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n    restart: unless-stopped\n  redis:\n    image: redis:7-alpine\n    healthcheck:\n      test: ["CMD", "redis-cli", "ping"]\n    restart: unless-stopped\n  backend:\n    build: ./backend\n    env_file: .env\n    depends_on:\n      postgres:\n        condition: service_healthy\n      redis:\n        condition: service_healthy\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://localhost:8000/health"]\n    restart: unless-stopped\n  worker:\n    build: ./backend\n    command: celery -A app.worker worker\n    env_file: .env\n    depends_on:\n      backend:\n        condition: service_healthy\n  beat:\n    build: ./backend\n    command: celery -A app.worker beat\n    env_file: .env\n    depends_on:\n      backend:\n        condition: service_healthy\n  frontend:\n    build: ./frontend\n    depends_on:\n      - backend\nvolumes:\n  pgdata:\n',
        'backend/Dockerfile': 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["./entrypoint.sh"]\n',
        'backend/entrypoint.sh': '#!/bin/sh\npython - <<EOF\nimport socket, time\nfor attempt in range(30):\n    try:\n        socket.create_connection(("postgres", 5432), 2); break\n    except OSError:\n        time.sleep(2)\nEOF\nexec uvicorn app.main:app --host 0.0.0.0\n',
        'frontend/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n',
        '.env.example': 'POSTGRES_USER=deals\nPOSTGRES_DB=deals\n',
      },
    },
    {
      name: 'pg_isready without -U runs as the service user; container variables match their env entries',
      files: {
        'compose.yaml':
          'services:\n  db:\n    image: postgres:16\n    user: postgres\n    healthcheck:\n      test: ["CMD", "pg_isready", "-d", "postgres"]\n  db2:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: ${DB_USER:-app}\n      POSTGRES_DB: ${DB_NAME:-app}\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB}"]\n',
      },
    },
    {
      name: 'a nested sh -c health check with escaped container variables',
      files: {
        'docker-compose.yml':
          'services:\n  db:\n    image: postgres:15\n    environment:\n      POSTGRES_USER: postgres\n      POSTGRES_DB: hoppscotch\n    healthcheck:\n      test: ["CMD-SHELL", "sh -c \'pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB}\'"]\n',
      },
    },
    {
      name: 'an image that is not known to lack a HEALTHCHECK is not judged',
      files: { 'docker-compose.yml': 'services:\n  api:\n    build: .\n    depends_on:\n      auth:\n        condition: service_healthy\n  auth:\n    image: quay.io/keycloak/keycloak:25.0\n', Dockerfile: PY },
    },
  ],
  invalid: [
    {
      name: 'short depends_on on postgres without a healthcheck',
      files: { 'docker-compose.yml': 'services:\n  api:\n    build: .\n    depends_on:\n      - db\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: quarry\n      POSTGRES_DB: quarry\n', Dockerfile: PY },
      errors: [
        { file: 'docker-compose.yml', line: 5, severity: 'high', message: ['`api` depends on `db` (postgres)', 'short `depends_on` form'], fix: ['condition: service_healthy', 'pg_isready -U quarry -d quarry'] },
        { file: 'docker-compose.yml', line: 7, severity: 'medium', message: ['`db` (postgres) has no health check', '`api`'], fix: ['healthcheck:'] },
      ],
    },
    {
      name: 'service_healthy on a database with no healthcheck makes compose refuse to start',
      files: { 'compose.yaml': 'services:\n  api:\n    build: .\n    depends_on:\n      mq:\n        condition: service_healthy\n  mq:\n    image: rabbitmq:3-management\n', Dockerfile: PY },
      errors: [{ file: 'compose.yaml', line: 5, severity: 'critical', message: ['has no healthcheck configured'], fix: ['rabbitmq-diagnostics'] }],
    },
    {
      name: 'restart policy lowers it; the database has a healthcheck',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    restart: always\n    depends_on:\n      mongo:\n        condition: service_started\n  mongo:\n    image: mongo:7\n    healthcheck:\n      test: ["CMD", "mongosh", "--eval", "db.adminCommand(\'ping\')"]\n',
        Dockerfile: PY,
      },
      errors: [{ file: 'docker-compose.yml', line: 6, severity: 'medium', message: ['`restart: always`'], fix: ['mongo:\n        condition: service_healthy'] }],
    },
    {
      name: 'web and worker share depends_on through an anchor: one finding at that line',
      files: {
        'compose.yaml':
          'x-app: &app\n  build: .\n  depends_on:\n    postgres:\n      condition: service_started\nservices:\n  web:\n    <<: *app\n  worker:\n    <<: *app\n    command: celery -A app worker\n  postgres:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready -U postgres -d postgres\n',
        Dockerfile: PY,
      },
      errors: [{ file: 'compose.yaml', line: 4, severity: 'high', message: ['`web` depends on `postgres`', 'also starts `worker`'] }],
    },
    {
      name: 'a service in a debug profile is one level lower',
      files: {
        'compose.yaml': 'services:\n  debug-shell:\n    build: .\n    profiles: [debug]\n    depends_on: [db]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready -U postgres -d postgres\n',
        Dockerfile: PY,
      },
      errors: [{ file: 'compose.yaml', line: 5, severity: 'medium' }],
    },
    {
      name: 'report 002: pg_isready without -d',
      files: {
        'docker-compose.yml':
          'services:\n  postgres:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_USER: privexbot\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}\n      POSTGRES_DB: privexbot\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U privexbot"]\n      interval: 10s\n',
      },
      errors: [{ file: 'docker-compose.yml', line: 9, severity: 'low', message: ['no database (-d)'], fix: ['pg_isready -U privexbot -d privexbot'] }],
    },
    {
      name: 'pg_isready with another user than POSTGRES_USER, in an overlay',
      files: {
        'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_DB: appdb\n',
        'docker-compose.override.yml': 'services:\n  db:\n    healthcheck:\n      test: pg_isready -U postgres -d appdb\n',
      },
      errors: [{ file: 'docker-compose.override.yml', line: 4, severity: 'low', message: ['user `postgres` while POSTGRES_USER is `app`'], fix: ['pg_isready -U app -d appdb'] }],
    },
    {
      name: 'a dev file is one level lower; an image the repo builds counts as an app',
      files: {
        'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    depends_on: [db]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready -U postgres -d postgres\n',
        'docker-compose.prod.yml': 'services:\n  api:\n    image: ghcr.io/acme/api:1.2.0\n    depends_on: [db]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready -U postgres -d postgres\n',
        'scripts/release.sh': 'docker build -t ghcr.io/acme/api:$VERSION .\n',
        Dockerfile: PY,
      },
      errors: [
        { file: 'docker-compose.dev.yml', line: 4, severity: 'medium' },
        { file: 'docker-compose.prod.yml', line: 4, severity: 'high' },
      ],
    },
  ],
});
