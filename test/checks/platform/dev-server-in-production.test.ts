import check from '../../../checks/platform/dev-server-in-production.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'report 003: production servers in Procfile, railway.json and nixpacks.toml',
      files: {
        'backend/Procfile': 'web: uvicorn app.main:app --host 0.0.0.0 --port $PORT\nworker: python -m app.workers.payment_reminder_worker\n',
        'backend/railway.json': JSON.stringify({ deploy: { startCommand: 'uvicorn app.main:app --host 0.0.0.0 --port $PORT' } }),
        'backend/nixpacks.toml': '[start]\ncmd = "uvicorn app.main:app --host 0.0.0.0 --port $PORT"\n',
      },
    },
    {
      name: 'a dev compose file and a Dockerfile.dev running --reload are fine',
      files: {
        'docker-compose.dev.yml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n    command: uvicorn app.main:app --reload --host 0.0.0.0\n',
        'Dockerfile.dev': 'FROM python:3.11\nCMD ["uvicorn", "app.main:app", "--reload"]\n',
        Dockerfile: 'FROM python:3.11\nCMD ["gunicorn", "app.main:app", "-k", "uvicorn.workers.UvicornWorker"]\n',
      },
    },
    {
      name: 'a compose file that mounts the source and its Dockerfile are a local setup when nothing deploys them',
      files: {
        'docker-compose.yml': 'services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n',
        Dockerfile: 'FROM python:3.11\nWORKDIR /app\nCMD python manage.py runserver 0.0.0.0:8000\n',
      },
    },
    {
      name: 'npm start whose script is a production command; a release command is not a server',
      files: {
        Procfile: 'web: npm start\nrelease: npm run migrate\n',
        'package.json': JSON.stringify({ scripts: { start: 'node dist/server.js', dev: 'nodemon src/server.ts', migrate: 'knex migrate:latest' } }),
      },
    },
  ],
  invalid: [
    {
      name: 'uvicorn --reload in a Procfile with cd, runserver on Railway, flask run in nixpacks',
      files: {
        Procfile: 'web: cd backend && uvicorn app.main:app --reload --host 0.0.0.0 --port $PORT\n',
        'svc/railway.toml': '[deploy]\nstartCommand = "python manage.py migrate && python manage.py runserver 0.0.0.0:$PORT"\n',
        'flask/nixpacks.toml': '[start]\ncmd = "flask run --host 0.0.0.0 --port $PORT"\n',
      },
      errors: [
        { file: 'Procfile', line: 1, message: ['uvicorn --reload'], fix: ['without --reload'] },
        { file: 'svc/railway.toml', line: 2, message: ['manage.py runserver'], fix: ['gunicorn'] },
        { file: 'flask/nixpacks.toml', line: 2, message: ['flask run'], fix: ['gunicorn'] },
      ],
    },
    {
      name: 'npm start that runs nodemon, npm run dev on Render, and a production Dockerfile CMD with --reload',
      files: {
        'api/Procfile': 'web: npm start\n',
        'api/package.json': JSON.stringify({ scripts: { start: 'nodemon server.js' } }, null, 2),
        'render.yaml': 'services:\n  - type: web\n    name: web\n    runtime: node\n    rootDir: web\n    startCommand: npm run dev\n',
        'web/package.json': JSON.stringify({ scripts: { dev: 'next dev' } }),
        'py/Dockerfile': 'FROM python:3.11\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--reload"]\n',
        'py/fly.toml': 'app = "x"\n',
      },
      errors: [
        { file: 'api/Procfile', line: 1, message: ['nodemon', 'api/package.json'] },
        { file: 'render.yaml', line: 6, message: ['next dev'] },
        { file: 'py/Dockerfile', line: 2, message: ['uvicorn --reload'] },
      ],
    },
  ],
});
