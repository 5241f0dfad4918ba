import check from '../../../checks/compose/missing-build-context.js';
import { checkTable } from '../../helpers/check-tester.js';

const DF = 'FROM python:3.12-slim\nCMD ["python", "-m", "app"]\n';

checkTable(check, {
  valid: [
    {
      name: 'short and long syntax, contexts relative to the compose file',
      files: {
        'deploy/docker-compose.yml':
          'services:\n  api:\n    build: ../backend\n  worker:\n    build:\n      context: ../backend\n      dockerfile: docker/Dockerfile.worker\n',
        'backend/Dockerfile': DF,
        'backend/docker/Dockerfile.worker': DF,
      },
    },
    {
      name: 'root context with the default Dockerfile, lower-case dockerfile, Containerfile',
      files: {
        'compose.yaml': 'services:\n  a:\n    build: .\n  b:\n    build: ./b\n  c:\n    build: ./c\n',
        Dockerfile: DF,
        'b/dockerfile': DF,
        'c/Containerfile': DF,
      },
    },
    {
      name: 'remote, interpolated, absolute, inline and out-of-repo builds are not judged',
      files: {
        'docker-compose.yml':
          'services:\n  a:\n    build: https://github.com/acme/app.git#main\n  b:\n    build:\n      context: ${APP_DIR:-./app}\n  c:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM alpine\n  d:\n    build: ../sibling-repo\n  e:\n    build:\n      context: .\n      dockerfile: /abs/Dockerfile\n',
      },
    },
    {
      name: 'an overlay in a subfolder resolves paths against the first -f file',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    image: app\n',
        'deploy/docker-compose.prod.yml': 'services:\n  api:\n    build: ./backend\n',
        'Makefile': 'up:\n\tdocker compose -f docker-compose.yml -f deploy/docker-compose.prod.yml up -d\n',
        'backend/Dockerfile': DF,
      },
    },
    { name: 'an unparseable compose file is left to compose/invalid-file', files: { 'compose.yml': 'services:\n  api:\n   build: [\n' } },
  ],
  invalid: [
    {
      name: 'a renamed backend folder',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build:\n      context: ./backend\n    ports: ["8000:8000"]\n',
        'api/Dockerfile': DF,
      },
      errors: [{ file: 'docker-compose.yml', line: 4, severity: 'critical', message: ['`./backend`', 'does not exist'], fix: ['context: ./api'] }],
    },
    {
      name: 'a dockerfile path written relative to the compose file instead of the context',
      files: {
        'compose.yml': 'services:\n  api:\n    build:\n      context: ./backend\n      dockerfile: ./backend/Dockerfile.prod\n',
        'backend/Dockerfile.prod': DF,
      },
      errors: [{ file: 'compose.yml', line: 5, message: ['backend/backend/Dockerfile.prod does not exist'], fix: ['dockerfile: Dockerfile.prod'] }],
    },
    {
      name: 'no Dockerfile in the context (short syntax)',
      files: { 'docker-compose.yml': 'services:\n  web:\n    build: ./frontend\n', 'frontend/package.json': '{}', 'frontend/docker/Dockerfile': DF },
      errors: [{ file: 'docker-compose.yml', line: 3, message: ['default `Dockerfile`', 'frontend/Dockerfile'], fix: ['dockerfile: docker/Dockerfile'] }],
    },
  ],
});
