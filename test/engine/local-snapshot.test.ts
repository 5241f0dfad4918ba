import { writeTempRepo } from '../helpers/tmp-repo.js';
import { chmodSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { LocalSnapshot } from '../../src/engine/local-snapshot.js';


describe('LocalSnapshot', () => {
  test('honours nested .gitignore files and skips vendored folders and virtualenvs', async () => {
    const root = writeTempRepo({
      '.gitignore': 'dist/\n*.log\n',
      'app/main.py': 'x',
      'app/.gitignore': 'secret.txt\n!keep.log\n',
      'app/secret.txt': 's',
      'app/keep.log': 'k',
      'dist/out.js': 'o',
      'debug.log': 'l',
      'node_modules/x/index.js': 'n',
      'myenv/pyvenv.cfg': 'home = /usr',
      'myenv/lib/site.py': 'v',
    });
    const { entries, skipped } = await new LocalSnapshot(root).list();
    expect(entries.map((e) => e.path).sort()).toEqual(['.gitignore', 'app/.gitignore', 'app/keep.log', 'app/main.py']);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { path: 'dist', reason: 'gitignored' },
        { path: 'node_modules', reason: 'vendored' },
        expect.objectContaining({ path: 'myenv', reason: 'vendored' }),
      ]),
    );
  });

  test('never follows a symlink, and reports it', async () => {
    const root = writeTempRepo({ 'a.txt': 'a' });
    symlinkSync('/etc/passwd', path.join(root, 'passwd'));
    const snap = new LocalSnapshot(root);
    const { entries, skipped } = await snap.list();
    expect(entries.map((e) => e.path)).toEqual(['a.txt']);
    expect(skipped).toContainEqual({ path: 'passwd', reason: 'symlink' });
    const read = await snap.read(['passwd', '../../etc/passwd']);
    expect(read.files.size).toBe(0);
    expect(read.skipped.map((s) => s.reason).sort()).toEqual(['symlink', 'unreadable']);
  });

  test('skips files over the size cap and records the executable bit', async () => {
    const root = writeTempRepo({ 'big.json': Buffer.alloc(2048, 32), 'run.sh': '#!/bin/sh\n' });
    chmodSync(path.join(root, 'run.sh'), 0o755);
    const snap = new LocalSnapshot(root, { maxFileBytes: 1024 });
    const { entries } = await snap.list();
    expect(entries.find((e) => e.path === 'run.sh')?.executable).toBe(true);
    const read = await snap.read(['big.json', 'run.sh']);
    expect([...read.files.keys()]).toEqual(['run.sh']);
    expect(read.skipped[0]).toMatchObject({ path: 'big.json', reason: 'too-large' });
  });
});
