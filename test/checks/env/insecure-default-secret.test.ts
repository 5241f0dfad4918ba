import check from '../../../checks/env/insecure-default-secret.js';
import { checkTable } from '../../helpers/check-tester.js';

// Code defaults come from the real Python extractors (src/model/python/settings.ts), registered via the catalogue.
checkTable(check, {
  valid: [
    {
      name: 'placeholders in .env.example meant for a human',
      files: { '.env.example': 'SECRET_KEY=changeme\nPOSTGRES_PASSWORD=password\n', 'docker-compose.yml': 'services:\n  api:\n    image: x\n    env_file: .env\n' },
    },
    {
      name: 'required interpolation and strong defaults',
      files: {
        'docker-compose.yml':
          'services:\n  api:\n    image: x\n    environment:\n      SECRET_KEY: ${SECRET_KEY:?set it}\n      JWT_SECRET: ${JWT_SECRET}\n      LOG_LEVEL: ${LOG_LEVEL:-info}\n      ACCESS_TOKEN_EXPIRE_MINUTES: ${ACCESS_TOKEN_EXPIRE_MINUTES:-30}\n      SMTP_PASSWORD: ${SMTP_PASSWORD:-}\n',
      },
    },
    {
      name: 'dev and test compose files are skipped',
      files: {
        'docker-compose.dev.yml': 'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: postgres\n',
        'docker-compose.test.yml': 'services:\n  db:\n    image: postgres\n    environment:\n      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-postgres}\n',
        '.github/workflows/docker-compose.yml': 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: secret\n',
        'Dockerfile.test': 'FROM python\nENV SECRET_KEY=test\n',
      },
    },
    {
      name: 'Dockerfile ARG without default and ENV from a build arg',
      files: { Dockerfile: 'FROM python:3.12\nARG SECRET_KEY\nENV SECRET_KEY=${SECRET_KEY}\nENV PUBLIC_KEY=changeme\n' },
    },
    {
      name: 'cp .env.example .env in a developer setup script',
      files: { '.env.example': 'SECRET_KEY=changeme\n', 'scripts/setup-dev.sh': 'cp .env.example .env\n', 'bootstrap.sh': 'cp .env.example .env\n' },
    },
    {
      name: 'cp .env.example .env inside a task-runner function, as in nickjj/docker-django-example',
      files: {
        '.env.example': 'SECRET_KEY=insecure_key_for_dev\n',
        run: '#!/usr/bin/env bash\nci:test() {\n  cp --no-clobber .env.example .env\n  docker compose up -d\n}\n',
        Dockerfile: 'FROM python\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
      },
    },
    {
      name: 'code default that is not a placeholder, an empty one, and test files',
      files: {
        'app/config.py': 'import os\nLOG_LEVEL = os.getenv("LOG_LEVEL", "info")\nSECRET_KEY = os.getenv("SECRET_KEY", "")\n',
        'tests/conftest.py': 'import os\nSECRET_KEY = os.getenv("SECRET_KEY", "test")\n',
      },
    },
    {
      name: 'suppressed with a comment',
      files: { 'docker-compose.yml': 'services:\n  api:\n    image: x\n    environment:\n      # readiness-ignore env/insecure-default-secret\n      SECRET_KEY: ${SECRET_KEY:-changeme}\n' },
    },
  ],
  invalid: [
    {
      name: 'compose ${VAR:-changeme} and weak literal, report 000',
      files: {
        'docker-compose.yml':
          'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-changeme}\n  backend:\n    build: .\n    environment:\n      API_SECRET_KEY: change-this-secret-key-in-production\n      DATABASE_URL: postgresql://bcmce:${POSTGRES_PASSWORD:-changeme}@db/bcmce\n',
      },
      errors: [
        { file: 'docker-compose.yml', line: 5, severity: 'critical', message: ['${POSTGRES_PASSWORD:-changeme}', 'POSTGRES_PASSWORD'], fix: ['${POSTGRES_PASSWORD:?'] },
        { file: 'docker-compose.yml', line: 9, severity: 'critical', message: ['API_SECRET_KEY', 'change-this-secret-key-in-production', 'backend'] },
      ],
    },
    {
      name: 'credentialed URL with a weak literal password, in list form',
      files: { 'compose.yaml': 'services:\n  api:\n    image: x\n    environment:\n      - DATABASE_URL=postgresql://postgres:postgres@db:5432/app\n' },
      errors: [{ file: 'compose.yaml', line: 5, message: ['DATABASE_URL', '`postgres`'], fix: ['DB_PASSWORD:?'] }],
    },
    {
      name: 'compose that mounts its source tree is low',
      files: { 'docker-compose.yml': 'services:\n  api:\n    build: .\n    volumes:\n      - .:/app\n    environment:\n      JWT_SECRET: secret\n' },
      errors: [{ file: 'docker-compose.yml', line: 7, severity: 'low', message: ['JWT_SECRET', 'local development'] }],
    },
    {
      name: 'Dockerfile ENV and ARG defaults in the final image',
      files: { 'backend/Dockerfile': 'FROM python:3.12 AS base\nENV JWT_SECRET_KEY=""\nFROM base\nARG ADMIN_PASSWORD=admin\nCMD ["uvicorn", "main:app"]\n' },
      errors: [
        { file: 'backend/Dockerfile', line: 2, message: ['JWT_SECRET_KEY', 'empty string'] },
        { file: 'backend/Dockerfile', line: 4, message: ['ARG ADMIN_PASSWORD=admin'] },
      ],
    },
    {
      name: 'env_file: .env.example makes the placeholders effective',
      files: {
        '.env.example': 'DEBUG=false\nSECRET_KEY=your-secret-key-here\nSTRIPE_API_KEY=sk_test_your_key_here\n',
        'docker-compose.yml': 'services:\n  api:\n    image: x\n    env_file:\n      - .env.example\n',
      },
      errors: [
        { file: '.env.example', line: 2, message: ['SECRET_KEY', 'docker-compose.yml:5'], fix: ['docker-compose.yml:5'] },
        { file: '.env.example', line: 3, message: ['STRIPE_API_KEY'] },
      ],
    },
    {
      name: 'cp .env.example .env in the container entrypoint and in a Dockerfile',
      files: {
        'backend/.env.example': 'JWT_SECRET=changeme\n',
        'backend/docker-entrypoint.sh': '#!/bin/sh\n[ -f .env ] || cp .env.example .env\nexec uvicorn app:app\n',
        'backend/Dockerfile': 'FROM python\nCOPY .env.example .env\n',
      },
      errors: [{ file: 'backend/.env.example', line: 1, message: ['JWT_SECRET', 'backend/'] }],
    },
    {
      name: 'code defaults, guarded ones low',
      files: {
        'app/config.py': 'import os\nAPI_SECRET_KEY = os.getenv("API_SECRET_KEY", "change-this-secret-key-in-production")\n',
        'app/settings.py':
          'from pydantic import field_validator\nfrom pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    db_password: str = "password"\n\n    @field_validator("db_password")\n    @classmethod\n    def check(cls, v):\n        if v == "password":\n            raise ValueError("set DB_PASSWORD")\n        return v\n',
      },
      errors: [
        { file: 'app/config.py', line: 2, severity: 'critical', message: ['API_SECRET_KEY', 'change-this-secret-key-in-production'] },
        { file: 'app/settings.py', line: 6, severity: 'low', message: ['DB_PASSWORD', 'refuses'] },
      ],
    },
  ],
});
