import check from '../../../checks/docker/context-leaks-secrets.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'a .dockerignore that excludes .env, .git and node_modules',
      files: { Dockerfile: 'FROM node:20\nCOPY . .\n', '.dockerignore': '.git\n.env*\n!.env.example\nnode_modules\n', 'package.json': '{}', '.env.example': 'X=\n' },
    },
    { name: 'copies only named paths', files: { Dockerfile: 'FROM python\nCOPY requirements.txt .\nCOPY app/ app/\n', 'app/main.py': '', 'requirements.txt': '' } },
    { name: 'development Dockerfile', files: { 'Dockerfile.dev': 'FROM python\nCOPY . .\n' } },
    {
      name: 'whole-context copy only in a build stage; a sub-directory context without env files',
      files: {
        'web/Dockerfile': 'FROM node:20 AS build\nWORKDIR /app\nCOPY ./ /app/\nRUN npm ci && npm run build\nFROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n',
        'web/package.json': '{}',
        'web/.env': 'VITE_API_URL=http://localhost\n',
        'app/Dockerfile': 'FROM python\nCOPY . /usr/src/app\n',
        'app/manage.py': '',
      },
    },
    {
      name: 'per-Dockerfile ignore file (BuildKit) and Python without node_modules',
      files: { 'api/Dockerfile': 'FROM python\nCOPY . /app\n', 'api/Dockerfile.dockerignore': '.git\n**/.env\n', 'api/main.py': '' },
    },
  ],
  invalid: [
    {
      name: 'no .dockerignore at all',
      files: { Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY package.json .\nCOPY . .\n', 'package.json': '{}', '.env.example': 'SECRET_KEY=\n' },
      errors: [{ file: 'Dockerfile', line: 4, severity: 'medium', message: ['no .dockerignore', '.env, .git, node_modules'], fix: ['Create .dockerignore', '.git\n.env'] }],
    },
    {
      name: 'a .env and a key file in the context are high',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: .\n',
        Dockerfile: 'FROM python\nCOPY ./ /app\n',
        '.dockerignore': '.git\n',
        '.env': 'SECRET_KEY=x\n',
        'certs/server.key': 'k',
      },
      errors: [{ file: 'Dockerfile', line: 2, severity: 'high', message: ['.env', 'certs/server.key', '.dockerignore does not exclude .env'] }],
    },
  ],
});
