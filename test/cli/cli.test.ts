import { writeTempRepo } from '../helpers/tmp-repo.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli.js';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, get text() { return text; } };
}

async function cli(args: string[]) {
  const out = capture();
  const err = capture();
  const code = await main(args, { stdout: out.stream as unknown as typeof process.stdout, stderr: err.stream as unknown as typeof process.stderr });
  return { code, out: out.text, err: err.text };
}


describe('readiness CLI', () => {
  test('exit 2 with a one-line reason on usage errors and a missing directory', async () => {
    for (const args of [['scan', '/no/such/dir'], ['scan', '.', '--format', 'xml'], ['scan', '.', '--fail-on', 'urgent'], ['frobnicate'], ['scan', '.', '--only', 'nope/rule']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^readiness: /);
    }
  });

  test('exit 2 on an invalid config, naming the key and line', async () => {
    const dir = writeTempRepo({ '.github/readiness.yml': 'fail_on: high\nfailon: low\n' });
    const r = await cli(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('.github/readiness.yml:2: unknown key "failon"');
  });

  test('exit 0 on a clean repository, and json output parses', async () => {
    const dir = writeTempRepo({ 'README.md': '# hello\n' });
    const r = await cli(['scan', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).summary.verdict).toBe('READY');
  });

  test('the broken example is not deployable (exit 1) and the healthy one is ready', async () => {
    const broken = await cli(['scan', 'examples/broken-fastapi']);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('NOT DEPLOYABLE');
    const healthy = await cli(['scan', 'examples/healthy-fastapi', '--fail-on', 'high']);
    expect(healthy.out).toContain('READY');
    expect(healthy.code).toBe(0);
  });

  test('--fail-on none always exits 0; --output writes a file', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'readiness-out-')), 'r.sarif');
    const r = await cli(['scan', 'examples/broken-fastapi', '--fail-on', 'none', '--format', 'sarif', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
  });
});
