import check from '../../../checks/python/unresolved-import.js';
import { checkTable } from '../../helpers/check-tester.js';

const DOCKERFILE = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY backend/ .\nCMD ["uvicorn", "main:app"]\n';

checkTable(check, {
  valid: [
    {
      name: 'names that exist, relative imports, submodules, re-exports',
      files: {
        'app/__init__.py': 'from .core.config import settings\n',
        'app/core/__init__.py': '',
        'app/core/config.py': 'class Settings: pass\nsettings = Settings()\n',
        'app/api/__init__.py': '',
        'app/api/routes.py': 'from . import users\nfrom ..core import config\nfrom app import settings\nfrom app.api.users import router\n',
        'app/api/users.py': 'router = object()\n',
      },
    },
    {
      name: 'try/except ImportError fallbacks and TYPE_CHECKING never fire',
      files: {
        'svc/main.py':
          'from typing import TYPE_CHECKING\ntry:\n    from local_settings import *\nexcept ImportError:\n    pass\ntry:\n    from config import missing_name\nexcept (ImportError, AttributeError):\n    missing_name = None\nif TYPE_CHECKING:\n    from config import Nope\nimport contextlib\nwith contextlib.suppress(ImportError):\n    from config import other\n',
        'svc/config.py': 'x = 1\n',
      },
    },
    {
      name: 'star imports, __getattr__ and dynamic globals make names unknown',
      files: {
        'settings/__init__.py': 'from .base import *\n',
        'settings/base.py': 'from django.conf.global_settings import *\nDEBUG = False\n',
        'lazy.py': 'def __getattr__(name):\n    return 1\n',
        'dyn.py': 'for n in ("a", "b"):\n    globals()[n] = n\n',
        'main.py': 'from settings import SECRET_KEY\nfrom lazy import anything\nfrom dyn import a\n',
      },
    },
    {
      name: 'namespace packages and src layout',
      files: {
        'pyproject.toml': '[tool.setuptools.packages.find]\nwhere = ["src"]\n',
        'src/company/service/__init__.py': 'VALUE = 1\n',
        'src/company/service/api.py': 'from company.service import VALUE\nfrom company import service\n',
        'tests/test_api.py': 'from company.service.api import nothing_here\n',
      },
    },
    {
      name: 'a module named like a distribution next to the importer is not the import target',
      files: {
        'proj/__init__.py': 'from .celery import app as celery_app\n',
        'proj/celery.py': 'from celery import Celery\napp = Celery("proj")\n',
        'proj/tasks.py': 'from redis import Redis\n',
        'proj/redis.py': 'URL = "redis://"\n',
        'requirements.txt': 'celery\nredis\n',
      },
    },
    {
      name: 'a package __init__ importing its own submodules by absolute name (Flask blueprints)',
      files: {
        'app/__init__.py': 'from flask import Flask\n',
        'app/api/__init__.py': 'from flask import Blueprint\nbp = Blueprint("api", __name__)\nfrom app.api import users, errors\n',
        'app/api/users.py': 'from app.api import bp\n',
        'app/api/errors.py': '',
        'microblog.py': 'from app import Flask\n',
      },
    },
    {
      name: 'a config folder named like the package of the base image; a template with syntax errors',
      files: {
        'sentry/sentry.conf.example.py': 'from sentry.conf.server import *\n',
        'sentry/enhance-image.example.sh': '',
        'tpl/settings/base.py': 'X = 1\n{%- if cookiecutter.use_celery == "y" %}\nCELERY = 1\n{%- endif %}\n',
        'tpl/settings/prod.py': 'from .base import CELERY\n',
      },
    },
    {
      name: 'a sibling package named like a stdlib module; imports behind a file-exists test',
      files: {
        'mealie/__init__.py': '',
        'mealie/services/__init__.py': '',
        'mealie/services/email/__init__.py': 'from .email_senders import X\n',
        'mealie/services/email/email_senders.py': 'from email import message\nX = 1\n',
        'hc/__init__.py': '',
        'hc/settings.py': 'from pathlib import Path\nif (Path(__file__).parent / "local_settings.py").exists():\n    from .local_settings import *\n',
      },
    },
    {
      name: 'a folder of Dockerfiles does not hide the docker SDK',
      files: {
        'docker/Dockerfile': 'FROM python:3.12\n',
        'app.py': 'from docker import errors\n',
        'requirements.txt': 'docker==7.0.0\n',
      },
    },
    {
      name: 'compiled extension modules and stubs are never judged',
      files: {
        'pkg/__init__.py': '',
        'pkg/_speedups.cpython-311-x86_64-linux-gnu.so': '',
        'pkg/core.py': 'from ._speedups import fast\nfrom .typed import T\n',
        'pkg/typed.pyi': 'T: int\n',
      },
    },
    {
      name: 'modules only reachable from some root, sys.path edits',
      files: {
        'scripts/run.py': 'import sys\nsys.path.insert(0, "../lib")\nfrom helpers import util\n',
        'lib/helpers.py': 'def other(): pass\n',
        'other/helpers.py': 'def util(): pass\n',
      },
    },
    {
      name: 'a declared distribution wins over a same-named folder found only by searching upwards (saleor: graphql-core, prices, promise)',
      files: {
        Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\nCMD ["uvicorn", "shop.asgi:application"]\n',
        'pyproject.toml': '[project]\nname = "shop"\ndependencies = ["graphql-core>=2.3,<3", "prices~=1.0", "promise>=2.3"]\n',
        'shop/__init__.py': '',
        'shop/asgi.py': 'application = object()\n',
        'shop/graphql/__init__.py': 'from . import api\n',
        'shop/graphql/api.py': 'from graphql import GraphQLError\nfrom graphql.language.ast import Field\n',
        'shop/graphql/promise.py': 'def wrap(): pass\n',
        'shop/graphql/core/__init__.py': '',
        'shop/graphql/core/loaders.py': 'from promise.dataloader import DataLoader\n',
        'shop/core/__init__.py': '',
        'shop/core/prices.py': 'from prices import Money\n',
        'shop/core/templatetags/__init__.py': '',
        'shop/core/templatetags/taxed.py': 'from prices import MoneyRange\n',
      },
    },
    {
      name: 'tool folders at the top of the repository are not deployed code (.semgrep rule fixtures)',
      files: {
        'app/main.py': 'x = 1\n',
        '.semgrep/correctness/rule.py': 'from app.main import token_generator\n',
      },
    },
  ],
  invalid: [
    {
      name: 'without a declared distribution of that name, the same-named local package is what loads',
      files: {
        'pyproject.toml': '[project]\nname = "shop"\ndependencies = ["django>=5"]\n',
        'shop/__init__.py': '',
        'shop/graphql/__init__.py': 'schema = None\n',
        'shop/core/__init__.py': '',
        'shop/core/exceptions.py': 'from graphql import GraphQLError\n',
      },
      errors: [{ file: 'shop/core/exceptions.py', line: 1, message: ['GraphQLError', 'shop/graphql/__init__.py'] }],
    },
    {
      name: 'report 000: settings is not defined in config.py, data.seed has no Python',
      files: {
        Dockerfile: DOCKERFILE,
        'requirements.txt': 'fastapi==0.109.0\n',
        'backend/main.py': 'from fastapi import FastAPI\nfrom config import settings\nfrom data.seed import load_materials\napp = FastAPI()\n',
        'backend/config.py': 'from functools import lru_cache\n\n@lru_cache\ndef get_settings():\n    return 1\n',
        'data/seed/materials.json': '[]',
      },
      errors: [
        { file: 'backend/main.py', line: 2, severity: 'critical', message: ['settings', 'backend/config.py', 'get_settings'], fix: ['from config import get_settings', 'settings = get_settings()'] },
        { file: 'backend/main.py', line: 3, severity: 'critical', message: ['load_materials', 'data/seed/'] },
      ],
    },
    {
      name: 'missing submodule, relative import to nowhere, import inside a function',
      files: {
        'app/__init__.py': '',
        'app/services/__init__.py': '',
        'app/services/mailer.py': '',
        'app/main.py': 'from app.services.payments import charge\nfrom .utils import helper\ndef later():\n    from app.services.mailer import send\n',
      },
      errors: [
        { file: 'app/main.py', line: 1, severity: 'critical', message: ['app.services.payments', 'app/services'] },
        { file: 'app/main.py', line: 2, severity: 'critical', message: ['utils'] },
        { file: 'app/main.py', line: 4, severity: 'high', message: ['send', 'app/services/mailer.py'] },
      ],
    },
    {
      name: 'a name missing behind a package re-export and in an __init__',
      files: {
        'pkg/__init__.py': 'from .models import User\n',
        'pkg/models.py': 'class Account: pass\n',
        'main.py': 'from pkg import User\n',
      },
      errors: [{ file: 'pkg/__init__.py', line: 1, message: ['User', 'pkg/models.py', 'Account'] }],
    },
    {
      name: 'conditional import is high, __main__ import is medium',
      files: {
        'cfg.py': 'A = 1\n',
        'run.py': 'import os\nif os.getenv("X"):\n    from cfg import B\nif __name__ == "__main__":\n    from cfg import C\n',
      },
      errors: [
        { file: 'run.py', line: 3, severity: 'high' },
        { file: 'run.py', line: 5, severity: 'medium' },
      ],
    },
  ],
});
