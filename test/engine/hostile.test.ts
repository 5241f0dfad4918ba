import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MemorySnapshot } from '../../src/engine/memory-snapshot.js';
import { scan } from '../../src/engine/runner.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';

/** Every text file of a fixture directory, as an inline map. */
function load(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out[r] = readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

/** Small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = ['\0', '\uFFFD', '${', '${X:-', '"', "'", '`', '\\', '{{', '[[', '&a', '*a', '<<: *a', ':', '- ', '\t', '\r\n', '#', '//', '/*', '(', ')', 'import ', 'from . import', 'def ', 'class ', '@app.get(', 'CMD ', 'FROM ', 'COPY ', '%', '\u202e'];

function mutate(text: string, r: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.4) s = s.slice(0, at) + NASTY[Math.floor(r() * NASTY.length)] + s.slice(at);
    else if (op < 0.7) s = s.slice(0, at) + s.slice(at + Math.floor(r() * 40));
    else s = s.slice(0, at) + s.slice(Math.floor(r() * s.length)).slice(0, 200) + s.slice(at);
  }
  return s;
}

const SEEDS = [load('examples/broken-fastapi'), load('examples/healthy-fastapi'), load('test/fixtures/report-002'), load('test/fixtures/report-003')];

describe('hostile and broken input', () => {
  test('fuzz: mutated fixture repositories never crash a check (fixed time budget)', async () => {
    const until = Date.now() + 8000;
    let runs = 0;
    for (let seed = 1; Date.now() < until; seed++) {
      const r = rng(seed);
      const base = SEEDS[seed % SEEDS.length]!;
      const files: Record<string, string> = {};
      for (const [p, t] of Object.entries(base)) files[p] = r() < 0.5 ? mutate(t, r) : t;
      const result = await scan(new MemorySnapshot(files), { config: DEFAULT_CONFIG });
      const internal = result.notices.filter((n) => n.kind === 'internal');
      if (internal.length) throw new Error(`seed ${seed}: ${internal.map((n) => `${n.ruleId}: ${n.message}`).join('; ')}`);
      runs++;
    }
    expect(runs).toBeGreaterThan(3);
  });

  test('YAML alias bombs, deep nesting, huge and binary files give notices or findings, not crashes', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 15; i++) bomb.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(',')}]`);
    const files: Record<string, string | Buffer> = {
      'docker-compose.yml': `services:\n  api:\n    build: .\n${bomb.map((l) => `x-${l}`).join('\n')}\n`,
      'compose.yaml': bomb.join('\n'),
      'deep.py': 'x = ' + '['.repeat(3000) + ']'.repeat(3000) + '\n',
      'deep.json': '['.repeat(100000),
      'package.json': '{"dependencies": ' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5001),
      'big.py': 'x = 1\n'.repeat(400_000),
      'bin.py': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]),
      'compose.override.yml': Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28]),
      'odd name \u202e.py': 'import os\n',
      'Dockerfile': 'FROM \\\n'.repeat(5000),
      'requirements.txt': '-r requirements.txt\n-r other.txt\n',
      'other.txt': '-r requirements.txt\n',
    };
    const t0 = Date.now();
    const result = await scan(new MemorySnapshot(files), { config: DEFAULT_CONFIG });
    expect(Date.now() - t0).toBeLessThan(20000);
    expect(result.notices.filter((n) => n.kind === 'internal')).toEqual([]);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'big.py', reason: 'too-large' }),
        expect.objectContaining({ path: 'bin.py', reason: 'binary' }),
        expect.objectContaining({ path: 'compose.override.yml', reason: 'invalid-utf8' }),
      ]),
    );
  });
});
