import check from '../../../checks/platform/runtime-version-mismatch.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'report 003: nixpacks python311 and nothing else pinned',
      files: { 'backend/nixpacks.toml': '[phases.setup]\nnixPkgs = ["python311", "postgresql"]\n', 'backend/requirements.txt': 'fastapi\n' },
    },
    {
      name: 'everything agrees: patch levels may differ, ranges include the pin, partial versions fit',
      files: {
        'runtime.txt': 'python-3.11.9\n',
        '.python-version': '3.11.4\n',
        'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.11.4"\n[tool.poetry.dependencies]\npython = "^3.11"\n',
        Dockerfile: 'FROM python:3.11-slim\n',
        'web/.nvmrc': 'v20.11.1\n',
        'web/package.json': '{ "engines": { "node": ">=20 <23" } }',
        'web/Dockerfile': 'FROM node:20-alpine\n',
      },
    },
    {
      name: 'separate services pin separately; dev Dockerfiles and unknown tags do not count',
      files: {
        'api/.python-version': '3.12\n',
        'worker/runtime.txt': 'python-3.10.13\n',
        'api/Dockerfile.dev': 'FROM python:3.9\n',
        'worker/Dockerfile': 'FROM python:latest\n',
        'web/.nvmrc': 'lts/*\n',
        'web/package.json': '{ "engines": { "node": "lts" } }',
      },
    },
  ],
  invalid: [
    {
      name: 'runtime.txt and the Dockerfile disagree, and requires-python excludes the image',
      files: {
        'runtime.txt': 'python-3.9.18\n',
        Dockerfile: 'ARG PY=3.10\nFROM python:${PY}-slim\n',
        'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.11"\n',
      },
      errors: [
        { file: 'runtime.txt', line: 1, severity: 'high', message: ['Python 3.9.18', 'Python 3.10', 'Dockerfile:2'], fix: ['3.10'] },
        { file: 'Dockerfile', line: 2, message: ['>=3.11', 'pyproject.toml:3'] },
      ],
    },
    {
      name: 'a root .python-version against a service nixpacks pin; .nvmrc against engines',
      files: {
        '.python-version': '3.12\n',
        'backend/nixpacks.toml': '[phases.setup]\nnixPkgs = ["python311"]\n',
        'web/.nvmrc': '18\n',
        'web/package.json': '{\n  "engines": {\n    "node": ">=20"\n  }\n}\n',
      },
      errors: [
        { file: '.python-version', line: 1, message: ['3.12', 'backend/nixpacks.toml:2', '3.11'] },
        { file: 'web/.nvmrc', line: 1, message: ['Node 18', '>=20'] },
      ],
    },
  ],
});
