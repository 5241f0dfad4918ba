import check from '../../../checks/env/hardcoded-credentials.js';
import { checkTable } from '../../helpers/check-tester.js';

const GH = 'ghp_4fT9kLmQ2xR7vB1nC8dE3hJ6wY0zA5sU9iOp';
const STRIPE = 'sk_live_51HqLyjWDarjtT1zdp7dcXkq9Wn3mQ';
/** Random base64 shaped like a PEM body (not a key). */
const PEM_BODY = 'MIIEowIBAAKCAQEAq7Zp3kWm9Xc2LrT8vYfH1nQb4sJ0dGe6uR5tO2iPaK9lM3w\nN8xZ7cV4bB1nM6aS2dF9gH3jK5lQ0wE7rT4yU1iO8pA6sD2fG9hJ3kL5zX7cV0bN';

checkTable(check, {
  valid: [
    {
      name: 'interpolated secrets and placeholders (left to insecure-default-secret)',
      files: {
        'docker-compose.yml':
          'services:\n  api:\n    image: x\n    environment:\n      SECRET_KEY: ${SECRET_KEY:?}\n      DB_PASSWORD: changeme\n      DATABASE_URL: postgresql://app:${DB_PASSWORD}@db/app\n      ACCESS_TOKEN_EXPIRE_MINUTES: "30"\n',
      },
    },
    {
      name: 'dev compose, CI and documentation fakes',
      files: {
        'docker-compose.local.yml': 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: s3cretLocal99\n',
        'README.md': 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n',
        'sentry/config.example.yml': '# github-app.private-key: |\n#   -----BEGIN RSA PRIVATE KEY-----\n#   privatekeyprivatekeyprivatekeyprivatekey\n#   privatekeyprivatekeyprivatekeyprivatekey\n#   -----END RSA PRIVATE KEY-----\n',
        'docker-compose.yml': 'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db\n      DATABASE_PASSWORD: /run/secrets/db-password\n',
        'alembic.ini': 'sqlalchemy.url = driver://user:pass@localhost/dbname\n',
      },
    },
    { name: 'real .env files belong to committed-dotenv', files: { '.env': `GH_TOKEN=${GH}\n` } },
    { name: 'lockfiles are skipped', files: { 'package-lock.json': `{"x": "${GH}"}` } },
  ],
  invalid: [
    {
      name: 'literal password and URL in compose',
      files: {
        'docker-compose.yml':
          'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: Pr1vexB0t2024\n  api:\n    build: .\n    environment:\n      - DATABASE_URL=postgresql://privexbot:Pr1vexB0t2024@db:5432/privexbot\n',
      },
      errors: [
        { file: 'docker-compose.yml', line: 5, severity: 'critical', message: ['POSTGRES_PASSWORD', 'db'], fix: ['${POSTGRES_PASSWORD:?'] },
        { file: 'docker-compose.yml', line: 9, message: ['DATABASE_URL', 'privexbot'] },
      ],
    },
    {
      name: 'Dockerfile ENV with a real value',
      files: { Dockerfile: 'FROM node:20\nENV NODE_ENV=production\nENV API_TOKEN=a8F3kLq9Zx27PmWv\nCMD ["node", "index.js"]\n' },
      errors: [{ file: 'Dockerfile', line: 3, message: ['API_TOKEN', 'docker history'] }],
    },
    {
      name: 'tokens in code, a private key, a template, and a URL in alembic.ini',
      files: {
        'app/payments.py': `import stripe\nstripe.api_key = "${STRIPE}"\n`,
        'deploy/id_rsa.pem': `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`,
        '.env.example': `GITHUB_TOKEN=${GH}\n`,
        'alembic.ini': '[alembic]\nsqlalchemy.url = postgresql://admin:Hx92kdPq@10.0.0.5/prod\n',
        'tests/test_keys.py': `KEY = "${GH}"\n`,
      },
      errors: [
        { file: 'app/payments.py', line: 2, severity: 'critical', message: ['Stripe live secret key'] },
        { file: 'deploy/id_rsa.pem', line: 1, message: ['private key'] },
        { file: '.env.example', line: 1, message: ['GitHub token'] },
        { file: 'alembic.ini', line: 2, message: ['admin'], fix: ['DATABASE_URL'] },
        { file: 'tests/test_keys.py', line: 1, severity: 'medium' },
      ],
    },
    {
      name: 'half credentials are medium: an AWS key id in a presigned-URL sample, a Google Maps key',
      files: {
        'app/aws/client.py': "SAMPLE = {'x-amz-credential': 'AKIASOZLZI5FJDJ6XTSZ/20220405/eu-central-1/s3/aws4_request'}\n",
        'app/settings.py': 'GOOGLE_MAP_API_KEY = "AIzaSyD31CT9P9KxvNUJOwDq2kcFEIG8ADgaFgw"\n',
        'deploy/aws.py': 'AWS_ACCESS_KEY_ID = "AKIA2E0A8F3B244C9986"\nAWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKE"\n',
      },
      errors: [
        { file: 'app/aws/client.py', line: 1, severity: 'medium', message: ['without its secret key'] },
        { file: 'app/settings.py', line: 1, severity: 'medium', message: ['restricted by referrer'] },
        { file: 'deploy/aws.py', line: 1, severity: 'critical', message: ['AWS access key id'] },
      ],
    },
  ],
});
