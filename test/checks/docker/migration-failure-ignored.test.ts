import check from '../../../checks/docker/migration-failure-ignored.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'migrations chained with && and scripts with set -e',
      files: {
        Dockerfile: 'FROM python\nCMD alembic upgrade head && exec gunicorn app:app\n',
        'entrypoint.sh': '#!/bin/sh\nset -eu\nalembic upgrade head\nexec "$@"\n',
        'start.sh': '#!/bin/bash -e\npython manage.py migrate; gunicorn app.wsgi\n',
        'docker-compose.yml': 'services:\n  api:\n    image: x\n    command: sh -c "npx prisma migrate deploy || exit 1; node dist/index.js"\n',
        Procfile: 'release: alembic upgrade head\nweb: gunicorn app:app\n',
        'package.json': '{"scripts": {"start": "knex migrate:latest && node server.js"}}',
      },
    },
    {
      name: 'retry loops, if-guards and a migration that is the last command',
      files: {
        'wait-migrate.sh': '#!/bin/sh\nuntil alembic upgrade head; do\n  sleep 2\ndone\nexec uvicorn app:app\n',
        'run.sh': '#!/bin/sh\nif ! alembic upgrade head; then\n  exit 1\nfi\nexec uvicorn app:app\n',
        'migrate.sh': '#!/bin/sh\necho migrating\nalembic upgrade head\n',
      },
    },
    {
      name: 'developer setup scripts are not start paths',
      files: { 'setup.sh': '#!/bin/bash\nnpm install\nnpx prisma db push || true\nprint_success "Database created"\n', 'fix-prisma.sh': 'fix() {\n  npx prisma db push --skip-generate\n}\n' },
    },
    { name: 'development files are skipped', files: { 'docker-compose.dev.yml': 'services:\n  api:\n    command: sh -c "alembic upgrade head || true; uvicorn app:app --reload"\n' } },
  ],
  invalid: [
    {
      name: '|| true in CMD, ; in compose, || echo in Procfile and package.json',
      files: {
        Dockerfile: 'FROM python\nWORKDIR /app\nCMD alembic upgrade head || true && exec uvicorn app.main:app\n',
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    command: bash -c "python manage.py migrate; gunicorn app.wsgi"\n',
        Procfile: 'web: npx prisma migrate deploy || echo "migration failed" && node dist/index.js\n',
        'package.json': '{\n  "scripts": {\n    "start:prod": "npx sequelize-cli db:migrate || true; node server.js"\n  }\n}\n',
      },
      errors: [
        { file: 'Dockerfile', line: 3, severity: 'high', message: ['alembic upgrade head || true'], fix: ['&&'] },
        { file: 'docker-compose.yml', line: 4, message: ['python manage.py migrate; gunicorn'] },
        { file: 'Procfile', line: 1, message: ['|| echo'] },
        { file: 'package.json', line: 3, message: ['db:migrate || true'] },
      ],
    },
    {
      name: 'scripts: || true with set -e, and a script without set -e',
      files: {
        'docker-entrypoint.sh': '#!/bin/sh\nset -e\nalembic upgrade head || true\nexec "$@"\n',
        'scripts/start.sh': '#!/bin/sh\necho "migrating"\nflask db upgrade\nexec gunicorn app:app\n',
      },
      errors: [
        { file: 'docker-entrypoint.sh', line: 3, severity: 'high' },
        { file: 'scripts/start.sh', line: 3, severity: 'medium', message: ['no `set -e`', 'exec gunicorn app:app'] },
      ],
    },
  ],
});
