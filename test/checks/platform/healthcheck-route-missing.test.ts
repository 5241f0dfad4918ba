import check from '../../../checks/platform/healthcheck-route-missing.js';
import { checkTable } from '../../helpers/check-tester.js';

const health = [
  'from fastapi import APIRouter',
  'router = APIRouter(prefix="/health", tags=["health"])',
  '',
  '@router.get("/")',
  'def health():',
  '    return {"ok": True}',
  '',
  '@router.get("/db")',
  'def db():',
  '    return {"ok": True}',
].join('\n');
const main = ['from fastapi import FastAPI', 'from app.routers import health', '', 'app = FastAPI()', 'app.include_router(health.router, prefix="/api")', ''].join('\n');

checkTable(check, {
  valid: [
    {
      name: 'report 003: /api/health/ through an include prefix and a router prefix',
      files: {
        'backend/railway.json': JSON.stringify({ deploy: { startCommand: 'uvicorn app.main:app', healthcheckPath: '/api/health/' } }),
        'backend/render.yaml': 'services:\n  - type: web\n    name: api\n    healthCheckPath: /api/health/db\n',
        'backend/app/__init__.py': '',
        'backend/app/main.py': main,
        'backend/app/routers/__init__.py': '',
        'backend/app/routers/health.py': health,
      },
    },
    {
      name: 'FastAPI built-ins, a Flask route, a Dockerfile HEALTHCHECK with curl, a Node service and Django are left alone',
      files: {
        'api/fly.toml': 'app = "x"\n[[http_service.checks]]\n  path = "/docs"\n',
        'api/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
        'web/Dockerfile': 'FROM python:3.11\nHEALTHCHECK CMD curl -f http://localhost:5000/healthz || exit 1\n',
        'web/app.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/healthz")\ndef hz():\n    return "ok"\n',
        'node/railway.json': JSON.stringify({ deploy: { healthcheckPath: '/health' } }),
        'node/server.js': 'app.get("/status", (req, res) => res.send("ok"))\n',
      },
    },
    {
      name: 'a path under a mounted sub-application is served by something the model cannot list',
      files: {
        'railway.toml': '[deploy]\nhealthcheckPath = "/admin/health"\n',
        'main.py': 'from fastapi import FastAPI\nfrom other import sub\napp = FastAPI()\napp.mount("/admin", sub)\n',
        'other.py': 'sub = object()\n',
      },
    },
  ],
  invalid: [
    {
      name: 'railway healthcheckPath with no such route',
      files: {
        'backend/railway.json': JSON.stringify({ deploy: { startCommand: 'uvicorn app.main:app', healthcheckPath: '/api/healthz' } }, null, 2),
        'backend/app/__init__.py': '',
        'backend/app/main.py': main,
        'backend/app/routers/__init__.py': '',
        'backend/app/routers/health.py': health,
      },
      errors: [{ file: 'backend/railway.json', line: 4, severity: 'high', message: ['/api/healthz', '404'], fix: ['/api/health'] }],
    },
    {
      name: 'a Dockerfile HEALTHCHECK and a compose healthcheck against missing paths; a POST-only route',
      files: {
        Dockerfile: 'FROM python:3.11\nHEALTHCHECK --interval=30s CMD python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')"\n',
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/ready"]\n',
        'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.post("/ready")\ndef ready():\n    return {}\n\n@app.get("/")\ndef root():\n    return {}\n',
      },
      errors: [
        { file: 'Dockerfile', line: 2, message: ['/health', '404'] },
        { file: 'docker-compose.yml', line: 4, message: ['405', 'POST'] },
      ],
    },
  ],
});
