import check from '../../../checks/env/dotenv-not-ignored.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    { name: 'root .gitignore ignores .env', files: { '.gitignore': 'node_modules\n.env\n', '.env.example': 'SECRET_KEY=\n', 'backend/.env.example': 'X=1\n' } },
    { name: 'patterns: *.env and .env*', files: { '.gitignore': '*.env\n', '.env.example': 'SECRET_KEY=\n', 'api/.gitignore': '.env*\n!.env.example\n', 'api/.env.example': 'TOKEN=\n' } },
    { name: 'no env files at all', files: { '.gitignore': 'dist\n', 'main.py': 'print(1)\n' } },
    { name: 'example folders are skipped', files: { '.gitignore': 'dist\n', 'examples/demo/.env.example': 'SECRET_KEY=\n' } },
  ],
  invalid: [
    {
      name: 'gitignore without .env next to a template holding secrets',
      files: { '.gitignore': '__pycache__/\n*.pyc\n', '.env.example': 'SECRET_KEY=changeme\n' },
      errors: [{ file: '.gitignore', line: 2, severity: 'high', message: ['.env'], fix: ['.env\n.env.*\n!.env.example'] }],
    },
    {
      name: 'negated later, nested directory, no secrets is medium',
      files: { '.gitignore': '.env\n', 'web/.gitignore': '!.env\n', 'web/.env.example': 'VITE_API_URL=\n' },
      errors: [{ file: 'web/.gitignore', line: 1, severity: 'medium', message: ['web/.env'] }],
    },
    {
      name: 'no .gitignore at all, compose loads .env',
      files: { 'docker-compose.yml': 'services:\n  api:\n    image: x\n    env_file: .env\n' },
      errors: [{ file: 'docker-compose.yml', line: 1, message: ['no .gitignore'] }],
    },
  ],
});
