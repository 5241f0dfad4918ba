import check from '../../../checks/compose/undefined-interpolation.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'defaults, alternatives, and variables that .env.example documents',
      files: {
        'docker-compose.yml':
          'services:\n  api:\n    image: app:${TAG:-latest}\n    environment:\n      DATABASE_URL: ${DATABASE_URL}\n      SECRET_KEY: ${SECRET_KEY:?set SECRET_KEY}\n      SENTRY: ${SENTRY_DSN-}\n      EXTRA: ${FLAG:+on}\n      NESTED: ${A:-${B}}\n      PRICE: "$$5"\n',
        '.env.example': 'DATABASE_URL=postgresql://app@db/app\nSECRET_KEY=\nA=1\n',
      },
    },
    {
      name: 'a .env in a parent folder and an --env-file named in a script',
      files: {
        'deploy/compose.yaml': 'services:\n  api:\n    image: ${REGISTRY}/api:${VERSION}\n    user: "${UID}:${GID}"\n    volumes:\n      - ${HOME}/.cache:/cache\n',
        '.env': 'REGISTRY=ghcr.io/acme\n',
        'config/prod.env': 'VERSION=1.4.2\n',
        'scripts/deploy.sh': '#!/bin/sh\ndocker compose --env-file config/prod.env -f deploy/compose.yaml up -d\n',
      },
    },
    {
      name: 'variables the invoking script or workflow sets',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    image: ghcr.io/acme/api:${IMAGE_TAG}\n    environment:\n      - RELEASE=${GIT_SHA}\n',
        'Makefile': 'deploy:\n\tIMAGE_TAG=$(VERSION) docker compose up -d\n',
        '.github/workflows/deploy.yml': 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      GIT_SHA: ${{ github.sha }}\n    steps:\n      - run: docker compose up -d\n',
      },
    },
    {
      name: 'CI compose files take their variables from the CI environment',
      files: {
        '.ci/compose.cypress.yaml': 'services:\n  cypress:\n    build: .\n    environment:\n      PERCY_TOKEN: ${PERCY_TOKEN}\n      CIRCLE_SHA1: ${CIRCLE_SHA1}\n',
        'docker-compose.test.yml': 'services:\n  api:\n    image: app:${GITHUB_SHA}\n',
      },
    },
    {
      name: 'container variables escaped with $$ in command and healthcheck',
      files: {
        'compose.yml':
          'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER}"]\n  worker:\n    image: app\n    command: sh -c "celery -A app worker -c $$CONCURRENCY"\n',
      },
    },
    {
      name: 'an overlay whose base directory holds the .env',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    image: app\n',
        'ops/docker-compose.prod.yml': 'services:\n  api:\n    environment:\n      SECRET_KEY: ${SECRET_KEY}\n',
        '.env.example': 'SECRET_KEY=\n',
        'README.md': 'Run `docker compose -f docker-compose.yml -f ops/docker-compose.prod.yml up -d`.\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a required value that no env file defines, used twice',
      files: {
        'docker-compose.yml':
          'services:\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://app:${DB_PASSWORD}@db/app\n      JWT_SECRET_KEY: ${JWT_SECRET_KEY}\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n',
        '.env.example': 'JWT_SECRET_KEY=\n',
      },
      errors: [{ file: 'docker-compose.yml', line: 5, severity: 'high', message: ['${DB_PASSWORD}', 'also on line 10', 'empty string'], fix: ['DB_PASSWORD=', '${DB_PASSWORD:?'] }],
    },
    {
      name: 'an undocumented ${VAR:?err} is medium',
      files: { 'compose.yaml': 'services:\n  api:\n    image: app\n    environment:\n      STRIPE_KEY: ${STRIPE_KEY:?set STRIPE_KEY}\n' },
      errors: [{ file: 'compose.yaml', line: 5, severity: 'medium', message: ['set STRIPE_KEY', 'no .env.example'], fix: ['.env.example'] }],
    },
    {
      name: 'a container variable in a healthcheck, not escaped',
      files: {
        'docker-compose.yml':
          'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U ${POSTGRES_USER}"]\n',
      },
      errors: [{ file: 'docker-compose.yml', line: 7, severity: 'high', message: ['expanded by compose', 'POSTGRES_USER'], fix: ['$${POSTGRES_USER}'] }],
    },
    {
      name: 'the same miss in a dev compose file is one level lower',
      files: { 'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n' },
      errors: [{ file: 'docker-compose.dev.yml', line: 5, severity: 'medium', message: ['OPENAI_API_KEY'] }],
    },
  ],
});
