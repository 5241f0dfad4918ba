import nock from 'nock';
import { scan } from '../../src/engine/runner.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { RemoteTargetError, openGitHubSnapshot, parseGitHubTarget } from '../../src/github/remote.js';
import { CallLog, FakeRepo, MARKER_CHECK, api, finishNock, findingFiles, mockGraphql, mockTree } from './fake-github.js';

const SHA = 'c0ffee0000000000000000000000000000000001';
const shaReply = (s: nock.Scope, ref: string) =>
  s.get(`/repos/acme/api/commits/${ref}`).matchHeader('accept', 'application/vnd.github.v3.sha').reply(200, SHA, { 'content-type': 'application/vnd.github.sha; charset=utf-8' });

let log: CallLog;
beforeEach(() => {
  nock.disableNetConnect();
  log = new CallLog();
});
afterEach(() => expect(finishNock(log)).toEqual({ unmatched: [], pending: [] }));

test.each([
  ['github:acme/api', { owner: 'acme', repo: 'api' }],
  ['github:acme/api.git@release/1.2', { owner: 'acme', repo: 'api', ref: 'release/1.2' }],
  ['github:a-b/c.d_e@' + SHA, { owner: 'a-b', repo: 'c.d_e', ref: SHA }],
  ['acme/api', undefined],
  ['github:acme', undefined],
  ['github:-acme/api', undefined],
])('parseGitHubTarget(%s)', (t, want) => {
  expect(parseGitHubTarget(t)).toEqual(want);
});

test('with a token: ref resolved to a commit, one tree call, blobs through GraphQL', async () => {
  const fake = new FakeRepo();
  fake.commit(SHA, { 'README.md': '# x\n', ...findingFiles(4) });
  const s = api(log);
  shaReply(s, 'v1.2').matchHeader('authorization', 'token ghp_test');
  mockTree(s, fake, SHA);
  mockGraphql(s, fake);
  const snap = await openGitHubSnapshot('github:acme/api@v1.2', { env: { GITHUB_TOKEN: 'ghp_test' } });
  const r = await scan(snap, { checks: [MARKER_CHECK], config: DEFAULT_CONFIG });
  expect(snap.label).toBe('acme/api@c0ffee0');
  expect(r.findings).toHaveLength(4);
  expect(log.lines()).toEqual(['GET /repos/acme/api/commits/v1.2', `GET /repos/acme/api/git/trees/${SHA}`, 'POST /graphql']);
});

test('anonymous: no GraphQL (it needs a token); the tarball past a handful of files, REST blobs below', async () => {
  const fake = new FakeRepo();
  fake.commit(SHA, { '.github/readiness.yml': 'fail_on: high\n', ...findingFiles(40, (i) => `k${i}`), 'src/a.txt': 'x', 'src/b.txt': 'y', 'src/c.txt': 'z', 'src/d.txt': 'w', 'src/e.txt': 'v' });
  const s = api(log);
  shaReply(s, 'HEAD').matchHeader('authorization', (v) => v === undefined);
  mockTree(s, fake, SHA);
  // The runner reads the config file alone first: one REST blob, not a whole tarball.
  const cfg = fake.files(SHA).get('.github/readiness.yml')!;
  s.get(`/repos/acme/api/git/blobs/${cfg.sha}`).reply(200, { content: cfg.content.toString('base64'), encoding: 'base64' });
  s.get(`/repos/acme/api/tarball/${SHA}`).reply(200, fake.tarball(SHA), { 'content-type': 'application/x-gzip' });
  const snap = await openGitHubSnapshot('github:acme/api', { env: {} });
  const r = await scan(snap, { checks: [MARKER_CHECK] });
  expect(r.summary.failOn).toBe('high');
  expect(r.findings).toHaveLength(40);
  expect(snap.stats.strategy).toBe('tarball');
});

test('GHE_HOST selects the Enterprise API', async () => {
  const s = log.watch(nock('https://ghe.example.com'));
  s.get('/api/v3/repos/acme/api/commits/HEAD').reply(200, SHA, { 'content-type': 'text/plain' });
  const snap = await openGitHubSnapshot('github:acme/api', { env: { GHE_HOST: 'ghe.example.com', GITHUB_TOKEN: 't' } });
  expect(snap.label).toBe('acme/api@c0ffee0');
});

test('clear errors: not a target, not found (mentioning GITHUB_TOKEN when anonymous)', async () => {
  await expect(openGitHubSnapshot('gitlab:acme/api')).rejects.toThrow(RemoteTargetError);
  api(log).get('/repos/acme/private/commits/HEAD').reply(404, { message: 'Not Found' });
  await expect(openGitHubSnapshot('github:acme/private', { env: {} })).rejects.toThrow('acme/private: repository or ref not found (private repositories need GITHUB_TOKEN)');
});
