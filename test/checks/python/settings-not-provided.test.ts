import check from '../../../checks/python/settings-not-provided.js';
import { checkTable } from '../../helpers/check-tester.js';

const CONFIG_003 = [
  'from functools import lru_cache',
  'from pydantic import Field, field_validator',
  'from pydantic_settings import BaseSettings, SettingsConfigDict',
  '',
  'class Settings(BaseSettings):',
  '    model_config = SettingsConfigDict(env_file=".env", extra="ignore")',
  '',
  '    database_url: str',
  '    default_tenant_id: str',
  '    jwt_secret_key: str = Field(min_length=32)',
  '    encryption_key: str',
  '    anthropic_api_key: str',
  '    stripe_secret_key: str | None = None',
].join('\n');
const ENV_003 = '# Required: set these in the Railway dashboard.\nDATABASE_URL=\nDEFAULT_TENANT_ID=\nJWT_SECRET_KEY=\nENCRYPTION_KEY=\nANTHROPIC_API_KEY=\n# Optional\nSTRIPE_SECRET_KEY=\n';
const PROCFILE = 'web: uvicorn app.main:app --host 0.0.0.0 --port $PORT\n';

checkTable(check, {
  valid: [
    {
      name: 'an optional setting documented as a commented-out line of .env.example',
      files: {
        'Procfile': 'web: uvicorn app.main:app --host 0.0.0.0 --port $PORT\n',
        '.env.example': 'DATABASE_URL=\n# SENTRY_DSN=https://key@sentry.example/1\n',
        'app/config.py': 'import os\n\nDATABASE_URL = os.environ["DATABASE_URL"]\nSENTRY_DSN = os.getenv("SENTRY_DSN", "")\n',
      },
    },
    {
      name: 'report 003: every required setting is in .env.example (case-insensitive names)',
      files: { 'backend/Procfile': PROCFILE, 'backend/.env.example': ENV_003, 'backend/app/config.py': CONFIG_003 },
    },
    {
      name: 'report 003 as written: the required variables are listed in a markdown file',
      files: {
        'backend/Procfile': PROCFILE,
        'backend/app/config.py': CONFIG_003,
        'BACKEND_ENVIRONMENT_VARIABLES_REQUIRED.md': '# Required\n1. `DATABASE_URL`\n2. `DEFAULT_TENANT_ID`\n3. `JWT_SECRET_KEY`\n4. `ENCRYPTION_KEY`\n5. `ANTHROPIC_API_KEY`\n',
      },
    },
    {
      name: 'services built by compose are compose/env-not-passed\'s',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build: .\n    environment:\n      REDIS_URL: redis://redis\n',
        'Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["python", "app.py"]\n',
        'app.py': 'import os\nSECRET = os.environ["SECRET_KEY"]\n',
      },
    },
    {
      name: 'a library with no env file and no deploy description',
      files: { 'lib/client.py': 'import os\nTOKEN = os.environ["LIB_TOKEN"]\n' },
    },
    {
      name: 'provided by a Kubernetes manifest, a Dockerfile ENV, or defaulted; tests, scripts and ambient names do not count',
      files: {
        'Dockerfile': 'FROM python:3.12\nENV APP_MODE=prod\nCMD ["gunicorn", "app:app"]\n',
        'k8s/deployment.yaml': 'spec:\n  template:\n    spec:\n      containers:\n        - env:\n            - name: DATABASE_URL\n              valueFrom: {secretKeyRef: {name: db, key: url}}\n',
        'app.py': 'import os\nDB = os.environ["DATABASE_URL"]\nMODE = os.environ["APP_MODE"]\nLOG = os.getenv("LOG_LEVEL", "info")\nPORT = int(os.environ["PORT"])\n',
        'tests/conftest.py': 'import os\nTEST_DB = os.environ["TEST_DATABASE_URL"]\n',
        'scripts/seed.py': 'import os\nSEED = os.environ["SEED_FILE"]\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a required pydantic field that .env.example and the platform never mention',
      files: {
        'backend/Procfile': PROCFILE,
        'backend/.env.example': ENV_003.replace('ENCRYPTION_KEY=\n', ''),
        'backend/app/config.py': CONFIG_003,
      },
      errors: [{ file: 'backend/app/config.py', line: 11, severity: 'critical', message: ['ENCRYPTION_KEY', 'Settings.encryption_key', 'ValidationError'], fix: ['ENCRYPTION_KEY=', 'backend/.env.example'] }],
    },
    {
      name: 'env_prefix and aliases give the names; os.environ[], getenv without default, a refused default',
      files: {
        'Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["uvicorn", "svc.main:app"]\n',
        '.env.example': 'SVC_DATABASE_URL=\n',
        'svc/config.py': [
          'import os',
          'from pydantic import Field, field_validator',
          'from pydantic_settings import BaseSettings, SettingsConfigDict',
          'class Settings(BaseSettings):',
          '    model_config = SettingsConfigDict(env_prefix="SVC_")',
          '    database_url: str',
          '    api_token: str = Field(validation_alias="UPSTREAM_TOKEN")',
          '    secret_key: str = "dev"',
          '    @field_validator("secret_key")',
          '    @classmethod',
          '    def not_dev(cls, v):',
          '        if v == "dev":',
          '            raise ValueError("set SVC_SECRET_KEY")',
          '        return v',
          'SENTRY = os.getenv("SENTRY_DSN")',
          'BUCKET = os.environ["S3_BUCKET"]',
        ].join('\n'),
      },
      errors: [
        { file: 'svc/config.py', line: 7, severity: 'critical', message: ['UPSTREAM_TOKEN'] },
        { file: 'svc/config.py', line: 8, severity: 'high', message: ['SVC_SECRET_KEY', 'validator'] },
        { file: 'svc/config.py', line: 15, severity: 'low', message: ['SENTRY_DSN', 'returns None'] },
        { file: 'svc/config.py', line: 16, severity: 'critical', message: ['S3_BUCKET', 'KeyError'], fix: ['.env.example'] },
      ],
    },
  ],
});
