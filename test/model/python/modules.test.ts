import { ProjectModel } from '../../../src/model/project.js';
import { loadPythonParser } from '../../../src/model/python/parse.js';
import { pythonModules } from '../../../src/model/python/modules.js';
import { followName, resolvedImports } from '../../../src/model/python/imports.js';

beforeAll(() => loadPythonParser());

function model(files: Record<string, string>): ProjectModel {
  return ProjectModel.fromFiles(files);
}

describe('import roots', () => {
  test('Dockerfile WORKDIR + COPY backend/ . + uvicorn main:app', () => {
    const m = model({
      Dockerfile: 'FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nCOPY backend/ .\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0"]\n',
      'backend/main.py': 'app = 1\n',
      'backend/config.py': '',
    });
    const map = m.get(pythonModules);
    expect(map.roots.map((r) => r.dir)).toEqual(['backend']);
    expect(map.entrypoints).toMatchObject([{ module: 'main', attribute: 'app', file: 'backend/main.py', root: 'backend', runner: 'uvicorn' }]);
    expect(map.moduleNames('backend/config.py')).toEqual(['config', 'backend.config']);
  });
  test('Procfile with cd backend and gunicorn', () => {
    const m = model({ Procfile: 'web: cd backend && gunicorn app.main:app -k uvicorn.workers.UvicornWorker\n', 'backend/app/__init__.py': '', 'backend/app/main.py': '' });
    const map = m.get(pythonModules);
    expect(map.entrypoints).toMatchObject([{ module: 'app.main', file: 'backend/app/main.py', root: 'backend' }]);
  });
  test('start script run by the image', () => {
    const m = model({
      'Dockerfile': 'FROM python:3.12\nWORKDIR /srv\nCOPY . .\nCMD ["./scripts/start.sh"]\n',
      'scripts/start.sh': '#!/bin/sh\nset -e\ncd src\nexec python -m service.worker\n',
      'src/service/__init__.py': '',
      'src/service/worker.py': '',
    });
    const map = m.get(pythonModules);
    expect(map.entrypoints).toMatchObject([{ module: 'service.worker', file: 'src/service/worker.py', root: 'src', runner: 'python -m' }]);
  });
  test('pyproject src layout and pytest pythonpath', () => {
    const m = model({
      'pyproject.toml': '[tool.setuptools.packages.find]\nwhere = ["src"]\n[tool.pytest.ini_options]\npythonpath = ["backend"]\n',
      'src/pkg/__init__.py': '',
      'backend/x.py': '',
    });
    expect(m.get(pythonModules).roots.map((r) => `${r.dir}:${r.via}`)).toEqual(['src:package-config', 'backend:pytest']);
  });
});

describe('resolved imports', () => {
  const files = {
    'backend/main.py': [
      'import os, yaml',
      'from config import settings',
      'from .api import routes',
      'from api.routes import router',
      'import docker',
      'from data.seed import load',
      'from logging.handlers import RotatingFileHandler',
      'try:\n    import ujson as json\nexcept ImportError:\n    import json',
      'from typing import TYPE_CHECKING',
      'if TYPE_CHECKING:\n    from boto3 import Session',
      'def f():\n    import celery',
    ].join('\n'),
    'backend/config.py': 'def get_settings(): pass\n',
    'backend/api/routes.py': 'router = 1\n',
    'docker/Dockerfile.base': 'FROM python:3.12\n',
    'data/seed/materials.json': '[]',
    'logging/logging.yaml': '',
    'libs/shared/helpers.py': '',
  };
  test('origins and guards', () => {
    const m = model({ ...files, 'backend/x.py': 'import helpers\n' });
    const got = m.get(resolvedImports).get('backend/main.py')!;
    const brief = got.map((i) => `${i.module}${i.name ? ':' + i.name : ''}=${i.origin}${i.weak ? "/weak" : ""}${i.guarded ? '/guarded' : ''}${i.scope === 'function' ? '/fn' : ''}`);
    expect(brief).toEqual([
      'os=stdlib',
      'yaml=third-party',
      'config:settings=local',
      'api:routes=local',
      'api.routes:router=local',
      'docker=local/weak',
      'data.seed:load=local/weak',
      'logging.handlers:RotatingFileHandler=stdlib',
      'ujson=third-party/guarded',
      'json=stdlib/guarded',
      'typing:TYPE_CHECKING=stdlib',
      'boto3:Session=third-party/guarded',
      'celery=third-party/fn',
    ]);
    expect(m.get(resolvedImports).get('backend/x.py')![0]!.origin).toBe('unknown');
  });
  test('followName goes through package re-exports', () => {
    const m = model({
      'app/__init__.py': 'from .core import settings\n',
      'app/core/__init__.py': 'from .config import settings as settings\n',
      'app/core/config.py': 'def settings():\n    return 1\n',
      'main.py': 'from app import settings\n',
    });
    const imp = m.get(resolvedImports).get('main.py')![0]!;
    const r = followName(m, imp.targets[0]!, 'settings');
    expect(r).toMatchObject({ kind: 'binding', file: 'app/core/config.py', bindings: [{ kind: 'def' }] });
  });
});

test('importNameFor uses the importer’s roots', () => {
  const m = model({ 'backend/main.py': '', 'backend/api/__init__.py': '', 'backend/api/auth.py': '' });
  const map = m.get(pythonModules);
  expect(map.importNameFor('backend/main.py', 'backend/api/auth.py')).toBe('api.auth');
  expect(map.importNameFor('main.py', 'backend/api/auth.py')).toBe('backend.api.auth');
});
