import check from '../../../checks/python/unused-infra-dependency.js';
import { checkTable } from '../../helpers/check-tester.js';

const REQ_000 = 'fastapi==0.109.0\nuvicorn[standard]==0.27.0\npydantic==2.5.3\nsqlalchemy==2.0.25\npsycopg2-binary==2.9.9\nalembic==1.13.1\ncelery==5.3.6\nredis==5.0.1\n';
const COMPOSE_000 = [
  'services:',
  '  backend:',
  '    build: .',
  '    ports:',
  '      - "8000:8000"',
  '  # Background jobs are not wired up yet.',
  '  # celery_worker:',
  '  #   build: .',
  '  #   command: celery -A tasks worker --loglevel=info',
].join('\n');

checkTable(check, {
  valid: [
    {
      name: 'report 004: Celery app, tasks and a worker service',
      files: {
        'backend/requirements.txt': 'celery[redis]==5.3.6\n',
        'backend/app/worker.py': 'from celery import Celery\ncelery_app = Celery("app")\n@celery_app.task\ndef scan():\n    pass\n',
        'docker-compose.yml': 'services:\n  backend:\n    build: ./backend\n  worker:\n    build: ./backend\n    command: celery -A app.worker worker --loglevel=info\n  beat:\n    build: ./backend\n    command: celery -A app.worker beat\n',
      },
    },
    {
      name: 'worker started by a Procfile and a Kubernetes manifest; dev-group dependencies are not judged',
      files: {
        'pyproject.toml': '[project]\nname = "svc"\ndependencies = ["celery>=5"]\n[project.optional-dependencies]\ndev = ["rq"]\n',
        'svc/tasks.py': 'from celery import shared_task\n@shared_task\ndef t():\n    return 1\n',
        'Procfile': 'web: gunicorn svc.wsgi\n',
        'k8s/worker.yaml': 'spec:\n  containers:\n    - command: ["celery", "-A", "svc", "worker"]\n',
      },
    },
    {
      name: 'alembic is migrations-not-initialized\'s; libraries without deploy files may define Celery only',
      files: {
        'requirements.txt': 'alembic==1.13.1\ncelery==5.3.6\n',
        'lib/tasks.py': 'from celery import Celery\napp = Celery("lib")\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: celery declared, never imported, worker commented out in compose',
      files: { 'requirements.txt': REQ_000, 'docker-compose.yml': COMPOSE_000, 'backend/main.py': 'import redis\nfrom fastapi import FastAPI\napp = FastAPI()\n' },
      errors: [{ file: 'requirements.txt', line: 7, severity: 'high', message: ['celery==5.3.6', 'no code imports celery', 'docker-compose.yml:9'], fix: ['celery -A', 'worker'] }],
    },
    {
      name: 'a Celery app with tasks but no worker in any deploy file; apscheduler never imported (medium)',
      files: {
        'requirements.txt': 'celery==5.3.6\napscheduler==3.10.4\n',
        'app/celery_app.py': 'from celery import Celery\napp = Celery("app", broker="redis://redis")\n@app.task\ndef send():\n    pass\n',
        'Dockerfile': 'FROM python:3.12\nCMD ["gunicorn", "app.main:app"]\n',
      },
      errors: [
        { file: 'app/celery_app.py', line: 1, severity: 'high', message: ['celery worker', '.delay()'] },
        { file: 'requirements.txt', line: 2, severity: 'medium', message: ['apscheduler==3.10.4'] },
      ],
    },
  ],
});
