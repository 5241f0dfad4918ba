import check from '../../../checks/env/committed-dotenv.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    { name: 'templates are fine', files: { '.env.example': 'SECRET_KEY=changeme\nSTRIPE_KEY=sk_live_xxx\n', 'backend/.env.sample': 'DB_PASSWORD=\n' } },
    { name: 'a committed .env without secret settings', files: { '.env': 'DEBUG=1\nPORT=8000\nVITE_API_URL=https://api.example.com\n' } },
    { name: '.env.development with placeholders (committed on purpose by Vite/Next.js)', files: { 'web/.env.development': 'API_TOKEN=dev-token\n' } },
    { name: 'test fixtures', files: { 'tests/fixtures/.env': 'SECRET_KEY=changeme\n' } },
  ],
  invalid: [
    {
      name: 'real-looking secrets: token format, high entropy, URL password',
      files: {
        '.env':
          'DEBUG=false\nSTRIPE_SECRET_KEY=sk_live_51HqLyjWDarjtT1zdp7dcXkq9Wn3mQ\nJWT_SECRET=9f2c1ab7e44d0b6a8c3e5f71d2a9b04e\nDATABASE_URL=postgresql://app:Zq8!vR2m@prod-db:5432/app\n',
      },
      errors: [{ file: '.env', line: 2, severity: 'critical', message: ['STRIPE_SECRET_KEY (Stripe live secret key)', 'JWT_SECRET (high-entropy value)', 'DATABASE_URL'], fix: ['Rotate', 'git rm --cached .env'] }],
    },
    {
      name: 'placeholders only is medium',
      files: { 'backend/.env': 'SECRET_KEY=changeme\nPOSTGRES_PASSWORD=postgres\nDATABASE_URL=postgresql://postgres:${POSTGRES_PASSWORD}@localhost:5432/app\n' },
      errors: [{ file: 'backend/.env', line: 1, severity: 'medium', message: ['SECRET_KEY, POSTGRES_PASSWORD'], fix: ['backend/.env.example'] }],
    },
    {
      name: '.env.local is never committed on purpose; .env.production with a GitHub token',
      files: {
        'web/.env.local': 'NEXTAUTH_SECRET=replace-me\n',
        '.env.production': 'NODE_ENV=production\nGH_TOKEN=ghp_4fT9kLmQ2xR7vB1nC8dE3hJ6wY0zA5sU9iOp\n',
      },
      errors: [
        { file: 'web/.env.local', line: 1, severity: 'medium' },
        { file: '.env.production', line: 2, severity: 'critical', message: ['GitHub token'] },
      ],
    },
  ],
});
