import { Octokit } from '@octokit/rest';
import nock from 'nock';
import {
  BlobFetcher,
  GitHubSnapshot,
  TARBALL_MIN_MISSING_BLOBS,
  createReadCache,
  emptyStats,
  gitBlobSha,
} from '../../src/github/snapshot.js';
import { API, CallLog, FakeRepo, api, finishNock, mockGraphql, mockTree } from './fake-github.js';

const client = () => new Octokit({ auth: 'ghs_test', log: { debug() {}, info() {}, warn() {}, error() {} } });
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

let log: CallLog;
beforeEach(() => {
  nock.disableNetConnect();
  log = new CallLog();
});
afterEach(() => {
  expect(finishNock(log)).toEqual({ unmatched: [], pending: [] });
});

describe('GitHubSnapshot listing', () => {
  test('one tree call: executable bit from mode, symlinks and submodules skipped, vendored folders and virtualenvs left out', async () => {
    const fake = new FakeRepo();
    fake.commit(
      A,
      { 'start.sh': '#!/bin/sh\n', 'app/main.py': 'x', 'node_modules/lib/index.js': 'y', 'env/pyvenv.cfg': 'home=/usr', 'env/lib/site.py': 'z' },
      { executable: ['start.sh'], symlinks: { 'link.py': 'app/main.py' } },
    );
    const scope = api(log);
    scope
      .get(`/repos/acme/api/git/trees/${A}`)
      .query({ recursive: '1' })
      .reply(200, () => {
        const t = fake.tree(A);
        t.tree.push({ path: 'vendor-sub', mode: '160000', type: 'commit', sha: 'c'.repeat(40) });
        return t;
      });
    const snap = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A });
    const { entries, skipped } = await snap.list();
    expect(entries).toEqual([
      { path: 'app/main.py', size: 1, executable: false },
      { path: 'start.sh', size: 10, executable: true },
    ]);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { path: 'link.py', reason: 'symlink' },
        { path: 'node_modules', reason: 'vendored' },
        { path: 'env', reason: 'vendored', detail: 'Python virtual environment' },
        { path: 'vendor-sub', reason: 'unreadable', detail: 'git submodule' },
      ]),
    );
    // Memoised: a second list() makes no request.
    await snap.list();
    expect(log.lines()).toEqual([`GET /repos/acme/api/git/trees/${A}`]);
  });

  test('a truncated recursive tree is walked subtree by subtree, splitting only what is still truncated', async () => {
    const scope = api(log);
    const blob = (p: string) => ({ path: p, mode: '100644', type: 'blob', sha: gitBlobSha(Buffer.from(p)), size: p.length });
    scope.get(`/repos/acme/api/git/trees/${A}`).query({ recursive: '1' }).reply(200, { sha: 'root', tree: [blob('README.md')], truncated: true });
    scope.get(`/repos/acme/api/git/trees/${A}`).reply(200, {
      sha: 'root',
      tree: [blob('README.md'), { path: 'src', mode: '040000', type: 'tree', sha: 's1' }, { path: 'big', mode: '040000', type: 'tree', sha: 's2' }, { path: 'node_modules', mode: '040000', type: 'tree', sha: 's3' }],
      truncated: false,
    });
    scope.get('/repos/acme/api/git/trees/s1').query({ recursive: '1' }).reply(200, { sha: 's1', tree: [blob('a.py'), { path: 'pkg', mode: '040000', type: 'tree', sha: 's4' }, blob('pkg/b.py')], truncated: false });
    scope.get('/repos/acme/api/git/trees/s2').query({ recursive: '1' }).reply(200, { sha: 's2', tree: [], truncated: true });
    scope.get('/repos/acme/api/git/trees/s2').reply(200, { sha: 's2', tree: [blob('c.py'), { path: 'deep', mode: '040000', type: 'tree', sha: 's5' }], truncated: false });
    scope.get('/repos/acme/api/git/trees/s5').query({ recursive: '1' }).reply(200, { sha: 's5', tree: [blob('d.py')], truncated: false });
    const snap = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A });
    const { entries, skipped } = await snap.list();
    expect(entries.map((e) => e.path)).toEqual(['README.md', 'big/c.py', 'big/deep/d.py', 'src/a.py', 'src/pkg/b.py']);
    expect(skipped).toEqual([{ path: 'node_modules', reason: 'vendored' }]);
    expect(snap.stats.treeRequests).toBe(6);
  });

  test('cached listings are bounded by files listed, not only by commits: a listing past the bound evicts the oldest', async () => {
    const fake = new FakeRepo();
    fake.commit(A, { 'a.py': '1', 'b.py': '2', 'c.py': '3' });
    fake.commit(B, { 'a.py': '1', 'b.py': '2', 'd.py': '4' });
    const scope = api(log);
    mockTree(scope, fake, A);
    mockTree(scope, fake, B);
    mockTree(scope, fake, A);
    // Room for five files: A (3) and B (3) do not both fit, though two commits are far below 32.
    const cache = createReadCache(undefined, 5);
    const listed = async (commit: string) => {
      const snap = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit, cache });
      await snap.list();
      return snap.stats.treeRequests;
    };
    expect(await listed(A)).toBe(1);
    expect(await listed(B)).toBe(1);
    expect(await listed(B)).toBe(0);
    expect(await listed(A)).toBe(1);
    expect(cache.trees.totalCost).toBe(3);
    expect(cache.trees.size).toBe(1);
  });
});

describe('GitHubSnapshot reads', () => {
  test('one GraphQL query for all wanted blobs; too-large files skipped without a request; binary skipped', async () => {
    const fake = new FakeRepo();
    fake.commit(A, { 'a.txt': 'one', 'b.txt': 'two', 'big.txt': 'x'.repeat(2000), 'img.txt': Buffer.from([1, 0, 2]) });
    const scope = api(log);
    mockTree(scope, fake, A);
    mockGraphql(scope, fake);
    const snap = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A, maxFileBytes: 1000 });
    const r = await snap.read(['a.txt', 'b.txt', 'big.txt', 'img.txt', 'missing.txt']);
    expect([...r.files].map(([p, b]) => [p, b.toString()])).toEqual([
      ['a.txt', 'one'],
      ['b.txt', 'two'],
    ]);
    expect(r.skipped).toEqual([
      { path: 'big.txt', reason: 'too-large', detail: '2000 bytes > 1000' },
      { path: 'missing.txt', reason: 'unreadable', detail: 'not in the commit' },
      { path: 'img.txt', reason: 'binary' },
    ]);
    const q = log.find('POST', '/graphql')[0]!.body as { query: string; variables: Record<string, string> };
    expect(q.query).toContain('object(expression: $e0)');
    expect(q.variables).toEqual({ owner: 'acme', name: 'api', e0: `${A}:a.txt`, e1: `${A}:b.txt`, e2: `${A}:img.txt` });
  });

  test('content-addressed cache: the next commit re-reads only the blob that changed', async () => {
    const fake = new FakeRepo();
    fake.commit(A, { 'a.txt': 'one', 'b.txt': 'two', 'c.txt': 'three' });
    fake.commit(B, { 'a.txt': 'one', 'b.txt': 'TWO', 'c.txt': 'three', 'moved/c.txt': 'three' });
    const cache = createReadCache();
    const scope = api(log);
    mockTree(scope, fake, A);
    mockGraphql(scope, fake);
    mockTree(scope, fake, B);
    mockGraphql(scope, fake);
    await new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A, cache }).read(['a.txt', 'b.txt', 'c.txt']);
    const snapB = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: B, cache });
    const r = await snapB.read(['a.txt', 'b.txt', 'c.txt', 'moved/c.txt']);
    expect(r.files.get('b.txt')!.toString()).toBe('TWO');
    expect(r.files.get('moved/c.txt')!.toString()).toBe('three');
    const second = log.find('POST', '/graphql')[1]!.body as { variables: Record<string, string> };
    expect(second.variables).toEqual({ owner: 'acme', name: 'api', e0: `${B}:b.txt` });
    expect(snapB.stats.blobsFromCache).toBe(2);
    // A rescan of a commit already listed makes no request at all.
    const again = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: B, cache });
    await again.read(['a.txt', 'b.txt']);
    expect(again.stats.requests).toBe(0);
  });

  test('truncated GraphQL text and text that is not the blob bytes (invalid UTF-8) come from the REST blob API', async () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
    const fake = new FakeRepo();
    fake.commit(A, { 'long.txt': 'L'.repeat(50), 'latin1.txt': latin1 });
    const scope = api(log);
    mockTree(scope, fake, A);
    scope.post('/graphql').reply(200, {
      data: {
        repository: {
          f0: { text: 'L'.repeat(10), isBinary: false, isTruncated: true, byteSize: 50 },
          f1: { text: 'caf\uFFFD', isBinary: false, isTruncated: false, byteSize: 4 },
        },
      },
    });
    const shaOf = (p: string) => fake.files(A).get(p)!.sha;
    scope.get(`/repos/acme/api/git/blobs/${shaOf('long.txt')}`).reply(200, { content: Buffer.from('L'.repeat(50)).toString('base64'), encoding: 'base64', size: 50 });
    scope.get(`/repos/acme/api/git/blobs/${shaOf('latin1.txt')}`).reply(200, { content: latin1.toString('base64'), encoding: 'base64', size: 4 });
    const r = await new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A }).read(['long.txt', 'latin1.txt']);
    expect(r.files.get('long.txt')!.length).toBe(50);
    expect(r.files.get('latin1.txt')).toEqual(latin1);
  });

  test("a PR's head and base snapshots sharing a fetcher ask for their blobs in one query, identical blobs once", async () => {
    const fake = new FakeRepo();
    fake.commit(A, { 'a.txt': 'same', 'b.txt': 'base version' });
    fake.commit(B, { 'a.txt': 'same', 'b.txt': 'head version' });
    const scope = api(log);
    mockTree(scope, fake, A);
    mockTree(scope, fake, B);
    mockGraphql(scope, fake);
    const cache = createReadCache();
    const stats = emptyStats();
    const fetcher = new BlobFetcher({ client: client(), owner: 'acme', repo: 'api', cache, stats });
    const head = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: B, cache, fetcher, stats });
    const base = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A, cache, fetcher, stats });
    await Promise.all([head.tree(), base.tree()]);
    const [h, b] = await Promise.all([head.read(['a.txt', 'b.txt']), base.read(['a.txt', 'b.txt'])]);
    expect(h.files.get('b.txt')!.toString()).toBe('head version');
    expect(b.files.get('b.txt')!.toString()).toBe('base version');
    expect(stats.graphqlRequests).toBe(1);
    const q = log.find('POST', '/graphql')[0]!.body as { variables: Record<string, string> };
    expect(Object.keys(q.variables)).toHaveLength(2 + 3);
  });
});

describe('tarball strategy', () => {
  test('many missing blobs: one tarball download (redirect to codeload), streamed and verified by blob SHA', async () => {
    const n = TARBALL_MIN_MISSING_BLOBS + 10;
    const files: Record<string, string> = {};
    for (let i = 0; i < n; i++) files[`src/m${i}.txt`] = `file ${i}\n`;
    files[`${'very-long-directory-name/'.repeat(5)}deep.txt`] = 'deep\n';
    const fake = new FakeRepo();
    fake.commit(A, files);
    const scope = api(log);
    mockTree(scope, fake, A);
    scope.get(`/repos/acme/api/tarball/${A}`).reply(302, '', { location: `https://codeload.github.com/acme/api/legacy.tar.gz/${A}` });
    log.watch(nock('https://codeload.github.com')).get(`/acme/api/legacy.tar.gz/${A}`).reply(200, fake.tarball(A), { 'content-type': 'application/x-gzip' });
    const snap = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A });
    const r = await snap.read(Object.keys(files));
    expect(r.files.size).toBe(n + 1);
    expect(r.skipped).toEqual([]);
    expect(snap.stats.strategy).toBe('tarball');
    expect(log.lines()).toEqual([`GET /repos/acme/api/git/trees/${A}`, `GET /repos/acme/api/tarball/${A}`, `GET /acme/api/legacy.tar.gz/${A}`]);
  });

  test('files the archive lacks or changed (export-ignore, export-subst) come through GraphQL', async () => {
    const fake = new FakeRepo();
    fake.commit(A, { 'a.txt': 'one', 'b.txt': 'two' });
    const other = new FakeRepo();
    other.commit(A, { 'a.txt': 'one', 'b.txt': 'tw0' });
    const scope = api(log);
    mockTree(scope, fake, A);
    scope.get(`/repos/acme/api/tarball/${A}`).reply(200, other.tarball(A), { 'content-type': 'application/x-gzip' });
    mockGraphql(scope, fake);
    const snap = new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A, strategy: 'tarball' });
    const r = await snap.read(['a.txt', 'b.txt']);
    expect(r.files.get('b.txt')!.toString()).toBe('two');
    expect(snap.stats.strategy).toBe('tarball+graphql');
    expect((log.find('POST', '/graphql')[0]!.body as { variables: object }).variables).toEqual({ owner: 'acme', name: 'api', e0: `${A}:b.txt` });
  });

  test('a failed download falls back to GraphQL instead of failing the scan', async () => {
    const fake = new FakeRepo();
    fake.commit(A, { 'a.txt': 'one' });
    const scope = api(log);
    mockTree(scope, fake, A);
    scope.get(`/repos/acme/api/tarball/${A}`).reply(200, Buffer.from('not gzip at all'), { 'content-type': 'application/x-gzip' });
    mockGraphql(scope, fake);
    const r = await new GitHubSnapshot({ client: client(), owner: 'acme', repo: 'api', commit: A, strategy: 'tarball' }).read(['a.txt']);
    expect(r.files.get('a.txt')!.toString()).toBe('one');
  });
});

test('API host is configurable (GHE): GraphQL goes to /api/graphql', async () => {
  const fake = new FakeRepo();
  fake.commit(A, { 'a.txt': 'one' });
  const scope = log.watch(nock('https://ghe.example.com'));
  scope.get(`/api/v3/repos/acme/api/git/trees/${A}`).query({ recursive: '1' }).reply(200, fake.tree(A));
  mockGraphql(scope, fake, '/api/graphql');
  const ghe = new Octokit({ auth: 't', baseUrl: 'https://ghe.example.com/api/v3', log: { debug() {}, info() {}, warn() {}, error() {} } });
  const r = await new GitHubSnapshot({ client: ghe, owner: 'acme', repo: 'api', commit: A }).read(['a.txt']);
  expect(r.files.get('a.txt')!.toString()).toBe('one');
  expect(API).toBe('https://api.github.com');
});
