import check from '../../../checks/docs/missing-referenced-file.js';
import { checkTable } from '../../helpers/check-tester.js';

const md = (...lines: string[]) => ['# App', '', '```bash', ...lines, '```', ''].join('\n');

checkTable(check, {
  valid: [
    {
      name: 'every named file exists (compose overlay, script, requirements, env example)',
      files: {
        'README.md': md(
          'cp .env.example .env',
          'docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d',
          './scripts/deploy.sh',
          'bash scripts/seed.sh',
          'pip install -r requirements.txt',
          'python manage.py migrate',
        ),
        '.env.example': 'A=1\n',
        'docker-compose.yml': 'services: {}\n',
        'docker-compose.prod.yml': 'services: {}\n',
        'scripts/deploy.sh': 'echo hi\n',
        'scripts/seed.sh': 'echo hi\n',
        'requirements.txt': 'fastapi\n',
        'manage.py': '',
      },
    },
    {
      name: 'a virtualenv is never in the repository',
      files: { 'README.md': md('python -m venv venv', 'source venv/bin/activate', '. .venv/bin/activate', 'source env/bin/activate') },
    },
    {
      name: 'files created earlier in the same block: mkdir, touch, cp, redirect, -o, git clone',
      files: {
        'README.md': md(
          'mkdir -p certs && touch certs/.keep',
          'cp .env.example .env.production',
          'docker compose --env-file .env.production -f docker-compose.yml up -d',
          'python scripts/gen.py > docker-compose.override.yml',
          'docker compose -f docker-compose.override.yml up',
          'curl -fsSL https://example.org/install.sh -o install.sh && bash install.sh',
          'git clone https://github.com/acme/tools.git && ./tools/bootstrap.sh',
        ),
        '.env.example': 'A=1\n',
        'docker-compose.yml': 'services: {}\n',
        'scripts/gen.py': '',
      },
    },
    {
      name: 'paths follow cd, and a README in a sub-folder resolves against its own folder',
      files: {
        'README.md': md('cd backend && pip install -r requirements.txt', 'cd frontend', 'npm ci && node scripts/build.js'),
        'backend/requirements.txt': '',
        'frontend/scripts/build.js': '',
        'services/api/README.md': md('docker compose -f compose.dev.yml up'),
        'services/api/compose.dev.yml': 'services: {}\n',
      },
    },
    {
      name: 'URLs, globs, variables, absolute paths, home paths and placeholders are ignored',
      files: {
        'README.md': md(
          'bash <(curl -s https://example.org/x.sh)',
          'chmod +x scripts/*.sh',
          'source $HOME/.profile',
          'bash "$ROOT/deploy.sh"',
          'cp /etc/nginx/nginx.conf ./nginx.conf',
          'source ~/.bashrc',
          'cp <your-file> .env',
          'python path/to/your_script.py',
          'docker compose -f YOUR_COMPOSE_FILE up',
          'cd /opt/app && ./deploy.sh',
        ),
      },
    },
    {
      name: 'a bare script name in a README may be the reader’s own file',
      files: { 'README.md': md('python app.py', 'node server.js', 'pytest tests/test_api.py') },
    },
    {
      name: 'console blocks: only prompt lines are commands; output and other languages are ignored',
      files: {
        'README.md': [
          '```console',
          '$ ls',
          './scripts/missing.sh: No such file',
          '```',
          '```python',
          'open("data/missing.csv")',
          '```',
          '```',
          'GET /api/health -> ./not/a/command.sh',
          '```',
          '```powershell',
          '.\\venv\\Scripts\\activate',
          '```',
        ].join('\n'),
      },
    },
    {
      name: 'a quoted string over several lines is one argument (node -e "...")',
      files: {
        'scripts/regen.sh': ['#!/bin/bash', 'node -e "', "const mysql = require('mysql2/promise');", 'run(\'./lib/x.js\');', '"', 'echo done'].join('\n'),
      },
    },
    {
      name: 'test harness scripts, heredoc words, collection playbooks, and a recipe written for another tree',
      files: {
        'test/integration/targets/x/runme.sh': 'source virtualenv.sh\n./run-with-pty.py\n',
        'scripts/remote.sh': ['/usr/bin/env bash << EOF', 'echo hi', 'EOF', 'ansible-playbook ns.col.site.yml'].join('\n'),
        'packages/alpgen/install.sh': ['cp 2Qwork/2Qgen $i/bin/', 'cp 4Qwork/4Qgen $i/bin/', 'cp hjetwork/hjetgen $i/bin/'].join('\n'),
      },
    },
    {
      name: 'a cd in one block holds for the next blocks (numbered setup steps)',
      files: {
        'README.md': ['1. Go to the backend', '```bash', 'cd myproject/backend', '```', '2. Install', '```bash', 'pip install -r requirements.txt', 'python manage.py migrate', '```'].join('\n'),
        'backend/requirements.txt': '',
        'backend/manage.py': '',
      },
    },
    {
      name: 'a step that forgets which folder it runs in means one the doc cds into',
      files: {
        'README.md': ['```bash', 'cd app/backend', 'python manage.py migrate', '```', '```bash', 'cd app/frontend', 'npm start', '```', '```bash', 'python manage.py runserver', '```'].join('\n'),
        'backend/manage.py': '',
        'frontend/package.json': '{}',
      },
    },
    {
      name: 'an npm script starting a file a Docker build stage writes (Next standalone server.js)',
      files: {
        'package.json': JSON.stringify({ scripts: { 'start-server': 'node server.js' } }),
        Dockerfile: 'FROM node:20 AS builder\nRUN npm run build\nFROM node:20\nCOPY --from=builder /app/.next/standalone ./\nCMD ["node", "server.js"]\n',
      },
    },
    {
      name: 'a file-tree drawing in a bash block is not a command',
      files: { 'docs/guide.md': ['```bash', '# tests live next to components', 'Surface/', '  ├── Surface.tsx', '  └── index.ts', '```'].join('\n') },
    },
    {
      name: 'guarded, tolerated and gitignored files are optional',
      files: {
        'deploy.sh': [
          '#!/bin/sh',
          'if [ -f .env.production ]; then cp .env.production .env; fi',
          'source config/local.sh || true',
          'cp secrets/prod.json app/',
        ].join('\n'),
        '.gitignore': 'secrets/\n',
      },
    },
    {
      name: 'heredoc bodies, comments and build output are not commands',
      files: {
        'scripts/setup.sh': [
          '#!/bin/bash',
          '# ./scripts/old.sh used to live here',
          'cat <<EOF > run.sh',
          './scripts/inside-heredoc.sh',
          'EOF',
          'node dist/index.js',
          'java -jar target/app.jar',
        ].join('\n'),
      },
    },
    {
      name: 'a script cd-ing to its own folder resolves paths there; function bodies run elsewhere',
      files: {
        'scripts/ci/test.sh': ['#!/bin/bash', 'cd "$(dirname "$0")/../.."', 'docker compose -f compose.test.yml up', 'cleanup() {', '  rm -f x', '  ./teardown.sh', '}'].join('\n'),
        'compose.test.yml': 'services: {}\n',
      },
    },
    {
      name: 'Makefile targets create files, variables are unknown, package.json scripts run in their folder',
      files: {
        Makefile: ['VENV := .venv', 'requirements.txt: requirements.in', '\tpip-compile requirements.in', '', 'install: requirements.txt', '\t@pip install -r requirements.txt', '\t$(VENV)/bin/python scripts/x.py', ''].join('\n'),
        'requirements.in': 'fastapi\n',
        'scripts/x.py': '',
        'web/package.json': JSON.stringify({ scripts: { start: 'node server.js', seed: 'node ./db/seed.js' } }, null, 2),
        'web/server.js': '',
        'web/db/seed.js': '',
      },
    },
    {
      name: 'workflow steps honour working-directory',
      files: {
        '.github/workflows/ci.yml': [
          'on: push',
          'jobs:',
          '  test:',
          '    runs-on: ubuntu-latest',
          '    defaults:',
          '      run:',
          '        working-directory: backend',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - run: pip install -r requirements.txt',
          '      - run: |',
          '          python -m pip install -U pip',
          '          ./scripts/test.sh',
        ].join('\n'),
        'backend/requirements.txt': '',
        'backend/scripts/test.sh': '',
      },
    },
    {
      name: 'a project template’s README talks about the generated project',
      files: {
        'README.md': md('chmod +x scripts/build.sh', './scripts/build.sh'),
        '{{cookiecutter.project_slug}}/scripts/build.sh': '',
      },
    },
  ],
  invalid: [
    {
      name: 'the production compose file the README names was never committed',
      files: {
        'README.md': md('docker compose -f docker-compose.prod.yml up -d'),
        'docker-compose.yml': 'services: {}\n',
      },
      errors: [
        {
          file: 'README.md',
          line: 4,
          severity: 'high',
          message: ['docker-compose.prod.yml', 'docker compose -f docker-compose.prod.yml up -d', 'No such file'],
          fix: ['docker-compose.yml'],
        },
      ],
    },
    {
      name: 'a script, a sourced file and a copied env file that do not exist',
      files: {
        'README.md': md('./scripts/load_seed.sh', 'bash scripts/deploy.sh', 'cp .env.production .env', 'source scripts/env.sh'),
        'scripts/other.sh': '',
      },
      errors: [
        { file: 'README.md', line: 4, message: ['scripts/load_seed.sh'] },
        { file: 'README.md', line: 5, message: ['scripts/deploy.sh'] },
        { file: 'README.md', line: 6, message: ['.env.production', 'copies'] },
        { file: 'README.md', line: 7, message: ['scripts/env.sh', 'sources'] },
      ],
    },
    {
      name: 'cp .env.example .env fires only when .env.example is missing; later mentions are folded in',
      files: { 'README.md': md('cp .env.example .env', 'echo done', 'cp .env.example .env') },
      errors: [{ file: 'README.md', line: 4, message: ['.env.example', 'also on line 6'] }],
    },
    {
      name: 'cd into a folder that lacks the file; the fix names the file that exists elsewhere',
      files: {
        'README.md': md('cd backend && python manage.py migrate'),
        'backend/app/manage.py': '',
        'backend/app/__init__.py': '',
      },
      errors: [{ file: 'README.md', line: 4, message: ['backend/manage.py'], fix: ['backend/app/manage.py'] }],
    },
    {
      name: 'Makefile recipe with @ prefix and continuation, npm script and workflow step',
      files: {
        Makefile: ['deploy:', '\t@docker compose \\', '\t  -f deploy/compose.prod.yml up -d', ''].join('\n'),
        'package.json': JSON.stringify({ scripts: { migrate: 'node scripts/migrate.js' } }, null, 2),
        '.github/workflows/ci.yml': ['on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - run: |', '          pip install -r requirements-dev.txt', '          pytest tests/test_api.py'].join('\n'),
      },
      errors: [
        { file: 'Makefile', line: 2, message: ['deploy/compose.prod.yml', 'target `deploy`'] },
        { file: 'package.json', line: 3, message: ['scripts/migrate.js', 'npm script `migrate`'] },
        { file: '.github/workflows/ci.yml', line: 8, message: ['requirements-dev.txt', 'job `test`'] },
        { file: '.github/workflows/ci.yml', line: 9, message: ['tests/test_api.py'] },
      ],
    },
    {
      name: 'a devcontainer script installs from a requirements file that moved away',
      files: {
        '.devcontainer/on-create-command.sh': ['#!/bin/bash', 'set -e', 'python3 -m venv .venv', '. .venv/bin/activate', 'pip install -r requirements/dev.txt'].join('\n'),
        'pyproject.toml': '[project]\nname = "x"\n',
      },
      errors: [{ file: '.devcontainer/on-create-command.sh', line: 5, message: ['requirements/dev.txt'] }],
    },
    {
      name: 'a docs page runs from the project root; a cd into the clone folder reads from the root',
      files: {
        'docs/guide/load.md': ['```bash', 'python scripts/load_test.py', '```'].join('\n'),
        'README.md': ['```bash', 'cd "My Project"', 'pip install -r requirements.txt', '```'].join('\n'),
        'scripts/other.py': '',
        'backend/requirements.txt': '',
      },
      errors: [
        { file: 'docs/guide/load.md', line: 2, message: ['`scripts/load_test.py` is not in the repository'] },
        { file: 'README.md', line: 3, message: ['`requirements.txt` is not in the repository'], fix: ['backend/requirements.txt'] },
      ],
    },
    {
      name: 'an unlabelled block of commands and a bash block with prompts',
      files: {
        'docs/deploy.md': ['```', 'docker compose -f docker-compose.staging.yml up', '```', '```bash', '$ ./bin/release', 'Released!', '```'].join('\n'),
      },
      errors: [
        { file: 'docs/deploy.md', line: 2, message: ['docker-compose.staging.yml'] },
        { file: 'docs/deploy.md', line: 5, message: ['bin/release'] },
      ],
    },
  ],
});
