import { parseCommandLine } from '../../src/model/shell.js';

describe('parseCommandLine', () => {
  test('follows cd, unwraps sh -c and exec, keeps env assignments', () => {
    const cmds = parseCommandLine('cd backend && sh -c "alembic upgrade head && exec uvicorn app.main:app --port ${PORT:-8000}"');
    expect(cmds.map((c) => [c.cwd, c.argv.join(' ')])).toEqual([
      ['', 'cd backend'],
      ['backend', 'alembic upgrade head'],
      ['backend', 'uvicorn app.main:app --port ${PORT:-8000}'],
    ]);
  });

  test('records the joining operator and leading assignments', () => {
    const cmds = parseCommandLine('NODE_ENV=production node dist/index.js || true # done');
    expect(cmds[0]).toMatchObject({ argv: ['node', 'dist/index.js'], env: { NODE_ENV: 'production' } });
    expect(cmds[1]).toMatchObject({ argv: ['true'], joinedBy: '||' });
    expect(cmds).toHaveLength(2);
  });

  test('an unbalanced quote yields no commands instead of throwing', () => {
    expect(() => parseCommandLine('echo "unterminated')).not.toThrow();
  });
});
