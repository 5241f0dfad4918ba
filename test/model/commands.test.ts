import {
  commandBlocks,
  createdBy,
  documentedFileRefs,
  fencedBlocks,
  fileRefs,
  logicalLines,
  looksLikeRepoPath,
  makeTargets,
  redirectsOf,
  replaceMakeVars,
  unwrapRunners,
} from '../../src/model/commands.js';
import { ProjectModel } from '../../src/model/project.js';
import { parseCommandLine } from '../../src/model/shell.js';

const raw = (...lines: string[]) => lines.map((text, i) => ({ line: i + 1, text }));
const cmd = (line: string) => parseCommandLine(line)[0]!;

describe('command blocks', () => {
  test('markdown: shell fences only, prompts stripped, cwd carried inside a block', () => {
    const model = ProjectModel.fromFiles({
      'README.md': [
        '```bash',
        '$ cd backend',
        '$ pip install -r requirements.txt',
        '```',
        '  ```sh',
        '  docker compose \\',
        '    -f compose.yml up',
        '  ```',
        '```js',
        'node x.js',
        '```',
      ].join('\n'),
    });
    const blocks = model.get(commandBlocks);
    expect(blocks).toHaveLength(2);
    const [a, b] = blocks;
    expect(a!.lines.map((l) => [l.line, l.commands[0]!.cwd, l.commands[0]!.argv.join(' ')])).toEqual([
      [2, '', 'cd backend'],
      [3, 'backend', 'pip install -r requirements.txt'],
    ]);
    expect(b!.lines.map((l) => [l.line, l.commands[0]!.argv.join(' ')])).toEqual([[6, 'docker compose -f compose.yml up']]);
  });

  test('fences: longer closing fences close, info strings keep the first word', () => {
    const f = fencedBlocks(['````shell title="x"', '```', 'echo', '````', '~~~ Bash', 'ls', '~~~'].join('\n'));
    expect(f.map((x) => [x.lang, x.body.length])).toEqual([
      ['shell', 2],
      ['bash', 1],
    ]);
  });

  test('logical lines: continuations joined, comments and heredoc bodies dropped', () => {
    const got = logicalLines(raw('# note', 'docker run \\', '  -p 80:80 img', "cat <<-'EOF' > out.txt", 'inside', 'EOF', 'echo after'));
    expect(got).toEqual([
      { line: 2, text: 'docker run  -p 80:80 img' },
      { line: 4, text: "cat <<-'EOF' > out.txt" },
      { line: 7, text: 'echo after' },
    ]);
  });

  test('Makefile: recipe lines with prefixes, variables replaced, targets, cwd not carried', () => {
    const text = ['.PHONY: up', 'X := 1', 'up: build/app.bin', '\t@cd deploy', '\t-./run.sh $(X) $$HOME', 'build/app.bin:', '\tgo build -o $@', ''].join('\n');
    const model = ProjectModel.fromFiles({ Makefile: text });
    const lines = model.get(commandBlocks).flatMap((b) => b.lines.map((l) => [b.label, l.line, l.commands[0]!.cwd, l.text]));
    expect(lines).toEqual([
      ['up', 4, '', 'cd deploy'],
      ['up', 5, '', './run.sh $MAKEVAR $HOME'],
      ['build/app.bin', 7, '', 'go build -o $MAKEVAR'],
    ]);
    expect(makeTargets(text)).toEqual(['build/app.bin']);
    expect(replaceMakeVars('$(shell echo $(X)) ${Y} $< $$z')).toBe('$MAKEVAR $MAKEVAR $MAKEVAR $z');
  });

  test('package.json scripts and workflow run steps keep their lines', () => {
    const model = ProjectModel.fromFiles({
      'api/package.json': '{\n  "name": "x",\n  "scripts": {\n    "start": "node server.js",\n    "name": "echo x"\n  }\n}\n',
      '.github/workflows/ci.yml': ['on: push', 'jobs:', '  t:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo one', '      - working-directory: web', '        run: |', '          npm ci', '', '          npm test'].join('\n'),
    });
    const got = model.get(commandBlocks).flatMap((b) => b.lines.map((l) => [b.file, b.bases[0], l.line, l.text]));
    expect(got).toEqual(
      expect.arrayContaining([
        ['api/package.json', 'api', 4, 'node server.js'],
        ['api/package.json', 'api', 5, 'echo x'],
        ['.github/workflows/ci.yml', '', 6, 'echo one'],
        ['.github/workflows/ci.yml', 'web', 9, 'npm ci'],
        ['.github/workflows/ci.yml', 'web', 11, 'npm test'],
      ]),
    );
  });

  test('a script: cd to its own folder, function bodies unknown', () => {
    const model = ProjectModel.fromFiles({
      'scripts/deploy.sh': ['#!/bin/sh', 'cd "$(dirname "$0")/.."', './x.sh', 'f() {', '  ./y.sh', '}', 'cd "$TARGET"', './z.sh'].join('\n'),
    });
    const cwds = model.get(commandBlocks)[0]!.lines.map((l) => [l.commands[0]!.argv[0], l.commands[0]!.cwd]);
    expect(cwds).toEqual([
      ['cd', ''],
      ['./x.sh', '@'],
      ['./y.sh', '?'],
      ['cd', '@'],
      ['./z.sh', '?'],
    ]);
  });

  test('invalid JSON and YAML become notices, not throws', () => {
    const model = ProjectModel.fromFiles({ 'package.json': '{', '.github/workflows/x.yml': 'a: [' });
    expect(model.get(commandBlocks)).toEqual([]);
    expect(model.notices.map((n) => n.file).sort()).toEqual(['.github/workflows/x.yml', 'package.json']);
  });
});

describe('what commands read and create', () => {
  test.each([
    ['docker compose -f a.yml --env-file .env.prod -p x up', ['a.yml', '.env.prod']],
    ['docker compose exec web ./manage.py migrate', []],
    ['docker build -f docker/Dockerfile .', ['docker/Dockerfile']],
    ['cp -r .env.example config.sample.yml dest/', ['.env.example', 'config.sample.yml']],
    ['python -W ignore manage.py migrate', ['manage.py']],
    ['python -m app.main', []],
    ['poetry run python scripts/seed.py', ['scripts/seed.py']],
    ['uv run --env-file .env python x.py', ['x.py']],
    ['uv run --group aws --with-editable . python scripts/build.py', ['scripts/build.py']],
    ['node --require ./tracing.js dist/index.js', ['dist/index.js']],
    ['tsx watch src/index.ts', ['src/index.ts']],
    ['pip install -r requirements/prod.txt -c constraints.txt', ['requirements/prod.txt', 'constraints.txt']],
    ['python -m pip install -e ./libs/core', ['./libs/core']],
    ['bash -x scripts/run.sh', ['scripts/run.sh']],
    ['. ./env.sh', ['./env.sh']],
    ['kubectl apply -f k8s/', ['k8s/']],
    ['chmod +x start.sh', ['start.sh']],
    ['bin/console cache:clear', ['bin/console']],
  ])('%s', (line, expected) => {
    expect(fileRefs(cmd(line)).map((r) => r.path)).toEqual(expected);
  });

  test.each([
    ['mkdir -p a/b c', ['a/b', 'c']],
    ['cp .env.example .env', ['.env', '.env/.env.example']],
    ['git clone https://github.com/x/tools.git', ['tools']],
    ['curl -fsSL https://x.org/get.sh -o get.sh', ['get.sh', 'get.sh']],
    ['python3 -m venv .venv', ['.venv']],
    ['ssh-keygen -f deploy_key', ['deploy_key', 'deploy_key.pub']],
    ['pip-compile requirements/base.in', ['requirements/base.txt']],
  ])('%s creates', (line, expected) => {
    expect(createdBy(cmd(line), redirectsOf(line)).paths).toEqual(expected);
  });

  test('redirects', () => {
    expect(redirectsOf('psql db < schema.sql > out.log 2>&1')).toEqual([
      { op: '<', target: 'schema.sql' },
      { op: '>', target: 'out.log' },
    ]);
  });

  test('runner prefixes', () => {
    expect(unwrapRunners(['cross-env', 'NODE_ENV=production', 'node', 'x.js'])).toEqual(['node', 'x.js']);
    expect(unwrapRunners(['dotenv', '-e', '.env.test', '--', 'jest'])).toEqual(['jest']);
    expect(unwrapRunners(['pipenv', 'run', 'pytest'])).toEqual(['pytest']);
  });

  test.each([
    ['scripts/x.sh', true],
    ['.env.example', true],
    ['<file>', false],
    ['path/to/file.py', false],
    ['your-script.sh', false],
    ['MY_FILE', false],
    ['https://x.org/a.sh', false],
    ['${ROOT}/a', false],
    ['*.sh', false],
    ['/etc/hosts', false],
  ])('looksLikeRepoPath(%s) = %s', (p, expected) => {
    expect(looksLikeRepoPath(p)).toBe(expected);
  });
});

describe('documentedFileRefs', () => {
  test('statuses: exists, missing, created, skipped', () => {
    const model = ProjectModel.fromFiles({
      'README.md': ['```bash', 'cp .env.example .env', 'touch data.txt && cp data.txt backup.txt', './missing.sh', 'source venv/bin/activate', '```'].join('\n'),
      '.env.example': '',
    });
    const got = model.get(documentedFileRefs).map((r) => [r.path, r.status]);
    expect(got).toEqual([
      ['.env.example', 'exists'],
      ['data.txt', 'created'],
      ['./missing.sh', 'missing'],
      ['venv/bin/activate', 'skipped'],
    ]);
  });
});
