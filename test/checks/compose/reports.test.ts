import { COMPOSE_CHECKS } from '../../../checks/compose/index.js';
import { MemorySnapshot } from '../../../src/engine/memory-snapshot.js';
import { scan } from '../../../src/engine/runner.js';
import { fixtureFiles } from './fixtures.js';

/**
 * The compose rules together on the reconstructions of the reports: every statically visible
 * compose issue a report lists is found at its file and line, and the healthy setups they
 * describe produce no critical or high finding.
 */
async function composeFindings(files: Record<string, string>): Promise<string[]> {
  const r = await scan(new MemorySnapshot(files), {
    checks: COMPOSE_CHECKS,
    config: { failOn: 'critical', ignore: [], rules: {}, comment: 'on-findings', gate: 'all', failOnError: false },
  });
  expect(r.notices.filter((n) => n.kind === 'internal')).toEqual([]);
  return r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}`).sort();
}

/** Report 001 (Deal-Scout): healthchecks, depends_on conditions, an entrypoint that waits and migrates, env_file .env. */
const REPORT_001: Record<string, string> = {
  'docker-compose.yml': `services:
  postgres:
    image: postgres:16
    env_file: .env
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U $\${POSTGRES_USER} -d $\${POSTGRES_DB}"]
      interval: 5s
      retries: 10
    volumes:
      - pgdata:/var/lib/postgresql/data
    restart: unless-stopped
  redis:
    image: redis:7-alpine
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
    restart: unless-stopped
  backend:
    build: ./backend
    env_file: .env
    depends_on:
      postgres:
        condition: service_healthy
      redis:
        condition: service_healthy
    ports:
      - "8000:8000"
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:8000/health"]
    restart: unless-stopped
  worker:
    build: ./backend
    command: celery -A app.worker worker --loglevel=info
    env_file: .env
    depends_on:
      backend:
        condition: service_healthy
  beat:
    build: ./backend
    command: celery -A app.worker beat
    env_file: .env
    depends_on:
      backend:
        condition: service_healthy
  frontend:
    build: ./frontend
    ports:
      - "3000:3000"
    depends_on:
      - backend
volumes:
  pgdata:
`,
  '.env.example':
    'POSTGRES_USER=deals\nPOSTGRES_PASSWORD=\nPOSTGRES_DB=deals\nDATABASE_URL=postgresql+psycopg://deals:@postgres:5432/deals\nREDIS_URL=redis://redis:6379/0\nDB_HOST=postgres\nDB_PORT=5432\n',
  '.gitignore': '.env\n',
  'backend/Dockerfile': 'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN chmod +x entrypoint.sh\nENTRYPOINT ["./entrypoint.sh"]\n',
  'backend/requirements.txt': 'fastapi==0.115.0\nuvicorn==0.30.0\nalembic==1.13.0\nsqlalchemy==2.0.30\npsycopg[binary]==3.2.0\nredis==5.0.0\ncelery==5.4.0\n',
  'backend/entrypoint.sh':
    '#!/bin/sh\nset -e\npython - <<EOF\nimport os, socket, time\nfor attempt in range(30):\n    try:\n        socket.create_connection((os.environ["DB_HOST"], int(os.environ["DB_PORT"])), 2)\n        break\n    except OSError:\n        time.sleep(2)\nEOF\nfor i in 1 2 3 4 5 6; do alembic upgrade head && break; sleep $((i * 2)); done\nexec uvicorn app.main:app --host 0.0.0.0 --port 8000\n',
  'backend/app/__init__.py': '',
  'backend/app/core/db.py': 'import os\nfrom sqlalchemy import create_engine\nengine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)\n',
  'backend/app/main.py': 'import os\nimport redis\nfrom fastapi import FastAPI\napp = FastAPI()\nr = redis.from_url(os.getenv("REDIS_URL", "redis://redis:6379/0"))\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n',
  'frontend/Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
  'frontend/package.json': '{"name":"web","scripts":{"build":"next build","start":"next start"}}',
};

describe('compose rules on the report reconstructions', () => {
  test('report 002: the pinned digest (high) and pg_isready without -d (low), nothing else', async () => {
    expect(await composeFindings(fixtureFiles('test/fixtures/report-002'))).toEqual([
      'compose/stale-pinned-image high backend/docker-compose.yml:17',
      'compose/unhealthy-dependency low backend/docker-compose.yml:9',
    ]);
  });

  test('report 003 (Railway, Procfile, no compose): nothing', async () => {
    expect(await composeFindings(fixtureFiles('test/fixtures/report-003'))).toEqual([]);
  });

  test('report 001: the healthy Deal-Scout stack has no finding', async () => {
    expect(await composeFindings(REPORT_001)).toEqual([]);
  });

  test('examples/healthy-fastapi: nothing', async () => {
    expect(await composeFindings(fixtureFiles('examples/healthy-fastapi'))).toEqual([]);
  });

  test('examples/broken-fastapi (report 000): the env mapping, the plain depends_on, the database without healthcheck', async () => {
    expect(await composeFindings(fixtureFiles('examples/broken-fastapi'))).toEqual([
      'compose/env-not-passed high docker-compose.yml:19',
      'compose/unhealthy-dependency high docker-compose.yml:17',
      'compose/unhealthy-dependency medium docker-compose.yml:3',
    ]);
  });
});
