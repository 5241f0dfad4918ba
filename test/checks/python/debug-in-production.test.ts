import check from '../../../checks/python/debug-in-production.js';
import { checkTable } from '../../helpers/check-tester.js';

const MAIN_000 = [
  'import redis',
  'from fastapi import FastAPI',
  'from fastapi.middleware.cors import CORSMiddleware',
  '',
  'app = FastAPI(title="Quarry Exchange")',
  'app.add_middleware(',
  '    CORSMiddleware,',
  '    allow_origins=["*"],',
  '    allow_credentials=True,',
  '    allow_methods=["*"],',
  '    allow_headers=["*"],',
  ')',
].join('\n');

checkTable(check, {
  valid: [
    {
      name: 'healthy: uvicorn without reload, explicit origins, __main__ reload not run by the deploy',
      files: {
        'Dockerfile': 'FROM python:3.12\nWORKDIR /srv\nCOPY app/ app/\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
        'app/__init__.py': '',
        'app/main.py': 'import uvicorn\nfrom fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)\nif __name__ == "__main__":\n    uvicorn.run("app.main:app", reload=True)\n',
      },
    },
    {
      name: 'dev compose files and source-mounting compose services may reload',
      files: {
        'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    command: uvicorn main:app --reload\n',
        'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: flask run --debug\n    volumes:\n      - .:/app\n',
        'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      },
    },
    {
      name: 'wildcard origins without credentials; Django DEBUG from the environment; a dev settings module nobody deploys',
      files: {
        'api.py': 'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["*"])\n',
        'proj/settings/__init__.py': '',
        'proj/settings/base.py': 'INSTALLED_APPS = []\nDEBUG = False\n',
        'proj/settings/dev.py': 'from .base import *\nDEBUG = True\n',
        'proj/settings/prod.py': 'import os\nfrom .base import *\nDEBUG = os.environ.get("DEBUG") == "1"\n',
        'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.prod")\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: CORS any origin with credentials',
      files: { 'backend/main.py': MAIN_000 },
      errors: [{ file: 'backend/main.py', line: 6, severity: 'high', message: ['allows any origin', 'allow_credentials=True'], fix: ['allow_origins=['] }],
    },
    {
      name: '--reload in the Dockerfile CMD and in the entrypoint script it runs; runserver in the Procfile',
      files: {
        'api/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--reload"]\n',
        'api/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
        'worker/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["sh", "start.sh"]\n',
        'worker/start.sh': '#!/bin/sh\nset -e\nexec gunicorn app:app --reload\n',
        'web/Procfile': 'web: python manage.py runserver 0.0.0.0:$PORT\n',
      },
      errors: [
        { file: 'api/Dockerfile', line: 4, message: ['uvicorn --reload'] },
        { file: 'worker/start.sh', line: 3, message: ['gunicorn --reload'] },
        { file: 'web/Procfile', line: 1, message: ['runserver'] },
      ],
    },
    {
      name: 'python app.py runs app.run(debug=True); Django DEBUG = True inherited through a star import',
      files: {
        'Procfile': 'web: python app.py\n',
        'app.py': 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)\n',
        'site/proj/settings/__init__.py': '',
        'site/proj/settings/base.py': 'INSTALLED_APPS = []\nDEBUG = True\n',
        'site/proj/settings/production.py': 'from .base import *\nALLOWED_HOSTS = ["*"]\n',
        'site/proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
      },
      errors: [
        { file: 'app.py', line: 4, message: ['python app.py', 'debug=True', 'Werkzeug'] },
        { file: 'site/proj/settings/base.py', line: 2, message: ['DEBUG = True', 'production.py'] },
      ],
    },
  ],
});
