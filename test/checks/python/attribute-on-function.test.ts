import check from '../../../checks/python/attribute-on-function.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'settings object, called functions, cache helpers, dunders',
      files: {
        'config.py': 'from functools import lru_cache\nclass Settings:\n    REDIS_URL = "redis://"\nsettings = Settings()\n@lru_cache\ndef get_settings():\n    return Settings()\n',
        'main.py': 'from config import settings, get_settings\nprint(settings.REDIS_URL, get_settings().REDIS_URL)\nget_settings.cache_clear()\nprint(get_settings.__name__)\n',
      },
    },
    {
      name: 'decorated functions may be objects (Celery tasks, click commands)',
      files: {
        'tasks.py': 'from celery import shared_task\n@shared_task\ndef send(x):\n    return x\n',
        'api.py': 'from tasks import send\nsend.delay(1)\n',
      },
    },
    {
      name: 'a local rebinding shadows the import; attributes set on the function',
      files: {
        'config.py': 'def settings():\n    return 1\nsettings.cached = None\n',
        'a.py': 'from config import settings\ndef f():\n    settings = load()\n    return settings.REDIS_URL\n',
        'b.py': 'from config import settings\nprint(settings.cached)\n',
        'memo.py': 'def load():\n    if not hasattr(load, "value"):\n        setattr(load, "value", 1)\n    return load.value\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: settings is a function in config.py',
      files: {
        'backend/config.py': 'class Settings:\n    REDIS_URL = "redis://"\ndef settings():\n    return Settings()\n',
        'backend/main.py': 'import redis\nfrom config import settings\n\ndef health():\n    client = redis.from_url(settings.REDIS_URL)\n    return client.ping()\n',
      },
      errors: [{ file: 'backend/main.py', line: 5, severity: 'critical', message: ['settings.REDIS_URL', 'backend/config.py:3', 'AttributeError'], fix: ['settings()'] }],
    },
    {
      name: 'through a package re-export, and a cached function',
      files: {
        'app/__init__.py': '',
        'app/core/__init__.py': 'from .config import get_settings as settings\n',
        'app/core/config.py': 'import functools\n@functools.lru_cache()\ndef get_settings():\n    return object()\n',
        'app/main.py': 'from app.core import settings\nDB = settings.DATABASE_URL\n',
      },
      errors: [{ file: 'app/main.py', line: 2, message: ['DATABASE_URL', 'app/core/config.py:3', 'cache decorator'] }],
    },
  ],
});
