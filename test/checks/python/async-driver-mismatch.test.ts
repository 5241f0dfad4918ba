import check from '../../../checks/python/async-driver-mismatch.js';
import { checkTable } from '../../helpers/check-tester.js';

const CONFIG = (extra = '') => `from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    DATABASE_URL: str = "postgresql+asyncpg://app:app@localhost/app"\n${extra}settings = Settings()\n`;
const DB = 'from sqlalchemy.ext.asyncio import create_async_engine\nfrom app.config import settings\nengine = create_async_engine(settings.DATABASE_URL, pool_pre_ping=True)\n';

checkTable(check, {
  valid: [
    {
      name: 'asyncpg everywhere',
      files: { 'app/config.py': CONFIG(), 'app/db.py': DB, '.env.example': 'DATABASE_URL=postgresql+asyncpg://app:CHANGE@db/app\n' },
    },
    {
      name: 'psycopg 3 works with asyncio; aiosqlite literal; the sync engine with a sync URL',
      files: {
        'a.py': 'from sqlalchemy.ext.asyncio import create_async_engine\ne = create_async_engine("postgresql+psycopg://u:p@db/app")\nt = create_async_engine("sqlite+aiosqlite:///./test.db")\n',
        'b.py': 'from sqlalchemy import create_engine\ne = create_engine("postgresql://u:p@db/app")\n',
      },
    },
    {
      name: 'a validator or .replace() rewrites the URL; an unknown value',
      files: {
        'app/config.py': 'from pydantic import field_validator\nfrom pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    DATABASE_URL: str = "postgresql://localhost/app"\n    @field_validator("DATABASE_URL")\n    @classmethod\n    def asyncpg(cls, v):\n        return v.replace("postgresql://", "postgresql+asyncpg://", 1)\nsettings = Settings()\n',
        'app/db.py': DB,
        'app/db2.py': 'import os\nfrom sqlalchemy.ext.asyncio import create_async_engine\ne = create_async_engine(os.environ["DATABASE_URL"].replace("postgres://", "postgresql+asyncpg://"))\nf = create_async_engine(os.environ["OTHER_URL"])\n',
      },
    },
    {
      name: 'one documented value is async: the deploy may well be right',
      files: {
        'app/config.py': CONFIG(),
        'app/db.py': DB,
        '.env.example': 'DATABASE_URL=postgresql://app:CHANGE@db/app\n',
      },
    },
  ],
  invalid: [
    {
      name: 'settings default and .env.example both name the sync driver',
      files: {
        'app/config.py': CONFIG().replace('postgresql+asyncpg://', 'postgresql://'),
        'app/db.py': DB,
        '.env.example': 'DATABASE_URL=postgresql://app:CHANGE@db/app\n',
      },
      errors: [{ file: 'app/db.py', line: 3, severity: 'high', message: ['create_async_engine', 'settings.DATABASE_URL', 'psycopg2', '.env.example:1'], fix: ['postgresql+asyncpg://'] }],
    },
    {
      name: 'os.getenv with a sqlite default; a module constant; asyncpg in a sync engine',
      files: {
        'db.py': 'import os\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.ext.asyncio import create_async_engine\nDATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./app.db")\nengine = create_async_engine(DATABASE_URL)\nsync = create_engine("postgresql+asyncpg://u:p@db/app")\n',
      },
      errors: [
        { file: 'db.py', line: 5, message: ['DATABASE_URL', 'pysqlite'], fix: ['sqlite+aiosqlite'] },
        { file: 'db.py', line: 6, message: ['create_engine', 'asyncpg', 'greenlet_spawn'] },
      ],
    },
    {
      name: 'a Heroku-style postgres:// URL in the compose environment',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    image: api\n    environment:\n      DB_URL: postgres://app:pw@db:5432/app\n',
        'svc/db.py': 'import os\nfrom sqlalchemy.ext.asyncio import create_async_engine\nengine = create_async_engine(os.environ["DB_URL"])\n',
      },
      errors: [{ file: 'svc/db.py', line: 3, message: ['postgres', 'docker-compose.yml:5'] }],
    },
  ],
});
