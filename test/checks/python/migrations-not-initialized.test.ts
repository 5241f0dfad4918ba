import check from '../../../checks/python/migrations-not-initialized.js';
import { checkTable } from '../../helpers/check-tester.js';

const ENV_PY = 'from alembic import context\nfrom app.config import settings\nconfig = context.config\nconfig.set_main_option("sqlalchemy.url", settings.database_url)\n';
const rev = (id: string, down: string | null) => `from alembic import op\nrevision = "${id}"\ndown_revision = ${down === null ? 'None' : `"${down}"`}\ndef upgrade():\n    pass\n`;
const CONFIG = 'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    database_url: str\nsettings = Settings()\n';

checkTable(check, {
  valid: [
    {
      name: 'healthy: ini, env.py reading settings, one chain of revisions',
      files: {
        'requirements.txt': 'alembic==1.14.0\n',
        'alembic.ini': '[alembic]\nscript_location = alembic\n',
        'alembic/env.py': ENV_PY,
        'alembic/versions/0001.py': rev('0001', null),
        'alembic/versions/0002.py': rev('0002', '0001'),
        'app/config.py': CONFIG,
        'entrypoint.sh': '#!/bin/sh\nalembic upgrade head\nexec uvicorn app.main:app\n',
      },
    },
    {
      name: 'Flask-Migrate folder layout and a merge revision with two parents',
      files: {
        'requirements.txt': 'Flask-Migrate==4.0.5\n',
        'migrations/alembic.ini': '[alembic]\n',
        'migrations/env.py': 'from alembic import context\nfrom flask import current_app\nconfig = context.config\nconfig.set_main_option("sqlalchemy.url", str(current_app.extensions["migrate"].db.engine.url))\n',
        'migrations/versions/a.py': rev('a', null),
        'migrations/versions/b.py': rev('b', 'a'),
        'migrations/versions/c.py': rev('c', 'a'),
        'migrations/versions/d.py': 'revision = "d"\ndown_revision = ("b", "c")\n',
      },
    },
    {
      name: 'a hardcoded ini URL is fine when env.py reads the environment; Django apps with migrations',
      files: {
        'requirements.txt': 'alembic\ndjango==5.0\n',
        'alembic.ini': '[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql://localhost/dev\n',
        'alembic/env.py': 'import os\nfrom alembic import context\nurl = os.getenv("DATABASE_URL")\ncontext.configure(url=url)\n',
        'alembic/versions/0001.py': rev('0001', null),
        'app/config.py': CONFIG,
        'proj/settings.py': 'INSTALLED_APPS = ["shop"]\n',
        'shop/models.py': 'from django.db import models\nclass Item(models.Model):\n    name = models.CharField(max_length=10)\n',
        'shop/migrations/__init__.py': '',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: alembic installed but never initialised',
      files: {
        'requirements.txt': 'fastapi==0.109.0\nsqlalchemy==2.0.25\npsycopg2-binary==2.9.9\n\nalembic==1.13.1\n',
        'backend/database.py': 'from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass Material(Base):\n    __tablename__ = "materials"\n    id = Column(Integer, primary_key=True)\n',
        'data/migrations/001_create_tables.sql': 'CREATE TABLE materials (id UUID PRIMARY KEY);\n',
      },
      errors: [{ file: 'requirements.txt', line: 5, severity: 'high', message: ['alembic==1.13.1', 'no alembic.ini', 'data/migrations/001_create_tables.sql'], fix: ['alembic init alembic'] }],
    },
    {
      name: 'two heads, a missing parent, and an empty versions folder the deploy upgrades',
      files: {
        'svc/alembic.ini': '[alembic]\nscript_location = migrations\n',
        'svc/migrations/env.py': ENV_PY,
        'svc/migrations/versions/a.py': rev('a', null),
        'svc/migrations/versions/b.py': rev('b', 'a'),
        'svc/migrations/versions/c.py': rev('c', 'a'),
        'svc/migrations/versions/d.py': rev('d', 'gone'),
        'other/alembic.ini': '[alembic]\nscript_location = alembic\n',
        'other/alembic/env.py': ENV_PY,
        'other/alembic/versions/.keep': '',
        'other/Procfile': 'release: alembic upgrade head\nweb: uvicorn app.main:app\n',
      },
      errors: [
        { file: 'svc/migrations/versions/c.py', line: 2, message: ['heads', 'Multiple head revisions'], fix: ['alembic merge'] },
        { file: 'svc/migrations/versions/d.py', line: 3, message: ['gone', "Can't locate revision"] },
        { file: 'other/Procfile', line: 1, message: ['alembic upgrade head', 'no revision'] },
      ],
    },
    {
      name: 'template URL left in alembic.ini while the app reads DATABASE_URL; env.py missing; Django app without migrations',
      files: {
        'requirements.txt': 'alembic\ndjango==5.0\n',
        'alembic.ini': '[alembic]\nscript_location = alembic\nsqlalchemy.url = driver://user:pass@localhost/dbname\n',
        'alembic/env.py': 'from alembic import context\nfrom app.models import Base\ntarget_metadata = Base.metadata\ncontext.configure(target_metadata=target_metadata)\n',
        'alembic/versions/0001.py': rev('0001', null),
        'app/config.py': CONFIG,
        'api/alembic.ini': '[alembic]\nscript_location = db\n',
        'api/db/versions/0001.py': rev('x1', null),
        'proj/settings.py': 'INSTALLED_APPS = ["django.contrib.admin", "shop.apps.ShopConfig"]\n',
        'shop/models.py': 'from django.db import models\nclass Item(models.Model):\n    name = models.CharField(max_length=10)\n',
      },
      errors: [
        { file: 'alembic.ini', line: 3, message: ['driver://user:***@localhost/dbname', 'DATABASE_URL'], fix: ['set_main_option'] },
        { file: 'api/alembic.ini', line: 2, message: ['no env.py'] },
        { file: 'shop/models.py', line: 2, message: ['shop', 'makemigrations'.slice(0, 0) || 'no migrations/'] },
      ],
    },
  ],
});
