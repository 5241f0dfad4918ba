import check from '../../../checks/compose/env-not-passed.js';
import { registerEnvReadSource, type EnvRead } from '../../../src/model/env-reads.js';
import { checkTable } from '../../helpers/check-tester.js';

/**
 * A test-local env-read source, so these cases do not depend on the Python and Node extractors:
 * `os.environ["X"]` is required, `os.getenv("X")` is None when unset, `os.getenv("X", "d")` has a
 * default; `process.env.X` is undefined when unset unless followed by `?? "d"` / `|| "d"`.
 */
registerEnvReadSource((model) => {
  const out: EnvRead[] = [];
  for (const file of [...model.read('**/*.py'), ...model.read('**/*.js')]) {
    const py = file.endsWith('.py');
    model.lines(file).forEach((l, i) => {
      const re = py ? /os\.(?:environ\[|getenv\()\s*"([A-Z0-9_]+)"\s*(?:,\s*"([^"]*)")?/g : /process\.env\.([A-Z0-9_]+)(?:\s*(?:\?\?|\|\|)\s*"([^"]*)")?/g;
      for (const m of l.matchAll(re)) {
        const via = py ? (m[0].startsWith('os.environ[') ? 'os.environ[]' : 'os.getenv') : 'process.env';
        const r: EnvRead = { name: m[1]!, file, line: i + 1, hasDefault: m[2] !== undefined, language: py ? 'python' : 'node', via, root: file.split('/').slice(0, -1).join('/') };
        if (m[2] !== undefined) r.defaultValue = m[2];
        out.push(r);
      }
      // a pydantic-style settings field: `    NAME: str` (required) or `    NAME: str = "d"`
      const f = py ? /^\s+([A-Z][A-Z0-9_]*):\s*\w+(?:\s*=\s*"([^"]*)")?\s*$/.exec(l) : null;
      if (f) {
        const r: EnvRead = { name: f[1]!, file, line: i + 1, hasDefault: f[2] !== undefined, language: 'python', via: `Settings.${f[1]}`, root: '' };
        if (f[2] !== undefined) r.defaultValue = f[2];
        out.push(r);
      }
    });
  }
  return out;
});

const CONFIG =
  'import os\n\nDATABASE_URL = os.environ["DATABASE_URL"]\nREDIS_URL = os.getenv("REDIS_URL", "redis://localhost:6379/0")\nJWT_SECRET_KEY = os.getenv("JWT_SECRET_KEY", "change-this-secret-key-in-production")\nSMTP_HOST = os.getenv("SMTP_HOST", "localhost")\nCORS_ORIGINS = os.getenv("CORS_ORIGINS", "*")\n';
const PY_DF = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY backend/ .\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0"]\n';

checkTable(check, {
  valid: [
    {
      name: 'every variable arrives: environment, env_file, Dockerfile ENV, entrypoint export',
      files: {
        'docker-compose.yml': 'services:\n  backend:\n    build: .\n    env_file:\n      - config/app.env\n    environment:\n      DATABASE_URL: postgresql://app@db/app\n      REDIS_URL: redis://redis:6379/0\n',
        'config/app.env': 'JWT_SECRET_KEY=x\n',
        Dockerfile: 'FROM python:3.11-slim\nWORKDIR /app\nENV SMTP_HOST=mail\nCOPY backend/ .\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
        'entrypoint.sh': '#!/bin/sh\nexport CORS_ORIGINS="https://app.example.com"\nexec uvicorn main:app\n',
        'backend/config.py': CONFIG,
      },
    },
    {
      name: 'a git-ignored .env with no template: the keys are unknown',
      files: { 'docker-compose.yml': 'services:\n  backend:\n    build: .\n    env_file: .env\n', Dockerfile: PY_DF, 'backend/config.py': CONFIG },
    },
    {
      name: 'a git-ignored .env judged by its .env.example; an optional env_file entry',
      files: {
        'docker-compose.yml': 'services:\n  backend:\n    build: .\n    env_file:\n      - .env\n      - path: ./override.env\n        required: false\n',
        '.env.example': 'DATABASE_URL=\nREDIS_URL=\nJWT_SECRET_KEY=\nSMTP_HOST=\nCORS_ORIGINS=\n',
        Dockerfile: PY_DF,
        'backend/config.py': CONFIG,
      },
    },
    {
      name: 'tests, scripts, .dockerignored folders, another service\'s code, build-time and other-language reads',
      files: {
        'compose.yaml': 'services:\n  api:\n    build: .\n    environment:\n      - DATABASE_URL\n  web:\n    build: ./web\n    environment:\n      API_URL: http://api:8000\n  db:\n    image: postgres:16\n',
        Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "app"]\n',
        '.dockerignore': 'tools\n',
        'app/__init__.py': 'import os\nDB = os.environ["DATABASE_URL"]\n',
        'tests/test_app.py': 'import os\nURL = os.environ["TEST_DATABASE_URL"]\n',
        'app/test_config.py': 'import os\nX = os.environ["PYTEST_ONLY"]\n',
        'scripts/seed.py': 'import os\nP = os.environ["ADMIN_PASSWORD"]\n',
        'tools/release.py': 'import os\nT = os.environ["RELEASE_TOKEN"]\n',
        'tailwind.config.js': 'module.exports = { darkMode: process.env.DARK_MODE };\n',
        'web/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
        'web/server.js': 'const api = process.env.API_URL;\nconst key = process.env.NEXT_PUBLIC_MAPS_KEY;\nconst env = process.env.NODE_ENV;\n',
      },
    },
    {
      name: 'the rest of the variables come from a -f production overlay',
      files: {
        'docker-compose.yml': 'services:\n  backend:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://app@db/app\n',
        'docker-compose.prod.yml': 'services:\n  backend:\n    environment:\n      REDIS_URL: redis://redis:6379/0\n      JWT_SECRET_KEY: ${JWT_SECRET_KEY}\n      SMTP_HOST: smtp.example.com\n      CORS_ORIGINS: https://app.example.com\n',
        'deploy.sh': '#!/bin/sh\ndocker compose -f docker-compose.yml -f docker-compose.prod.yml up -d --build\n',
        Dockerfile: PY_DF,
        'backend/config.py': CONFIG,
      },
    },
    {
      name: 'the code loads a dotenv file that its copied folder documents in .env.example',
      files: {
        'docker-compose.yml': 'services:\n  backend:\n    build: ./backend\n    volumes:\n      - ./backend:/app\n',
        'backend/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "main.py"]\n',
        'backend/.env.example': 'DATABASE_URL=\nSECRET=\n',
        'backend/main.py': 'import os\nfrom dotenv import load_dotenv\nload_dotenv()\nDB = os.environ["DATABASE_URL"]\nS = os.getenv("SECRET", "dev")\n',
      },
    },
    {
      name: 'reads guarded by a membership test, in a __main__ block, or in a settings variant the service does not load',
      files: {
        'docker-compose.yml': 'services:\n  app:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings.dev\n      DATABASE_URL: postgres://db/shop\n',
        Dockerfile: 'FROM python:3.12\nWORKDIR /code\nCOPY . .\nCMD ["gunicorn", "shop.wsgi"]\n',
        'shop/settings/__init__.py': '',
        'shop/settings/base.py': 'import os\nDB = os.environ["DATABASE_URL"]\nif "SENTRY_DSN" in os.environ:\n    SENTRY = os.environ["SENTRY_DSN"]\n',
        'shop/settings/dev.py': 'from .base import *\nDEBUG = True\n',
        'shop/settings/production.py': 'from .base import *\nimport os\nAWS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]\n',
        'shop/cli.py': 'import os\n\nif __name__ == "__main__":\n    print(os.environ["ADMIN_PASSWORD"])\n',
      },
    },
    {
      name: 'a fallback read next to a passed variable, a boolean default on a PASSWORD name, and a CI compose file',
      files: {
        'docker-compose.yml': 'services:\n  server:\n    build: .\n    environment:\n      REDASH_REDIS_URL: redis://redis:6379/0\n',
        '.ci/compose.ci.yaml': 'services:\n  server:\n    build: ..\n    environment:\n      FOO: bar\n',
        Dockerfile: 'FROM python:3.12\nCOPY app/ app/\nCMD ["python", "-m", "app"]\n',
        'app/settings.py':
          'import os\nREDIS = os.getenv("REDASH_REDIS_URL", os.getenv("REDIS_URL", "redis://localhost:6379/0"))\nLOGIN = os.getenv("REDASH_PASSWORD_LOGIN_ENABLED", "true")\nMAIL_PASSWORD = os.getenv("MAIL_PASSWORD", "")\n',
      },
    },
    {
      name: 'code that fills process.env from a config file, or sets a variable before reading it',
      files: {
        'compose.yaml': 'services:\n  backend:\n    build: ./backend\n  api:\n    build: ./api\n',
        'backend/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
        'backend/config.js': 'const env = process.env.NODE_ENV || "development";\nconst cfg = require("./config.json")[env];\nObject.keys(cfg).forEach((key) => {\n  process.env[key] = cfg[key];\n});\n',
        'backend/db.js': 'connect(process.env.MONGODB_URI);\n',
        'api/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["python", "main.py"]\n',
        'api/main.py': 'import os\nos.environ.setdefault("DATABASE_URL", "sqlite:///app.db")\nDB = os.environ["DATABASE_URL"]\n',
      },
    },
    {
      name: 'the environment comes from the service it extends in another compose file',
      files: {
        'docker-compose.yml': 'services:\n  backend:\n    extends:\n      file: docker-compose.base.yml\n      service: app\n    environment:\n      DATABASE_URL: postgresql://db/app\n',
        'docker-compose.base.yml': 'services:\n  app:\n    build: .\n    environment:\n      REDIS_URL: redis://redis:6379/0\n      JWT_SECRET_KEY: ${JWT_SECRET_KEY}\n      SMTP_HOST: mail\n',
        Dockerfile: PY_DF,
        'backend/config.py': CONFIG,
      },
    },
    {
      name: 'optional integrations left unset (None switches them off)',
      files: {
        'docker/docker-compose.yml': 'services:\n  web:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n    environment:\n      DB_NAME: hc\n',
        'docker/Dockerfile': 'FROM python:3.12\nWORKDIR /opt/app\nCOPY . .\nCMD ["uwsgi", "docker/uwsgi.ini"]\n',
        'hc/settings.py': 'import os\nNAME = os.getenv("DB_NAME", "hc")\nMETRICS_KEY = os.getenv("METRICS_KEY")\nSTATSD_HOST = os.getenv("STATSD_HOST")\nSENTRY_DSN = os.getenv("SENTRY_DSN")\n',
      },
    },
    {
      name: 'settings fields the code fills in when it builds the settings object',
      files: {
        'docker-compose.yml': 'services:\n  mealie:\n    build: .\n    environment:\n      BASE_URL: https://recipes.example.com\n',
        Dockerfile: 'FROM python:3.12\nCOPY app/ app/\nCMD ["python", "-m", "app"]\n',
        'app/settings.py':
          'from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    SECRET: str\n    SESSION_SECRET: str\n    BASE_URL: str = "http://localhost:9000"\n\ndef load():\n    return Settings(\n        SECRET=read_secret(".secret"),\n        **{"SESSION_SECRET": read_secret(".session")},\n    )\n',
      },
    },
    {
      name: 'a dev container kept alive with sleep infinity does not run the app',
      files: {
        '.devcontainer/docker-compose.yml': 'services:\n  app:\n    build:\n      context: ..\n      dockerfile: .devcontainer/Dockerfile\n    command: sleep infinity\n',
        'compose.yaml': 'services:\n  shell:\n    build: .\n    command: tail -f /dev/null\n',
        '.devcontainer/Dockerfile': 'FROM python:3.12\n',
        Dockerfile: 'FROM python:3.12\nCOPY . .\n',
        'app/main.py': 'import os\nDB = os.environ["DATABASE_URL"]\n',
      },
    },
    { name: 'image-only services have no code here', files: { 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n', 'app.py': 'import os\nos.environ["DATABASE_URL"]\n' } },
  ],
  invalid: [
    {
      name: 'report 000: backend receives 4 of the variables config.py reads',
      files: {
        'docker-compose.yml':
          'services:\n  db:\n    image: postgres:16\n  backend:\n    build:\n      context: .\n      dockerfile: Dockerfile\n    environment:\n      REDIS_URL: redis://redis:6379/0\n      API_HOST: 0.0.0.0\n      API_PORT: 8000\n',
        Dockerfile: PY_DF,
        'backend/config.py': CONFIG,
        'frontend/app.js': 'const k = process.env.STRIPE_KEY;\n',
      },
      errors: [
        {
          file: 'docker-compose.yml',
          line: 8,
          severity: 'critical',
          message: [
            'Service `backend`',
            '3 variables',
            'DATABASE_URL (backend/config.py:3, required)',
            'SMTP_HOST (backend/config.py:6, defaults to "localhost", the container itself)',
            'JWT_SECRET_KEY (backend/config.py:5, defaults to the literal "change-this',
            'DATABASE_URL is required',
            'usable code defaults: CORS_ORIGINS',
          ],
          fix: ['      DATABASE_URL: ${DATABASE_URL}\n      SMTP_HOST: ${SMTP_HOST}\n      JWT_SECRET_KEY: ${JWT_SECRET_KEY:?set JWT_SECRET_KEY in .env}'],
        },
      ],
    },
    {
      name: 'no environment at all: a localhost default is high, with the block to paste',
      files: {
        'compose.yaml': 'services:\n  worker:\n    build: ./worker\n    command: node index.js\n',
        'worker/Dockerfile': 'FROM node:20-slim\nWORKDIR /srv\nCOPY . .\nCMD ["node", "index.js"]\n',
        'worker/index.js': 'const n = process.env.CONCURRENCY || "4";\nconst redis = process.env.REDIS_URL || "redis://localhost:6379";\nconst mongo = process.env.MONGODB_URI;\nconst port = process.env.METRICS_PORT;\n',
      },
      errors: [
        {
          file: 'compose.yaml',
          line: 2,
          severity: 'high',
          message: ['REDIS_URL', 'MONGODB_URI (worker/index.js:3, no default: None/undefined)', 'usable code defaults: CONCURRENCY, METRICS_PORT'],
          fix: ['    environment:\n      REDIS_URL: ${REDIS_URL}\n      MONGODB_URI: ${MONGODB_URI}'],
        },
      ],
    },
    {
      name: 'list-form environment gets list-form lines; api and worker share the code; a dev file is lower',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    environment:\n      - DATABASE_URL=postgresql://db/app\n  worker:\n    build: .\n    command: celery -A app worker\n',
        'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    environment:\n      - DATABASE_URL=postgresql://db/app\n      - SENTRY_DSN=\n',
        Dockerfile: 'FROM python:3.12\nCOPY app/ app/\nCMD ["python", "-m", "app"]\n',
        'app/settings.py': 'import os\nDB = os.environ["DATABASE_URL"]\nSENTRY = os.getenv("SENTRY_DSN", "")\nKEY = os.environ["STRIPE_API_KEY"]\n',
      },
      errors: [
        { file: 'docker-compose.yml', line: 4, severity: 'critical', message: ['STRIPE_API_KEY', 'usable code defaults: SENTRY_DSN'], fix: ['      - STRIPE_API_KEY=${STRIPE_API_KEY:?set STRIPE_API_KEY in .env}'] },
        { file: 'docker-compose.yml', line: 6, severity: 'critical', message: ['Service `worker`', 'DATABASE_URL', 'it has no `environment:`'] },
        { file: 'docker-compose.dev.yml', line: 4, severity: 'high', message: ['STRIPE_API_KEY'] },
      ],
    },
  ],
});
