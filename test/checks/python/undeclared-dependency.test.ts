import check from '../../../checks/python/undeclared-dependency.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'import names that differ from distribution names',
      files: {
        'requirements.txt': 'PyYAML==6.0.1\nPyJWT==2.8.0\npython-jose[cryptography]==3.3.0\nPillow\npython-dotenv\npsycopg2-binary==2.9.9\nscikit-learn\nopencv-python-headless\nbeautifulsoup4\ngoogle-cloud-storage\npython-magic\nFlask-Caching\n',
        'app.py':
          'import yaml, jwt\nfrom jose import jwt as jjwt\nfrom PIL import Image\nfrom dotenv import load_dotenv\nimport psycopg2\nfrom sklearn.linear_model import LinearRegression\nimport cv2\nfrom bs4 import BeautifulSoup\nfrom google.cloud import storage\nimport magic\nfrom flask_caching import Cache\n',
      },
    },
    {
      name: 'extras and transitive dependencies count',
      files: {
        'requirements.txt': 'fastapi==0.110.0\npydantic[email]>=2\nuvicorn[standard]\ncelery[redis]\npasslib[bcrypt]\n',
        'main.py': 'import starlette\nimport email_validator\nimport uvloop\nimport redis\nimport kombu\nimport bcrypt\nimport anyio\n',
      },
    },
    {
      name: 'guarded imports, TYPE_CHECKING, version tests, tests and stdlib',
      files: {
        'pyproject.toml': '[project]\nname = "x"\ndependencies = ["httpx"]\n',
        'src/x/__init__.py':
          'import json, tomllib, asyncio\ntry:\n    import ujson as json\nexcept ImportError:\n    pass\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import boto3\nimport sys\nif sys.version_info < (3, 11):\n    import tomli as tomllib\n',
        'tests/test_x.py': 'import pytest\nimport respx\n',
        'docs/conf.py': 'import sphinx_rtd_theme\n',
      },
    },
    {
      name: 'Poetry, Pipfile, lock file and Dockerfile pip install declare too',
      files: {
        'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "^2.31"\n',
        'Pipfile': '[packages]\nstripe = "*"\n',
        'poetry.lock': '[[package]]\nname = "urllib3"\nversion = "2.2.0"\n[[package]]\nname = "sentry-sdk"\nversion = "1.40.0"\n',
        'Dockerfile': 'FROM python:3.12\nRUN pip install --no-cache-dir gunicorn web3==6.15.0\n',
        'app.py': 'import requests, stripe, sentry_sdk, web3, gunicorn\n',
      },
    },
    {
      name: 'no manifest at all, or a setup.py computing its requirements: stay silent',
      files: {
        'app.py': 'import web3\n',
        'lib/setup.py': 'from setuptools import setup\nsetup(install_requires=open("reqs").read().split())\n',
        'lib/mod.py': 'import boto3\n',
      },
    },
    {
      name: 'unknown import name while an unknown distribution is declared',
      files: {
        'requirements.txt': 'some-vendor-sdk==1.0\n',
        'app.py': 'import vendorlib\n',
      },
    },
    {
      name: 'a local package of that name, a module next to the importer',
      files: {
        'requirements.txt': 'fastapi\n',
        'app/main.py': 'import utils\nfrom services.mail import send\n',
        'app/utils.py': '',
        'services/mail.py': 'def send(): pass\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 002: web3 and email-validator missing from requirements',
      files: {
        'requirements.txt': 'fastapi==0.109.0\npydantic==2.5.3\nsqlalchemy==2.0.25\n',
        'src/app/__init__.py': '',
        'src/app/main.py': 'from fastapi import FastAPI\nfrom web3 import Web3\nimport email_validator\napp = FastAPI()\n',
        'src/app/chain.py': 'import web3\n',
      },
      errors: [
        { file: 'src/app/chain.py', line: 1, severity: 'critical', message: ['web3', 'requirements.txt', 'ModuleNotFoundError', '1 more file'], fix: ['Add `web3` to requirements.txt'] },
        { file: 'src/app/main.py', line: 3, message: ['email-validator'] },
      ],
    },
    {
      name: 'yaml needs PyYAML; a function-level import is high',
      files: {
        'pyproject.toml': '[project]\nname = "svc"\ndependencies = ["fastapi>=0.110"]\n',
        'svc/config.py': 'import yaml\n',
        'svc/report.py': 'def export():\n    import pandas\n',
      },
      errors: [
        { file: 'svc/config.py', line: 1, severity: 'critical', message: ['PyYAML'], fix: ['pyproject.toml'] },
        { file: 'svc/report.py', line: 2, severity: 'high', message: ['pandas'] },
      ],
    },
    {
      name: 'dev tooling outside the package roots is medium',
      files: {
        'pyproject.toml': '[project]\nname = "x"\ndependencies = ["requests"]\n[tool.setuptools.packages.find]\nwhere = ["lib"]\n',
        'lib/x/__init__.py': 'import requests\n',
        'hacking/backport.py': 'from github import Github\n',
      },
      errors: [{ file: 'hacking/backport.py', line: 1, severity: 'medium', message: ['PyGithub'] }],
    },
    {
      name: 'an unknown import name when every declared distribution is known',
      files: {
        'requirements.txt': 'flask\nrequests\n',
        'app.py': 'import flask\nimport notarealpackage\n',
      },
      errors: [{ file: 'app.py', line: 2, message: ['notarealpackage'] }],
    },
  ],
});
