import check from '../../../checks/python/undefined-name.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'late, conditional and TYPE_CHECKING bindings, builtins, comprehensions, class bodies',
      files: {
        'app/logic.py': [
          'from typing import TYPE_CHECKING',
          'if TYPE_CHECKING:',
          '    from app.models import User',
          'def handler(u: "User") -> int:',
          '    return helper(len([x for x in range(3) if x]))',
          'try:',
          '    import orjson as json',
          'except ImportError:',
          '    import json',
          'def helper(n):',
          '    return json.dumps({k: v for k, v in enumerate(range(n))})',
          'class Config:',
          '    BASE = "x"',
          '    FULL = BASE + "/y"',
          '    def method(self):',
          '        return self.BASE, __class__, __name__, __file__',
          'if True:',
          '    CONDITIONAL = 1',
          'def use():',
          '    return CONDITIONAL',
        ].join('\n'),
      },
    },
    {
      name: 'star imports, globals(), exec and NameError guards make names unknown',
      files: {
        'settings.py': 'from .base import *\nDEBUG = env("DEBUG")\n',
        'dyn.py': 'globals().update(dict(A=1))\nprint(A)\n',
        'compat.py': 'try:\n    text_type = unicode\nexcept NameError:\n    text_type = str\n',
      },
    },
    {
      name: 'argparse state under __main__ used by main() in a script nobody imports',
      files: {
        'tools/cli.py': 'import argparse\ndef main():\n    return args.verbose\nif __name__ == "__main__":\n    args = argparse.ArgumentParser().parse_args()\n    main()\n',
        'manage_data.py': 'import argparse\ndef main():\n    return opts.x\nif __name__ == "__main__":\n    opts = argparse.ArgumentParser().parse_args()\n    main()\n',
      },
    },
    {
      name: 'a release script importing sys in its __main__ block, imported by nobody',
      files: {
        'release/authors.py': 'def main():\n    sys.exit(1)\nif __name__ == "__main__":\n    import sys\n    main()\n',
      },
    },
    {
      name: 'tests, Python 2 files and syntax errors are skipped',
      files: {
        'tests/test_x.py': 'def test():\n    assert fixture_value\n',
        'legacy.py': 'print "hello"\nfoo()\n',
        'broken.py': 'def f(:\n    bar()\n',
      },
    },
  ],
  invalid: [
    {
      name: 'report 000: os imported only in the __main__ block of a module in the deployed tree',
      files: {
        Dockerfile: 'FROM python:3.11-slim\nWORKDIR /app\nCOPY backend/ .\nCMD ["uvicorn", "main:app"]\n',
        'backend/main.py': 'app = object()\n',
        'backend/auth.py':
          'from datetime import datetime\n\ndef api_key_valid(key: str) -> bool:\n    valid_api_keys = os.getenv("API_KEYS", "").split(",")\n    return key in valid_api_keys\n\nif __name__ == "__main__":\n    import os\n    print(os.environ.get("PASSWORD"))\n',
      },
      errors: [{ file: 'backend/auth.py', line: 4, severity: 'high', message: ['`os`', '__main__', 'line 8', 'NameError'], fix: ['Move the import to the top'] }],
    },
    {
      name: 'a typo, a missing import, a class-scope name from a method',
      files: {
        'svc/api.py': 'import logging\nlog = logging.getLogger(__name__)\ndef f():\n    logger.info("x")\n    return datetime.now()\nclass A:\n    LIMIT = 3\n    def g(self):\n        return LIMIT\n',
      },
      errors: [
        { file: 'svc/api.py', line: 4, message: ['logger'] },
        { file: 'svc/api.py', line: 5, message: ['datetime'] },
        { file: 'svc/api.py', line: 9, message: ['LIMIT'] },
      ],
    },
    {
      name: 'state bound under __main__ in a module the app imports',
      files: {
        'app/db.py': 'def get():\n    return engine.connect()\nif __name__ == "__main__":\n    engine = object()\n',
        'app/main.py': 'from app.db import get\n',
        'app/__init__.py': '',
      },
      errors: [{ file: 'app/db.py', line: 2, message: ['engine', 'only under'] }],
    },
  ],
});
