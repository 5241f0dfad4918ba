import check from '../../../checks/docker/missing-build-input.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'all sources exist; optional lockfile idiom; --from copies',
      files: {
        Dockerfile: 'FROM node:20 AS build\nWORKDIR /app\nCOPY package.json yarn.lock* ./\nCOPY src ./src\nRUN npm run build\nFROM node:20\nCOPY --from=build /app/dist ./dist\nCMD ["node", "dist/index.js"]\n',
        'package.json': '{}',
        'src/index.ts': '',
      },
    },
    {
      name: 'compose context: paths are relative to the context, not the Dockerfile',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api.Dockerfile\n',
        'docker/api.Dockerfile': 'FROM python:3.12\nCOPY requirements.txt .\nCOPY app/ /app/app\n',
        'requirements.txt': '',
        'app/main.py': '',
      },
    },
    {
      name: 'lone Dockerfile whose sources sit at the repo root (built with -f from the root)',
      files: { 'deploy/Dockerfile': 'FROM python\nCOPY requirements.txt .\n', 'requirements.txt': '' },
    },
    {
      name: 'inferred context one level up, entrypoint copied from it (frappe_docker, sentry workstation)',
      files: {
        'images/production/Containerfile': 'FROM python\nCOPY resources/core/main-entrypoint.sh /usr/local/bin/entrypoint.sh\nRUN chmod +x /usr/local/bin/entrypoint.sh\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\n',
        'resources/core/main-entrypoint.sh': '#!/bin/sh\n',
        'workstation/postinstall/Dockerfile': 'FROM ubuntu\nCOPY 200_download.sh /etc/startup.d/\n',
        'workstation/200_download.sh': '',
      },
    },
    {
      name: 'gitignored build output and negated dockerignore',
      files: {
        '.gitignore': 'dist/\n',
        '.dockerignore': '*\n!package.json\n!src\n',
        Dockerfile: 'FROM node:20\nCOPY package.json ./\nCOPY src ./src\nCOPY dist ./dist\nCMD ["node", "dist/index.js"]\n',
        'package.json': '{}',
        'src/a.ts': '',
      },
    },
    {
      name: 'entrypoint script exists and is executable, or made executable, or run through sh',
      files: {
        'a/Dockerfile': 'FROM python\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\n',
        'a/entrypoint.sh': '#!/bin/sh\n',
        'b/Dockerfile': 'FROM python\nWORKDIR /app\nCOPY . .\nRUN chmod +x start.sh\nCMD ["./start.sh"]\n',
        'b/start.sh': '#!/bin/sh\n',
        'c/Dockerfile': 'FROM python\nWORKDIR /app\nCOPY . .\nCMD ["bash", "scripts/run.sh"]\n',
        'c/scripts/run.sh': '#!/bin/sh\n',
        'd/Dockerfile': 'FROM python\nCOPY --chmod=755 run.sh /usr/local/bin/run.sh\nCMD ["/usr/local/bin/run.sh"]\n',
        'd/run.sh': '',
        'e/Dockerfile': 'FROM postgres\nCMD ["/usr/local/bin/docker-entrypoint.sh", "postgres"]\n',
      },
      executable: ['a/entrypoint.sh'],
    },
  ],
  invalid: [
    {
      name: 'missing COPY source, with a suggestion',
      files: { 'backend/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY requirements/prod.txt .\nCOPY . .\n', 'backend/requirements.txt': '', 'backend/prod.txt': '' },
      errors: [{ file: 'backend/Dockerfile', line: 3, message: ['requirements/prod.txt', '`backend/`', 'not found'], fix: ['did you mean `prod.txt`'] }],
    },
    {
      name: 'source excluded by .dockerignore; unmatched wildcard',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: ./api\n',
        'api/Dockerfile': 'FROM node:20\nCOPY package*.json ./\nCOPY config/ ./config\nCOPY *.lock ./\n',
        'api/.dockerignore': 'config\n',
        'api/package.json': '{}',
        'api/config/default.json': '{}',
      },
      errors: [
        { file: 'api/Dockerfile', line: 3, message: ['api/.dockerignore excludes it'], fix: ['!config/'] },
        { file: 'api/Dockerfile', line: 4, message: ['*.lock'] },
      ],
    },
    {
      name: 'CMD script missing, and ENTRYPOINT script not executable',
      files: {
        'a/Dockerfile': 'FROM python\nWORKDIR /app\nCOPY . .\nCMD ["./scripts/start-prod.sh"]\n',
        'a/scripts/start.sh': '',
        'b/Dockerfile': 'FROM python\nWORKDIR /srv\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\n',
        'b/docker-entrypoint.sh': '#!/bin/sh\n',
      },
      errors: [
        { file: 'a/Dockerfile', line: 4, message: ['./scripts/start-prod.sh', 'a/scripts/start-prod.sh does not exist', 'no such file'] },
        { file: 'b/Dockerfile', line: 4, message: ['b/docker-entrypoint.sh', 'permission denied'] },
      ],
    },
    {
      name: 'a script run directly that is not executable',
      files: { 'Dockerfile': 'FROM python\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n', 'entrypoint.sh': '#!/bin/sh\nexec "$@"\n' },
      errors: [{ file: 'Dockerfile', line: 4, message: ['permission denied', 'entrypoint.sh'], fix: ['git update-index --chmod=+x entrypoint.sh'] }],
    },
  ],
});
