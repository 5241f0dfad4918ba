import check from '../../../checks/compose/localhost-in-container.js';
import { checkTable } from '../../helpers/check-tester.js';

const DB = '  db:\n    image: postgres:16\n    ports:\n      - "5433:5432"\n';

checkTable(check, {
  valid: [
    {
      name: 'service names as hosts; bind addresses; browser-facing URLs',
      files: {
        'docker-compose.yml':
          `services:\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://app:pw@db:5432/app\n      REDIS_URL: redis://redis:6379/0\n      API_HOST: 0.0.0.0\n      CORS_ORIGINS: http://localhost:3000\n      FRONTEND_URL: http://localhost:3000\n      NEXT_PUBLIC_API_URL: http://localhost:8000\n  web:\n    build: ./web\n    ports: ["3000:3000"]\n  redis:\n    image: redis:7\n${DB}`,
      },
    },
    {
      name: 'a public base URL on a published port is for the browser',
      files: {
        'compose.yaml': 'services:\n  server:\n    build: .\n    ports: ["5001:5000"]\n  worker:\n    build: .\n    environment:\n      REDASH_HOST: http://localhost:5001\n      DASHBOARD_URL: http://localhost:5001/dashboard/\n',
      },
    },
    {
      name: 'network_mode host and service:x share the loopback',
      files: {
        'compose.yaml': `services:\n  api:\n    build: .\n    network_mode: host\n    environment:\n      DATABASE_URL: postgresql://app:pw@localhost:5433/app\n  sidecar:\n    image: acme/sidecar\n    network_mode: "service:db"\n    environment:\n      - PGHOST=localhost\n${DB}`,
      },
    },
    {
      name: 'localhost for something that is not a service of this stack',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://app:pw@localhost:5432/app\n      OTEL_EXPORTER: http://localhost:4318\n',
      },
    },
    {
      name: 'environment overrides the env_file value; a default that .env replaces',
      files: {
        'docker-compose.yml': `services:\n  api:\n    build: .\n    env_file: .env\n    environment:\n      DATABASE_URL: postgresql://app:pw@db:5432/app\n      REDIS_URL: \${REDIS_URL:-redis://localhost:6379}\n  redis:\n    image: redis:7\n${DB}`,
        '.env': 'DATABASE_URL=postgresql://app:pw@localhost:5433/app\nREDIS_URL=redis://redis:6379\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000 style: DATABASE_URL and REDIS_URL on localhost next to db and redis',
      files: {
        'docker-compose.yml': `services:\n  backend:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://quarry:pw@localhost:5433/quarry\n      REDIS_URL: redis://127.0.0.1:6379/0\n      DB_HOST: localhost\n  redis:\n    image: redis:7\n${DB}`,
      },
      errors: [
        { file: 'docker-compose.yml', line: 5, severity: 'high', message: ['`DATABASE_URL`', '`db` service'], fix: ['postgresql://quarry:pw@db:5432/quarry'] },
        { file: 'docker-compose.yml', line: 6, severity: 'high', message: ['127.0.0.1', '`redis`'], fix: ['redis://redis:6379/0'] },
        { file: 'docker-compose.yml', line: 7, severity: 'high', fix: ['DB_HOST: db'] },
      ],
    },
    {
      name: 'an env_file shared by two services, and an API URL to another service by port',
      files: {
        'compose.yaml': `services:\n  api:\n    build: ./api\n    env_file: [config/app.env]\n    ports: ["8000:8000"]\n  worker:\n    build: ./api\n    env_file:\n      - path: config/app.env\n        required: true\n  ui:\n    build: ./ui\n    environment:\n      - API_INTERNAL_URL=http://localhost:8000/api\n  cache:\n    image: redis:7\n${DB}`,
        'config/app.env': '# app settings\nDATABASE_URL=postgres://app:pw@localhost/app\nCACHE_HOST=localhost\n',
      },
      errors: [
        { file: 'config/app.env', line: 2, severity: 'high', message: ['`api`, `worker`', 'env_file'], fix: ['DATABASE_URL=postgres://app:pw@db/app'] },
        { file: 'config/app.env', line: 3, severity: 'high', fix: ['CACHE_HOST=cache'] },
        { file: 'compose.yaml', line: 14, severity: 'medium', message: ['`API_INTERNAL_URL`', '`api` service'], fix: ['http://api:8000/api'] },
      ],
    },
    {
      name: 'a git-ignored .env judged by its template is medium',
      files: {
        'docker-compose.yml': `services:\n  api:\n    build: .\n    env_file: .env\n${DB}`,
        '.env.example': 'DATABASE_URL=postgresql://app:change-me@localhost:5432/app\n',
      },
      errors: [{ file: '.env.example', line: 1, severity: 'medium', message: ['template of the git-ignored env file'] }],
    },
  ],
});
