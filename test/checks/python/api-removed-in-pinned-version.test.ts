import check from '../../../checks/python/api-removed-in-pinned-version.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'pydantic 1 pinned, pydantic-settings used, fallback import guarded',
      files: {
        'requirements.txt': 'pydantic==1.10.13\n',
        'a/config.py': 'from pydantic import BaseSettings\n',
        'b/requirements.txt': 'pydantic==2.5.3\npydantic-settings==2.1.0\n',
        'b/config.py': 'try:\n    from pydantic import BaseSettings\nexcept ImportError:\n    from pydantic_settings import BaseSettings\nfrom pydantic_settings import SettingsConfigDict\n',
      },
    },
    {
      name: 'EmailStr with pydantic[email], fastapi[all] or fastapi 0.111 (which installed the standard extra)',
      files: {
        'requirements.txt': 'pydantic[email]>=2\n',
        'schemas.py': 'from pydantic import BaseModel, EmailStr\nclass U(BaseModel):\n    email: EmailStr\n',
        'svc/requirements.txt': 'fastapi[all]==0.110.0\n',
        'svc/schemas.py': 'from pydantic import EmailStr\n',
        'v111/requirements.txt': 'fastapi==0.111.0\n',
        'v111/schemas.py': 'from pydantic import EmailStr\n',
      },
    },
    {
      name: 'passlib with bcrypt pinned to 4.0.1, or an argon2-only context',
      files: {
        'requirements.txt': 'passlib[bcrypt]==1.7.4\nbcrypt==4.0.1\n',
        'auth.py': 'from passlib.context import CryptContext\nctx = CryptContext(schemes=["bcrypt"])\n',
        'other/requirements.txt': 'passlib[argon2]==1.7.4\n',
        'other/auth.py': 'from passlib.context import CryptContext\nctx = CryptContext(schemes=["argon2"])\n',
      },
    },
    {
      name: 'packages the repository does not pin itself are not judged',
      files: {
        'requirements.txt': 'flask==2.2.5\n',
        'app.py': 'from werkzeug.urls import url_quote\nimport numpy as np\nx = np.float_\n',
      },
    },
    {
      name: 'np.float64, np.bool on numpy 2, SQLAlchemy 1.4 engine.execute, Retry(allowed_methods=)',
      files: {
        'requirements.txt': 'numpy==2.0.0\nsqlalchemy==1.4.52\nurllib3==2.2.1\n',
        'app.py':
          'import numpy as np\nfrom sqlalchemy import create_engine\nfrom urllib3.util.retry import Retry\nengine = create_engine("sqlite://")\nx = np.float64(1) + np.bool_(True) + np.bool(1)\nengine.execute("select 1")\nr = Retry(total=3, allowed_methods=["GET"])\n',
      },
    },
    {
      name: 'root_validator with skip_on_failure or pre=True; test code',
      files: {
        'requirements.txt': 'pydantic==2.6.0\nhttpx==0.28.1\n',
        'models.py': 'from pydantic import BaseModel, root_validator\nclass M(BaseModel):\n    @root_validator(skip_on_failure=True)\n    def a(cls, v): return v\n    @root_validator(pre=True)\n    def b(cls, v): return v\n',
        'tests/test_api.py': 'import httpx\nclient = httpx.AsyncClient(app=object())\n',
      },
    },
    {
      name: 'a PyPI backport of a removed stdlib module',
      files: {
        Dockerfile: 'FROM python:3.13-slim\nCOPY . .\n',
        'requirements.txt': 'legacy-cgi==2.6.4\n',
        'app.py': 'import cgi\n',
      },
    },
    {
      name: 'Python modules on an old interpreter',
      files: {
        Dockerfile: 'FROM python:3.11-slim\nCOPY . .\n',
        'app.py': 'import imp\nimport cgi\nfrom collections.abc import Mapping\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: pydantic 2 BaseSettings, pydantic-settings missing',
      files: {
        'requirements.txt': 'fastapi==0.109.0\npydantic==2.5.3\n',
        'backend/config.py': 'from functools import lru_cache\n\nfrom pydantic import BaseSettings\n',
      },
      errors: [
        {
          file: 'backend/config.py',
          line: 3,
          severity: 'critical',
          message: ['from pydantic import BaseSettings', 'pydantic==2.5.3', 'requirements.txt:2', 'pydantic-settings', 'pydantic 2.0'],
          fix: ['from pydantic_settings import BaseSettings', 'add `pydantic-settings` to requirements.txt'],
        },
      ],
    },
    {
      name: 'report 002: passlib[bcrypt] pulls bcrypt 5; EmailStr without email-validator',
      files: {
        'requirements.txt': 'fastapi==0.110.0\npasslib[bcrypt]==1.7.4\npydantic>=2.4\n',
        'app/security.py': 'from passlib.context import CryptContext\npwd = CryptContext(schemes=["bcrypt"], deprecated="auto")\n',
        'app/schemas.py': 'from pydantic import BaseModel, EmailStr\n',
      },
      errors: [
        { file: 'app/security.py', line: 1, severity: 'critical', message: ['bcrypt', 'passlib[bcrypt]', '72 bytes', 'bcrypt 5.0.0'], fix: ['bcrypt==4.0.1'] },
        { file: 'app/schemas.py', line: 1, message: ['email-validator'], fix: ['pydantic[email]'] },
      ],
    },
    {
      name: 'bcrypt 4.1-4.3 only logs a trapped error: low',
      files: {
        'requirements.txt': 'passlib==1.7.4\nbcrypt==4.2.0\n',
        'auth.py': 'from passlib.context import CryptContext\nctx = CryptContext(schemes=["bcrypt"])\n',
      },
      errors: [{ file: 'auth.py', line: 1, severity: 'low', message: ['__about__'] }],
    },
    {
      name: 'numpy 2 alias through an import alias, SQLAlchemy 2 engine.execute, urllib3 2 Retry keyword',
      files: {
        'pyproject.toml': '[project]\nname = "x"\ndependencies = ["numpy>=1.26", "sqlalchemy>=2.0,<2.1", "urllib3==2.2.1"]\n',
        'x/core.py':
          'import numpy as np\nfrom sqlalchemy import create_engine\nfrom urllib3.util.retry import Retry\nengine = create_engine("sqlite://")\n\ndef f():\n    engine.execute("select 1")\n    r = Retry(total=3, method_whitelist=["GET"])\n    return np.NaN, r\n',
      },
      errors: [
        { file: 'x/core.py', line: 7, message: ['engine.execute', "'Engine' object has no attribute 'execute'"] },
        { file: 'x/core.py', line: 9, message: ['np.NaN', 'numpy>=1.26'] },
        { file: 'x/core.py', line: 8, message: ['method_whitelist'] },
      ],
    },
    {
      name: 'Flask 3, Werkzeug 3, Django 4, Celery 5 via Poetry',
      files: {
        'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3.0"\nwerkzeug = "3.0.1"\ndjango = "~4.2"\ncelery = "^5.3"\n',
        'web.py': 'from flask import Flask, Markup\nfrom werkzeug.urls import url_quote\napp = Flask(__name__)\n\n@app.before_first_request\ndef init():\n    pass\n',
        'legacy/urls.py': 'from django.conf.urls import url\nfrom django.utils.translation import ugettext_lazy as _\n',
        'legacy/tasks.py': 'from celery.task import periodic_task\n',
      },
      errors: [
        { file: 'web.py', line: 1, message: ['Markup', 'Flask 3.0.0'] },
        { file: 'web.py', line: 2, message: ['url_quote', 'Werkzeug'] },
        { file: 'web.py', line: 5, message: ['before_first_request'] },
        { file: 'legacy/urls.py', line: 1, message: ['django.conf.urls'], fix: ['re_path'] },
        { file: 'legacy/urls.py', line: 2, message: ['ugettext_lazy'] },
        { file: 'legacy/tasks.py', line: 1, message: ['celery.task'] },
      ],
    },
    {
      name: 'Python 3.12/3.13 images and collections ABCs',
      files: {
        Dockerfile: 'FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
        'app.py': 'import imp\nimport cgi\nfrom collections import Mapping\n',
      },
      errors: [
        { file: 'app.py', line: 1, message: ['imp', 'python:3.13-slim'] },
        { file: 'app.py', line: 2, message: ['cgi', 'Python 3.13'] },
        { file: 'app.py', line: 3, message: ['Mapping'], fix: ['collections.abc'] },
      ],
    },
    {
      name: 'pydantic 2 root_validator without skip_on_failure, httpx 0.28 app=',
      files: {
        'requirements.txt': 'pydantic==2.6.0\nhttpx==0.28.1\n',
        'models.py': 'import pydantic\nclass M(pydantic.BaseModel):\n    @pydantic.root_validator\n    def a(cls, v): return v\n',
        'client.py': 'import httpx\nfrom app import app\nc = httpx.AsyncClient(app=app, base_url="http://t")\n',
        'app.py': 'app = object()\n',
      },
      errors: [
        { file: 'models.py', line: 3, message: ['@pydantic.root_validator', 'skip_on_failure'] },
        { file: 'client.py', line: 3, message: ['httpx.AsyncClient(app=...'], fix: ['ASGITransport'] },
      ],
    },
  ],
});
