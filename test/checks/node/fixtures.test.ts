import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_CHECKS } from '../../../checks/node/index.js';
import { LocalSnapshot } from '../../../src/engine/local-snapshot.js';
import { scan } from '../../../src/engine/runner.js';
import type { Finding } from '../../../src/engine/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => path.join(here, '../../fixtures', name);
const CONFIG = { failOn: 'critical' as const, ignore: [], rules: {}, comment: 'on-findings' as const, gate: 'all' as const, failOnError: false };

async function run(name: string): Promise<Finding[]> {
  const r = await scan(new LocalSnapshot(fixture(name)), { checks: NODE_CHECKS, config: CONFIG });
  expect(r.notices.filter((n) => n.kind === 'internal')).toEqual([]);
  return r.findings;
}

/** Every defect planted in test/fixtures/node-broken, at the line a reviewer would change. */
const EXPECTED = [
  'critical node/undeclared-dependency src/app.ts:2', // morgan is not in package.json
  'critical node/unresolved-import src/app.ts:3', // ./routes/Auth.js vs src/routes/auth.ts
  'critical node/unresolved-import src/app.ts:5', // requireAdmin is not exported
  'critical node/dev-dependency-at-runtime src/config.ts:1', // zod in devDependencies, npm ci --omit=dev
  'critical node/env-not-documented src/config.ts:11', // JWT_SECRET, no default, not in .env.example
  'high node/env-not-documented src/config.ts:12', // CACHE_TTL ?? '60'
  'critical node/port-not-from-env src/index.ts:6', // app.listen(3000) on Nixpacks
  'high node/router-not-mounted src/routes/admin.ts:4', // adminRouter imported nowhere
  'critical node/start-target-missing package.json:7', // tsc writes dist/src/index.js (scripts/ is compiled too)
  'critical node/prisma-schema-drift prisma/schema.prisma:13', // role String over the enum column
  'critical node/prisma-schema-drift prisma/schema.prisma:14', // avatarUrl has no column
  'critical node/migrations-not-run nixpacks.toml:8', // npm start never runs prisma migrate deploy
];

describe('fixture services', () => {
  test('node-broken: every planted defect is found at its line, and nothing else', async () => {
    const got = (await run('node-broken')).map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line}`);
    expect(got.sort()).toEqual([...EXPECTED].sort());
  });

  test('node-healthy: the same service with the defects fixed has no critical or high finding', async () => {
    const got = (await run('node-healthy')).filter((f) => f.severity === 'critical' || f.severity === 'high');
    expect(got.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`)).toEqual([]);
  });
});
