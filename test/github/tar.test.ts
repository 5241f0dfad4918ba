import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { TarError, readTar } from '../../src/github/tar.js';
import { gitBlobSha } from '../../src/github/snapshot.js';

/** A real `git archive` of a tiny repository: the format GitHub serves. */
function gitArchive(files: Record<string, string>): { tgz: Buffer; shas: Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-tar-'));
  try {
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), c);
    }
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], { cwd: dir });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'x');
    const tgz = git('archive', '--format=tar.gz', '--prefix=owner-repo-abc1234/', 'HEAD');
    const shas: Record<string, string> = {};
    for (const p of Object.keys(files)) shas[p] = String(git('rev-parse', `HEAD:${p}`)).trim();
    return { tgz, shas };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function gunzipped(buf: Buffer, chunk = 333): AsyncIterable<Buffer> {
  // Small chunks so headers and data straddle chunk boundaries.
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return Readable.from(parts).pipe(createGunzip());
}

const longPath = `${'deeply/'.repeat(20)}nested/module_with_a_long_name.py`;

describe('readTar', () => {
  const files = {
    'app/main.py': 'print("hi")\n',
    'README.md': '# readme\n',
    [longPath]: 'x = 1\n',
    'data/big.csv': 'a,b\n'.repeat(5000),
    'empty.txt': '',
  };
  const { tgz, shas } = gitArchive(files);

  test('keeps only wanted files, strips the top folder, handles pax long paths and empty files', async () => {
    const got = new Map<string, string>();
    const stats = await readTar(gunzipped(tgz), {
      want: (p) => p !== 'data/big.csv',
      onFile: (p, b) => void got.set(p, b.toString()),
    });
    expect([...got.keys()].sort()).toEqual(['README.md', 'app/main.py', 'empty.txt', longPath].sort());
    expect(got.get(longPath)).toBe('x = 1\n');
    expect(got.get('empty.txt')).toBe('');
    expect(stats.entries).toBe(5);
    expect(stats.stopped).toBe(false);
  });

  test('content hashes to the git blob SHA (how the snapshot verifies tarball files)', async () => {
    const got = new Map<string, Buffer>();
    await readTar(gunzipped(tgz, 4096), { want: () => true, onFile: (p, b) => void got.set(p, b) });
    for (const [p, sha] of Object.entries(shas)) expect(gitBlobSha(got.get(p)!)).toBe(sha);
  });

  test('stops as soon as the caller has everything', async () => {
    let seen = 0;
    const stats = await readTar(gunzipped(tgz), { want: (p) => p === 'README.md', onFile: () => (++seen, true) });
    expect(seen).toBe(1);
    expect(stats.stopped).toBe(true);
  });

  test('a byte cap bounds hostile archives', async () => {
    await expect(readTar(gunzipped(tgz), { want: () => true, onFile: () => {}, maxTotalBytes: 4096 })).rejects.toThrow(TarError);
  });

  test('garbage and truncated archives fail with TarError, never hang', async () => {
    await expect(readTar(Readable.from([Buffer.alloc(1024, 7)]), { want: () => true, onFile: () => {} })).rejects.toThrow(TarError);
    const badSum = Buffer.alloc(1024);
    badSum.write('file.txt', 0);
    badSum.write('0000644\0', 100);
    badSum.write('00000000001\0', 124);
    badSum.write('0000000\0', 148);
    await expect(readTar(Readable.from([badSum]), { want: () => true, onFile: () => {} })).rejects.toThrow(/checksum/);
    const whole = (await import('node:zlib')).gunzipSync(tgz);
    const cut = whole.subarray(0, 512 + 100);
    await expect(readTar(Readable.from([cut]), { want: () => true, onFile: () => {} })).rejects.toThrow(/middle of an entry/);
    // A gzip stream of a valid empty archive is fine.
    await expect(readTar(Readable.from([gzipSync(Buffer.alloc(1024))]).pipe(createGunzip()), { want: () => true, onFile: () => {} })).resolves.toMatchObject({ entries: 0 });
  });
});
