import { ProjectModel } from '../../../src/model/project.js';
import { dockerfiles, parseDockerfile, repoPathFor } from '../../../src/model/deploy/index.js';

const MULTI = `ARG PY=3.11
FROM python:\${PY}-slim AS builder
WORKDIR /build
COPY requirements.txt .
RUN pip wheel -r requirements.txt \\
    # wheels for the runtime stage
    -w /wheels
FROM python:\${PY}-slim
WORKDIR /app
COPY --from=builder /wheels /wheels
COPY . .
ENV APP_ENV=production SECRET_KEY=changeme
ARG BUILD_TOKEN
EXPOSE 8000
HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
USER app
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["gunicorn", "app.main:app", "--bind", "0.0.0.0:$PORT"]
`;

describe('parseDockerfile', () => {
  const df = parseDockerfile('backend/Dockerfile', MULTI);

  test('stages, ARG in FROM, names', () => {
    expect(df.stages.map((s) => [s.name, s.image, s.resolvedImage, s.line])).toEqual([
      ['builder', 'python:${PY}-slim', 'python:3.11-slim', 2],
      [undefined, 'python:${PY}-slim', 'python:3.11-slim', 8],
    ]);
    expect(df.globalArgs).toEqual([{ kind: 'ARG', name: 'PY', value: '3.11', line: 1 }]);
  });

  test('copies, env, args, expose, healthcheck, user, runs with lines', () => {
    const f = df.final!;
    expect(f.copies.map((c) => [c.sources, c.dest, c.from, c.workdir, c.line])).toEqual([
      [['/wheels'], '/wheels', 'builder', '/app', 10],
      [['.'], '.', undefined, '/app', 11],
    ]);
    expect(f.env.map((e) => [e.name, e.value, e.line])).toEqual([
      ['APP_ENV', 'production', 12],
      ['SECRET_KEY', 'changeme', 12],
    ]);
    expect(f.args).toEqual([{ kind: 'ARG', name: 'BUILD_TOKEN', line: 13 }]);
    expect(f.expose).toEqual([{ port: '8000', line: 14 }]);
    expect(f.healthcheck?.line).toBe(15);
    expect(f.user).toEqual({ name: 'app', line: 16 });
    const run = df.stages[0]!.runs[0]!;
    expect([run.line, run.endLine]).toEqual([5, 7]);
    expect(run.commands[0]!.argv).toEqual(['pip', 'wheel', '-r', 'requirements.txt', '-w', '/wheels']);
  });

  test('exec-form ENTRYPOINT + CMD combine; $PORT stays literal', () => {
    const s = df.start!;
    expect(s.exec).toBe(true);
    expect(s.line).toBe(18);
    expect(s.argv).toEqual(['/app/entrypoint.sh', 'gunicorn', 'app.main:app', '--bind', '0.0.0.0:$PORT']);
    expect(s.commands[0]!.argv[4]).toBe('0.0.0.0:$PORT');
  });

  test('shell-form CMD is split; shell ENTRYPOINT ignores CMD', () => {
    const a = parseDockerfile('Dockerfile', 'FROM node:20\nCMD cd api && npm run migrate && exec node dist/index.js\n');
    expect(a.start?.exec).toBe(false);
    expect(a.start?.cmd?.form).toBe('shell');
    expect(a.start?.commands.map((c) => [c.cwd, c.argv.join(' ')])).toEqual([
      ['', 'cd api'],
      ['api', 'npm run migrate'],
      ['api', 'node dist/index.js'],
    ]);
    const b = parseDockerfile('Dockerfile', 'FROM node:20\nENTRYPOINT node server.js\nCMD ["ignored"]\n');
    expect(b.start?.cmd).toBeUndefined();
    expect(b.start?.argv).toEqual(['/bin/sh', '-c', 'node server.js']);
  });

  test('CMD inherits through FROM <stage>; ENTRYPOINT in the child resets it', () => {
    const a = parseDockerfile('Dockerfile', 'FROM node:20 AS base\nCMD ["node", "a.js"]\nFROM base\nRUN true\n');
    expect(a.start?.argv).toEqual(['node', 'a.js']);
    expect(a.final?.parentStage).toBe(0);
    const b = parseDockerfile('Dockerfile', 'FROM node:20 AS base\nCMD ["node", "a.js"]\nFROM base\nENTRYPOINT ["tini", "--"]\n');
    expect(b.start?.argv).toEqual(['tini', '--']);
    expect(parseDockerfile('Dockerfile', 'FROM node:20\n').start).toBeUndefined();
  });

  test('heredoc RUN bodies are commands; garbage does not throw', () => {
    const a = parseDockerfile('Dockerfile', 'FROM x\nRUN <<EOT\nset -e\nalembic upgrade head\nEOT\n');
    expect(a.final?.runs[0]?.commands.map((c) => c.argv[0])).toEqual(['set', 'alembic']);
    expect(() => parseDockerfile('Dockerfile', '\u0000FROM [[[\nCMD ["a"\n')).not.toThrow();
  });
});

describe('dockerfiles facts and container paths', () => {
  const model = ProjectModel.fromFiles({
    'backend/Dockerfile': MULTI,
    'backend/entrypoint.sh': '#!/bin/sh\n',
    'backend/app/main.py': '',
    'Dockerfile.dev': 'FROM python:3.12\n',
    'docs/Dockerfile.md': '# not a dockerfile',
    'Dockerfile.dockerignore': '.env',
  });

  test('finds Dockerfile, Dockerfile.*, skips docs and ignore files', () => {
    expect(model.get(dockerfiles).map((d) => d.file)).toEqual(['Dockerfile.dev', 'backend/Dockerfile']);
  });

  test('maps an image path back to the repo file COPY put there', () => {
    const df = model.get(dockerfiles).find((d) => d.file === 'backend/Dockerfile')!;
    expect(repoPathFor(model, df, '/app/entrypoint.sh')).toBe('backend/entrypoint.sh');
    expect(repoPathFor(model, df, '/app/app/main.py')).toBe('backend/app/main.py');
    expect(repoPathFor(model, df, '/app/missing.sh')).toBeUndefined();
  });
});
