import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { ConfigCache, loadRepoConfig, mergeConfigs, type ConfigClient } from '../../src/github/config.js';
import { CallLog, api, finishNock } from './fake-github.js';

const known = new Set(['python/pydantic-v1', 'docker/no-cmd']);
const octokit = () => new ProbotOctokit({ auth: { token: 't' }, throttle: { enabled: false }, retry: { enabled: false } }) as unknown as ConfigClient;
const raw = { 'content-type': 'application/vnd.github.raw; charset=utf-8' };
const path = (repo: string) => new RegExp(`^/repos/acme/${repo.replace('.', '\\.')}/contents/\\.github(%2F|/)readiness\\.yml`);

let log: CallLog;
beforeEach(() => {
  nock.disableNetConnect();
  log = new CallLog();
});
afterEach(() => expect(finishNock(log)).toEqual({ unmatched: [], pending: [] }));

describe('loadRepoConfig (Probot config loader)', () => {
  test('no file in the repository nor in the org .github repository: defaults', async () => {
    const s = api(log);
    s.get(path('api')).reply(404, {});
    s.get(path('.github')).reply(404, {});
    const r = await loadRepoConfig(octokit(), 'acme', 'api', known);
    expect(r).toEqual({ ok: true, sources: [], config: expect.objectContaining({ failOn: 'critical', gate: 'all', comment: 'on-findings' }) });
  });

  test('the org-wide .github repository and _extends, merged deeply (lists concatenate, later wins)', async () => {
    const s = api(log);
    s.get(path('api')).reply(200, '_extends: .github\nfail_on: high\nrules:\n  docker/no-cmd: off\nignore: ["legacy/**"]\n', raw);
    s.get(path('.github')).reply(200, 'gate: new\nrules:\n  python/pydantic-v1: medium\nignore: ["vendor2/**"]\n', raw);
    const r = await loadRepoConfig(octokit(), 'acme', 'api', known);
    expect(r).toMatchObject({
      ok: true,
      sources: ['acme/api:.github/readiness.yml', 'acme/.github:.github/readiness.yml'],
      config: { failOn: 'high', gate: 'new', rules: { 'docker/no-cmd': 'off', 'python/pydantic-v1': 'medium' }, ignore: ['vendor2/**', 'legacy/**'] },
    });
  });

  test('invalid YAML: the parser message and its line', async () => {
    api(log).get(path('api')).reply(200, 'fail_on: high\nrules: [unclosed\n', raw);
    const r = await loadRepoConfig(octokit(), 'acme', 'api', known);
    expect(r).toMatchObject({ ok: false, error: { file: 'acme/api:.github/readiness.yml', message: expect.stringMatching(/^not valid YAML: /) } });
    expect(r.ok || r.error.line).toBeGreaterThanOrEqual(2);
  });

  test('a semantic error is located in the file that has it (one more request, only on errors)', async () => {
    const s = api(log);
    s.get(path('api')).reply(200, '_extends: .github\nfail_on: high\n', raw);
    const org = 'comment: always\nrules:\n  python/pydantic-v2: off\n';
    s.get(path('.github')).times(2).reply(200, org, raw);
    s.get(path('api')).reply(200, '_extends: .github\nfail_on: high\n', raw);
    const r = await loadRepoConfig(octokit(), 'acme', 'api', known);
    expect(r).toEqual({ ok: false, error: { file: 'acme/.github:.github/readiness.yml', line: 3, message: 'unknown rule "python/pydantic-v2"' } });
  });
});

test('mergeConfigs', () => {
  expect(mergeConfigs([{ a: 1, l: [1], m: { x: 1 } }, { a: 2, l: [2], m: { y: 2 } }])).toEqual({ a: 2, l: [1, 2], m: { x: 1, y: 2 } });
});

test('ConfigCache: time to live and invalidation', () => {
  let now = 0;
  const c = new ConfigCache(1000, () => now);
  const v = { ok: true as const, config: {} as never, sources: [] };
  c.set('Acme/API', v);
  expect(c.get('acme/api')).toBe(v);
  now = 1001;
  expect(c.get('acme/api')).toBeUndefined();
  c.set('acme/api', v);
  c.invalidate('ACME/api');
  expect(c.get('acme/api')).toBeUndefined();
  // A push to the org-wide .github repository drops every entry of that owner.
  c.set('acme/api', v);
  c.set('acme/web', v);
  c.set('other/api', v);
  c.invalidate('acme/.github');
  expect([c.get('acme/api'), c.get('acme/web'), c.get('other/api')]).toEqual([undefined, undefined, v]);
});
