import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PYTHON_CHECKS } from '../../../checks/python/index.js';
import { MemorySnapshot } from '../../../src/engine/memory-snapshot.js';
import { scan } from '../../../src/engine/runner.js';

/**
 * The web/settings/ORM rules together on the reconstructions of the reports: every issue of
 * report 000 they own is found at its file and line, and the healthy projects of reports 001, 003
 * and 004 get no critical or high finding from them.
 */
const MINE = new Set([
  'python/schema-mismatch',
  'python/route-missing',
  'python/router-not-included',
  'python/unfinished-handler',
  'python/settings-not-provided',
  'python/migrations-not-initialized',
  'python/unused-infra-dependency',
  'python/async-driver-mismatch',
  'python/debug-in-production',
]);

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

async function findings(files: Record<string, string>): Promise<string[]> {
  const r = await scan(new MemorySnapshot(files), {
    checks: PYTHON_CHECKS.filter((c) => MINE.has(c.id)),
    config: { failOn: 'critical', ignore: [], rules: {}, comment: 'on-findings', gate: 'all', failOnError: false },
  });
  expect(r.notices.filter((n) => n.kind === 'internal')).toEqual([]);
  return r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}`).sort();
}

/** Reports 001 and 004 (Deal-Scout): Alembic from the environment, Celery worker and beat, models matching the revision. */
const REPORT_001: Record<string, string> = {
  '.env.example': 'DATABASE_URL=postgresql+psycopg://deals:deals@postgres:5432/deals\nREDIS_URL=redis://redis:6379/0\nOPENAI_API_KEY=\nEBAY_APP_ID=\nDEMO_MODE=false\n',
  'docker-compose.yml':
    'services:\n  backend:\n    build: ./backend\n    env_file: .env\n  worker:\n    build: ./backend\n    command: celery -A app.worker worker --loglevel=info\n    env_file: .env\n  beat:\n    build: ./backend\n    command: celery -A app.worker beat\n    env_file: .env\n',
  'backend/Dockerfile': 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT ["sh", "entrypoint.sh"]\n',
  'backend/entrypoint.sh': '#!/bin/sh\nset -e\nfor i in 1 2 3 4 5 6; do alembic upgrade head && break; sleep $i; done\nexec uvicorn app.main:app --host 0.0.0.0 --port 8000\n',
  'backend/requirements.txt': 'fastapi==0.110.0\nuvicorn[standard]==0.29.0\nsqlalchemy==2.0.29\npsycopg[binary]==3.1.18\nalembic==1.13.1\ncelery[redis]==5.3.6\npydantic-settings==2.2.1\n',
  'backend/alembic.ini': '[alembic]\nscript_location = alembic\n',
  'backend/alembic/env.py':
    'import os\nfrom alembic import context\nfrom sqlalchemy import engine_from_config, pool\nfrom app.core.models import Base\nconfig = context.config\nconfig.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])\ntarget_metadata = Base.metadata\n',
  'backend/alembic/versions/001_initial_schema.py': [
    'import sqlalchemy as sa',
    'from alembic import op',
    'revision = "001"',
    'down_revision = None',
    'def upgrade():',
    '    op.create_table("listings", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("title", sa.String(), nullable=False), sa.Column("price", sa.Float(), nullable=True))',
    '    op.create_table("listing_scores", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("listing_id", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False), sa.Column("score", sa.Float(), nullable=False))',
  ].join('\n'),
  'backend/app/__init__.py': '',
  'backend/app/core/__init__.py': '',
  'backend/app/core/config.py': 'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    database_url: str\n    redis_url: str = "redis://redis:6379/0"\n    demo_mode: bool = False\nsettings = Settings()\n',
  'backend/app/core/db.py': 'from sqlalchemy import create_engine\nfrom app.core.config import settings\nengine = create_engine(settings.database_url, pool_pre_ping=True)\n',
  'backend/app/core/models.py': [
    'from sqlalchemy import Float, ForeignKey, Integer, String',
    'from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column',
    'class Base(DeclarativeBase):',
    '    pass',
    'class Listing(Base):',
    '    __tablename__ = "listings"',
    '    id: Mapped[int] = mapped_column(Integer, primary_key=True)',
    '    title: Mapped[str] = mapped_column(String)',
    '    price: Mapped[float | None] = mapped_column(Float)',
    'class ListingScore(Base):',
    '    __tablename__ = "listing_scores"',
    '    id: Mapped[int] = mapped_column(primary_key=True)',
    '    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))',
    '    score: Mapped[float]',
  ].join('\n'),
  'backend/app/main.py':
    'from fastapi import FastAPI\nfrom app.routes import buyer, seller\napp = FastAPI()\napp.include_router(buyer.router)\napp.include_router(seller.router)\n@app.get("/health")\ndef health():\n    return {"ok": True}\n',
  'backend/app/routes/__init__.py': '',
  'backend/app/routes/buyer.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/buyer")\n@router.get("/deals")\ndef deals():\n    return []\n',
  'backend/app/routes/seller.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/seller")\n@router.post("/snap")\ndef snap():\n    return {"id": 1}\n@router.get("/snap/{job_id}")\ndef snap_status(job_id: int):\n    return {"id": job_id}\n',
  'backend/app/worker.py': 'import os\nfrom celery import Celery\ncelery_app = Celery("app", broker=os.environ.get("REDIS_URL", "redis://redis:6379/0"))\n@celery_app.task\ndef scan_all():\n    return 0\n',
  'backend/tests/test_health.py': 'from fastapi.testclient import TestClient\nfrom app.main import app\nclient = TestClient(app)\ndef test_health():\n    assert client.get("/health").status_code == 200\n    assert client.get("/buyer/deals").status_code == 200\n    assert client.get("/seller/snap/3").status_code == 200\n',
};

test('report 000: the broken example has every issue these rules own, at its line', async () => {
  expect(await findings(readTree('examples/broken-fastapi'))).toEqual([
    'python/debug-in-production high backend/main.py:10',
    'python/migrations-not-initialized high requirements.txt:6',
    'python/route-missing high tests/test_api.py:9',
    'python/router-not-included high backend/websocket.py:4',
    'python/schema-mismatch critical backend/database.py:14',
    'python/schema-mismatch critical backend/database.py:22',
    'python/unfinished-handler high backend/api/pricing.py:13',
    'python/unused-infra-dependency high requirements.txt:7',
  ]);
});

test.each([
  ['healthy example', () => readTree('examples/healthy-fastapi')],
  ['report 003 fixture', () => readTree('test/fixtures/report-003')],
  ['reports 001/004 reconstruction', () => REPORT_001],
])('%s: no critical or high finding', async (_name, files) => {
  const got = await findings(files());
  expect(got.filter((f) => / (critical|high) /.test(f))).toEqual([]);
});
