import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { Probot } from 'probot';
import type { ReadinessRuntime } from '../../src/app.js';
import { STICKY_MARKER, decodeState } from '../../src/github/comment.js';
import {
  CallLog,
  FakeRepo,
  TEST_SECRET,
  api,
  finishNock,
  findingFiles,
  fixture,
  makeApp,
  mockGraphql,
  mockToken,
  mockTree,
  type Call,
} from './fake-github.js';

/**
 * End to end, per flow: a webhook payload of the real shape goes into Probot, and the test
 * asserts the exact API calls that come out (nock, network off, nothing left pending).
 */

const BASE = 'b5e0c0a1d2e3f405162738495a6b7c8d9e0f1a2b';
const HEAD1 = 'e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4';
const HEAD2 = '2f3e4d5c6b7a89012345678901234567890abcde';
const FORK = 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00010203';
const MAIN2 = '3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f';
const MG = '9a8b7c6d5e4f30211203f4e5d6c7b8a990817263';
const RUN_ID = 7780001;
const R = '/repos/acme/api';
const CONFIG = /^\/repos\/acme\/api\/contents\/\.github(%2F|\/)readiness\.yml/;
const ORG_CONFIG = /^\/repos\/acme\/\.github\/contents\/\.github(%2F|\/)readiness\.yml/;

let log: CallLog;
let probot: Probot;
let runtime: ReadinessRuntime;
let fake: FakeRepo;

beforeEach(() => {
  nock.disableNetConnect();
  log = new CallLog();
  ({ probot, runtime } = makeApp());
  fake = new FakeRepo();
  fake.commit(BASE, { 'README.md': '# api\n', ...findingFiles(2) });
  fake.commit(HEAD1, { 'README.md': '# api\n', 'app/main.py': 'print(1)\n', ...findingFiles(70) });
  fake.commit(HEAD2, { 'README.md': '# api\n', 'app/main.py': 'print(2)\n', ...findingFiles(60) });
});

afterEach(() => {
  expect(finishNock(log)).toEqual({ unmatched: [], pending: [] });
});

/** Delivers a webhook the way Probot's middleware does, then waits for the scans it queued. */
async function deliver(name: string, payload: object, id = `delivery-${name}`): Promise<void> {
  await probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]);
  await runtime.queue.onIdle();
}

/**
 * Concurrent requests (config and trees load together) arrive in any order: runs of them are
 * sorted, so the expected lists below name them alphabetically.
 */
function lines(): string[] {
  const out = log.lines();
  const concurrent = (l: string) => l.includes('/git/trees/') || l.includes('/contents/');
  for (let i = 0; i < out.length; i++) {
    let j = i;
    while (j < out.length && concurrent(out[j]!)) j++;
    if (j - i > 1) out.splice(i, j - i, ...out.slice(i, j).sort());
  }
  return out;
}

const body = <T = Record<string, unknown>>(c: Call | undefined) => c?.body as T;

function mockNoConfig(scope: nock.Scope): void {
  scope.get(CONFIG).reply(404, { message: 'Not Found' });
  scope.get(ORG_CONFIG).reply(404, { message: 'Not Found' });
}

function mockCheckRun(scope: nock.Scope, updates: number, id = RUN_ID): void {
  scope.post(`${R}/check-runs`).reply(201, { id, html_url: `https://github.com/acme/api/runs/${id}` });
  scope.patch(`${R}/check-runs/${id}`).times(updates).reply(200, { id });
}

function mockComments(scope: nock.Scope, pr: number, existing: () => object[]): void {
  scope.get(`${R}/issues/${pr}/comments`).query({ per_page: '100' }).reply(200, () => existing());
}

const ourComment = (id: number, text: string) => ({ id, body: text, user: { login: 'readiness[bot]', type: 'Bot' } });

describe('pull_request', () => {
  test('opened with 70 findings: check in progress, 2 annotation batches, completed failure, comment created', async () => {
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 2);
    mockNoConfig(scope);
    mockTree(scope, fake, HEAD1);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    scope.post(`${R}/issues/42/comments`).reply(201, { id: 501 });

    await deliver('pull_request', fixture('pull_request.opened'));

    expect(lines()).toEqual([
      'POST /app/installations/4242/access_tokens',
      `POST ${R}/check-runs`,
      'GET /repos/acme/.github/contents/.github%2Freadiness.yml',
      `GET ${R}/contents/.github%2Freadiness.yml`,
      `GET ${R}/git/trees/${BASE}`,
      `GET ${R}/git/trees/${HEAD1}`,
      'POST /graphql',
      `PATCH ${R}/check-runs/${RUN_ID}`,
      `PATCH ${R}/check-runs/${RUN_ID}`,
      // A PR that was just opened cannot carry our comment yet: created without listing.
      `POST ${R}/issues/42/comments`,
    ]);
    expect(body(log.find('POST', '/check-runs')[0])).toEqual({
      name: 'Deployment readiness',
      head_sha: HEAD1,
      status: 'in_progress',
      started_at: '2026-01-18T12:00:00.000Z',
      external_id: 'pr:42',
    });
    const [first, last] = log.find('PATCH', '/check-runs/').map((c) => body<{ status?: string; conclusion?: string; output: { title: string; summary: string; annotations: { annotation_level: string; path: string }[] }; actions?: unknown[] }>(c));
    expect(first!.status).toBeUndefined();
    expect(first!.output.annotations).toHaveLength(50);
    expect(first!.output.annotations[0]).toMatchObject({ annotation_level: 'failure', path: 'src/part0.txt' });
    expect(last!.output.annotations).toHaveLength(20);
    expect(last!.output.annotations.at(-1)!.annotation_level).toBe('notice');
    expect(last).toMatchObject({ status: 'completed', conclusion: 'failure', actions: [{ identifier: 'rescan', label: 'Rescan' }] });
    expect(last!.output.title).toBe('1 critical, 23 high, 23 medium, 23 low (68 new)');
    expect(last!.output.summary).toContain('NOT DEPLOYABLE');
    // One query for head and base together (5 head files, the 2 base files that differ).
    const q = body<{ variables: Record<string, string> }>(log.find('POST', '/graphql')[0]);
    expect(Object.values(q.variables).filter((v) => v.includes(':')).sort()).toEqual([
      `${HEAD1}:src/part0.txt`,
      `${HEAD1}:src/part1.txt`,
      `${HEAD1}:src/part2.txt`,
      `${HEAD1}:src/part3.txt`,
      `${HEAD1}:src/part4.txt`,
      `${BASE}:src/part0.txt`,
      `${BASE}:src/part1.txt`,
    ].sort());
    const comment = body<{ body: string }>(log.find('POST', '/issues/42/comments')[0]).body;
    expect(comment.startsWith(STICKY_MARKER)).toBe(true);
    expect(comment).toContain('NOT DEPLOYABLE');
    expect(comment).toContain('New in this pull request');
    expect(comment).toContain('Already on `main`');
    expect(comment).toContain(`https://github.com/acme/api/blob/${HEAD1}/src/part0.txt#L1`);
    expect(decodeState(comment)!.findings).toHaveLength(70);
  });

  test('synchronize fixing ten: the same comment is edited and lists them as resolved; only changed blobs are fetched', async () => {
    let posted = '';
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 2);
    mockNoConfig(scope);
    mockTree(scope, fake, HEAD1);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    scope.post(`${R}/issues/42/comments`).reply(201, (_u, b) => ((posted = (b as { body: string }).body), { id: 501 }));
    await deliver('pull_request', fixture('pull_request.opened'));
    const before = log.calls.length;

    mockCheckRun(scope, 2, RUN_ID + 1);
    mockNoConfig(scope);
    mockTree(scope, fake, HEAD2);
    mockGraphql(scope, fake);
    mockComments(scope, 42, () => [{ id: 400, body: 'LGTM', user: { login: 'bob', type: 'User' } }, ourComment(501, posted)]);
    scope.patch(`${R}/issues/comments/501`).reply(200, { id: 501 });
    await deliver('pull_request', fixture('pull_request.synchronize'));

    expect(lines().slice(before)).toEqual([
      `POST ${R}/check-runs`,
      'GET /repos/acme/.github/contents/.github%2Freadiness.yml',
      `GET ${R}/contents/.github%2Freadiness.yml`,
      `GET ${R}/git/trees/${HEAD2}`,
      'POST /graphql',
      `PATCH ${R}/check-runs/${RUN_ID + 1}`,
      `PATCH ${R}/check-runs/${RUN_ID + 1}`,
      `GET ${R}/issues/42/comments`,
      `PATCH ${R}/issues/comments/501`,
    ]);
    // The base scan is remembered; of HEAD2 only the changed files are fetched.
    const q = body<{ variables: Record<string, string> }>(log.find('POST', '/graphql')[1]);
    expect(Object.values(q.variables).filter((v) => v.includes(':')).sort()).toEqual([
      `${HEAD2}:src/part0.txt`,
      `${HEAD2}:src/part1.txt`,
      `${HEAD2}:src/part2.txt`,
      `${HEAD2}:src/part3.txt`,
      `${HEAD2}:src/part4.txt`,
    ]);
    const edited = body<{ body: string }>(log.find('PATCH', '/issues/comments/501')[0]).body;
    expect(edited).toContain('Resolved since the last scan (10)');
    expect(edited).toContain('`test/marker`~~ in `src/part0.txt`');
    expect(body<{ output: { title: string } }>(log.find('PATCH', `/check-runs/${RUN_ID + 1}`)[1]).output.title).toBe('1 critical, 19 high, 20 medium, 20 low (58 new)');
  });

  test('a fork PR is read and reported through the base repository', async () => {
    fake.commit(FORK, { 'README.md': '# api\n', ...findingFiles(2), 'src/new.txt': 'FINDING high fork-only\n' });
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    mockTree(scope, fake, FORK);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    scope.post(`${R}/issues/43/comments`).reply(201, { id: 502 });
    await deliver('pull_request', fixture('pull_request.opened.fork'));
    const q = body<{ query: string; variables: Record<string, string> }>(log.find('POST', '/graphql')[0]);
    expect(q.variables).toMatchObject({ owner: 'acme', name: 'api', e0: `${FORK}:src/new.txt` });
    expect(body(log.find('POST', '/check-runs')[0])).toMatchObject({ head_sha: FORK, external_id: 'pr:43' });
    expect(body<{ output: { title: string } }>(log.find('PATCH', '/check-runs/')[0]).output.title).toBe('1 critical, 1 high, 1 medium (1 new)');
  });

  test('an invalid .github/readiness.yml fails the check, quoting the error and its line; nothing is scanned', async () => {
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 1);
    const text = '# readiness\nfail_on: urgent\n';
    scope.get(CONFIG).times(2).reply(200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    // The trees load while the config is read; with an invalid config nothing more happens.
    mockTree(scope, fake, HEAD1);
    mockTree(scope, fake, BASE);
    await deliver('pull_request', fixture('pull_request.opened'));
    expect(lines()).toEqual([
      'POST /app/installations/4242/access_tokens',
      `POST ${R}/check-runs`,
      `GET ${R}/contents/.github%2Freadiness.yml`,
      `GET ${R}/contents/.github%2Freadiness.yml`,
      `GET ${R}/git/trees/${BASE}`,
      `GET ${R}/git/trees/${HEAD1}`,
      `PATCH ${R}/check-runs/${RUN_ID}`,
    ]);
    const done = body<{ conclusion: string; output: { title: string; summary: string } }>(log.find('PATCH', '/check-runs/')[0]);
    expect(done.conclusion).toBe('failure');
    expect(done.output.title).toBe('Invalid readiness configuration');
    expect(done.output.summary).toContain('acme/api:.github/readiness.yml, line 2');
    expect(done.output.summary).toContain('fail_on must be one of critical, high, medium, low, none');
  });

  test('a valid config from the default branch is applied: fail_on none passes, comment never posts nothing', async () => {
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 2);
    scope.get(CONFIG).reply(200, 'fail_on: none\ncomment: never\n', { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    mockTree(scope, fake, HEAD1);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    await deliver('pull_request', fixture('pull_request.opened'));
    const done = body<{ conclusion: string; output: { summary: string } }>(log.find('PATCH', '/check-runs/').at(-1));
    expect(done.conclusion).toBe('success');
    expect(log.find('GET', '/comments')).toEqual([]);
  });

  test('a comment deleted by a user is created again; one that vanishes between list and edit too', async () => {
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 2);
    mockNoConfig(scope);
    mockTree(scope, fake, HEAD2);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    mockComments(scope, 42, () => []);
    scope.post(`${R}/issues/42/comments`).reply(201, { id: 501 });
    await deliver('pull_request', fixture('pull_request.synchronize'));
    expect(lines().slice(-2)).toEqual([`GET ${R}/issues/42/comments`, `POST ${R}/issues/42/comments`]);

    mockCheckRun(scope, 2, RUN_ID + 1);
    mockNoConfig(scope);
    mockComments(scope, 42, () => [ourComment(300, `${STICKY_MARKER}\nold`)]);
    scope.patch(`${R}/issues/comments/300`).reply(404, { message: 'Not Found' });
    scope.post(`${R}/issues/42/comments`).reply(201, { id: 502 });
    const rerun = fixture<{ check_run: { head_sha: string } }>('check_run.rerequested');
    rerun.check_run.head_sha = HEAD2;
    await deliver('check_run', rerun);
    expect(lines().slice(-3)).toEqual([`GET ${R}/issues/42/comments`, `PATCH ${R}/issues/comments/300`, `POST ${R}/issues/42/comments`]);
  });

  test('duplicates from an older run or a race are deleted, the oldest kept; a human quoting the marker is left alone', async () => {
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 2);
    mockNoConfig(scope);
    mockTree(scope, fake, HEAD2);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    mockComments(scope, 42, () => [
      ourComment(311, `${STICKY_MARKER}\nnewer`),
      { id: 305, body: `quoting ${STICKY_MARKER}`, user: { login: 'bob', type: 'User' } },
      ourComment(310, `${STICKY_MARKER}\nolder`),
    ]);
    scope.delete(`${R}/issues/comments/311`).reply(204);
    scope.patch(`${R}/issues/comments/310`).reply(200, { id: 310 });
    await deliver('pull_request', fixture('pull_request.synchronize'));
    expect(lines().slice(-3)).toEqual([`GET ${R}/issues/42/comments`, `DELETE ${R}/issues/comments/311`, `PATCH ${R}/issues/comments/310`]);
  });

  test('no findings and never had any: no comment (comment: on-findings)', async () => {
    fake.commit(HEAD1, { 'README.md': '# clean\n' });
    fake.commit(BASE, { 'README.md': '# clean\n' });
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    mockTree(scope, fake, HEAD1);
    mockTree(scope, fake, BASE);
    await deliver('pull_request', fixture('pull_request.opened'));
    const done = body<{ conclusion: string; output: { title: string } }>(log.find('PATCH', '/check-runs/')[0]);
    expect(done).toMatchObject({ conclusion: 'success', output: { title: 'No deployment blockers' } });
    expect(log.find('POST', '/comments')).toEqual([]);
  });
});

describe('re-runs', () => {
  async function openFirst(scope: nock.Scope): Promise<string> {
    let posted = '';
    mockToken(scope);
    mockCheckRun(scope, 2);
    mockNoConfig(scope);
    mockTree(scope, fake, HEAD1);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    scope.post(`${R}/issues/42/comments`).reply(201, (_u, b) => ((posted = (b as { body: string }).body), { id: 501 }));
    await deliver('pull_request', fixture('pull_request.opened'));
    return posted;
  }

  test.each([
    ['check_run', 'check_run.rerequested'],
    ['check_run', 'check_run.requested_action'],
    ['check_suite', 'check_suite.rerequested'],
  ])('%s (%s): a new check run on the same commit; the unchanged comment is not edited', async (name, fx) => {
    const scope = api(log);
    const posted = await openFirst(scope);
    const before = log.calls.length;
    mockCheckRun(scope, 2, RUN_ID + 5);
    mockNoConfig(scope);
    mockComments(scope, 42, () => [ourComment(501, posted)]);
    await deliver(name, fixture(fx));
    // Tree, blobs and base scan all come from the caches: a rescan of one commit reads nothing.
    expect(lines().slice(before)).toEqual([
      `POST ${R}/check-runs`,
      'GET /repos/acme/.github/contents/.github%2Freadiness.yml',
      `GET ${R}/contents/.github%2Freadiness.yml`,
      `PATCH ${R}/check-runs/${RUN_ID + 5}`,
      `PATCH ${R}/check-runs/${RUN_ID + 5}`,
      `GET ${R}/issues/42/comments`,
    ]);
    expect(body(log.find('POST', '/check-runs')[1])).toMatchObject({ head_sha: HEAD1, external_id: 'pr:42' });
  });

  test('a re-run of a fork PR (no pull_requests in the payload) finds the PR through external_id', async () => {
    const payload = fixture<{ check_run: { pull_requests: unknown[]; external_id: string; head_sha: string } }>('check_run.rerequested');
    payload.check_run.pull_requests = [];
    payload.check_run.external_id = 'pr:43';
    payload.check_run.head_sha = FORK;
    fake.commit(FORK, { 'README.md': '# api\n' });
    const scope = api(log);
    mockToken(scope);
    scope.get(`${R}/pulls/43`).reply(200, fixture<{ pull_request: object }>('pull_request.opened.fork').pull_request);
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    mockTree(scope, fake, FORK);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    mockComments(scope, 43, () => []);
    await deliver('check_run', payload);
    expect(body(log.find('POST', '/check-runs')[0])).toMatchObject({ head_sha: FORK, external_id: 'pr:43' });
  });
});

describe('/readiness commands', () => {
  test('a writer: eyes at once, the PR head scanned, rocket when done', async () => {
    const scope = api(log);
    mockToken(scope);
    scope.get(`${R}/collaborators/bob/permission`).reply(200, { permission: 'write', role_name: 'write', user: { login: 'bob' } });
    scope.post(`${R}/issues/comments/9001/reactions`, { content: 'eyes' }).reply(201, { id: 1 });
    scope.get(`${R}/pulls/42`).reply(200, fixture<{ pull_request: object }>('pull_request.synchronize').pull_request);
    mockCheckRun(scope, 2);
    mockNoConfig(scope);
    mockTree(scope, fake, HEAD2);
    mockTree(scope, fake, BASE);
    mockGraphql(scope, fake);
    mockComments(scope, 42, () => []);
    scope.post(`${R}/issues/42/comments`).reply(201, { id: 501 });
    scope.post(`${R}/issues/comments/9001/reactions`, { content: 'rocket' }).reply(201, { id: 2 });
    await deliver('issue_comment', fixture('issue_comment.created'));
    expect(lines()).toEqual([
      'POST /app/installations/4242/access_tokens',
      `GET ${R}/collaborators/bob/permission`,
      `POST ${R}/issues/comments/9001/reactions`,
      `GET ${R}/pulls/42`,
      `POST ${R}/check-runs`,
      'GET /repos/acme/.github/contents/.github%2Freadiness.yml',
      `GET ${R}/contents/.github%2Freadiness.yml`,
      `GET ${R}/git/trees/${HEAD2}`,
      `GET ${R}/git/trees/${BASE}`,
      'POST /graphql',
      `PATCH ${R}/check-runs/${RUN_ID}`,
      `PATCH ${R}/check-runs/${RUN_ID}`,
      `GET ${R}/issues/42/comments`,
      `POST ${R}/issues/42/comments`,
      `POST ${R}/issues/comments/9001/reactions`,
    ]);
  });

  test('a read-only user gets one reply and no scan, however often they ask', async () => {
    const scope = api(log);
    mockToken(scope);
    scope.get(`${R}/collaborators/bob/permission`).times(2).reply(200, { permission: 'read', role_name: 'triage', user: { login: 'bob' } });
    scope.post(`${R}/issues/42/comments`).reply(201, { id: 777 });
    await deliver('issue_comment', fixture('issue_comment.created'), 'd1');
    await deliver('issue_comment', fixture('issue_comment.created'), 'd2');
    expect(lines()).toEqual([
      'POST /app/installations/4242/access_tokens',
      `GET ${R}/collaborators/bob/permission`,
      `POST ${R}/issues/42/comments`,
      `GET ${R}/collaborators/bob/permission`,
    ]);
    expect(body<{ body: string }>(log.find('POST', '/issues/42/comments')[0]).body).toMatch(/^@bob only people with write, maintain or admin access/);
  });

  test('help replies; bots, other text and plain issues are ignored without a single request', async () => {
    const scope = api(log);
    mockToken(scope);
    scope.get(`${R}/collaborators/bob/permission`).reply(200, { permission: 'admin', role_name: 'admin', user: { login: 'bob' } });
    scope.post(`${R}/issues/comments/9001/reactions`, { content: 'eyes' }).reply(201, {});
    scope.post(`${R}/issues/42/comments`).reply(201, { id: 778 });
    scope.post(`${R}/issues/comments/9001/reactions`, { content: 'rocket' }).reply(201, {});
    const help = fixture<{ comment: { body: string } }>('issue_comment.created');
    help.comment.body = '/readiness HELP';
    await deliver('issue_comment', help);
    expect(body<{ body: string }>(log.find('POST', '/issues/42/comments')[0]).body).toContain('/readiness rescan');

    const n = log.calls.length;
    const bot = fixture<{ comment: { user: { type: string; login: string } }; sender: { type: string } }>('issue_comment.created');
    bot.comment.user = { type: 'Bot', login: 'readiness[bot]' };
    bot.sender.type = 'Bot';
    const chatter = fixture<{ comment: { body: string } }>('issue_comment.created');
    chatter.comment.body = 'should I run /readiness rescan?';
    const issue = fixture<{ issue: { pull_request?: object } }>('issue_comment.created');
    delete issue.issue.pull_request;
    for (const p of [bot, chatter, issue]) await deliver('issue_comment', p);
    expect(log.calls.length).toBe(n);
  });
});

describe('push and merge queue', () => {
  test('push to main: the pushed commit is scanned (no open PR has it as head), no comment', async () => {
    fake.commit(MAIN2, { 'README.md': '# api\n', ...findingFiles(3) });
    const scope = api(log);
    mockToken(scope);
    scope.get(`${R}/commits/${MAIN2}/pulls`).query({ per_page: '100' }).reply(200, [{ number: 41, state: 'closed', head: { sha: 'x' }, base: { sha: BASE, ref: 'main' } }]);
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    mockTree(scope, fake, MAIN2);
    mockGraphql(scope, fake);
    await deliver('push', fixture('push.main'));
    expect(lines()).toEqual([
      'POST /app/installations/4242/access_tokens',
      `GET ${R}/commits/${MAIN2}/pulls`,
      `POST ${R}/check-runs`,
      'GET /repos/acme/.github/contents/.github%2Freadiness.yml',
      `GET ${R}/contents/.github%2Freadiness.yml`,
      `GET ${R}/git/trees/${MAIN2}`,
      'POST /graphql',
      `PATCH ${R}/check-runs/${RUN_ID}`,
    ]);
    expect(body(log.find('POST', '/check-runs')[0])).toEqual({ name: 'Deployment readiness', head_sha: MAIN2, status: 'in_progress', started_at: '2026-01-18T12:00:00.000Z' });
    expect(body<{ output: { title: string } }>(log.find('PATCH', '/check-runs/')[0]).output.title).toBe('1 critical, 1 medium, 1 low');
  });

  test('a push whose commit is the head of an open PR is left to the PR event', async () => {
    const scope = api(log);
    mockToken(scope);
    scope.get(`${R}/commits/${MAIN2}/pulls`).query({ per_page: '100' }).reply(200, [{ number: 44, state: 'open', head: { sha: MAIN2 }, base: { sha: BASE, ref: 'main' } }]);
    await deliver('push', fixture('push.main'));
    expect(lines()).toEqual(['POST /app/installations/4242/access_tokens', `GET ${R}/commits/${MAIN2}/pulls`]);
  });

  test('tags, branch deletions, merge-queue branches and a SHA already queued make no request', async () => {
    const push = fixture<Record<string, unknown>>('push.main');
    await deliver('push', { ...push, ref: 'refs/tags/v1.0.0' });
    await deliver('push', { ...push, deleted: true, after: '0'.repeat(40) });
    await deliver('push', { ...push, ref: 'refs/heads/gh-readonly-queue/main/pr-42-abc' });
    const scope = api(log);
    mockToken(scope);
    scope.get(`${R}/commits/${MAIN2}/pulls`).query({ per_page: '100' }).reply(200, [{ number: 44, state: 'open', head: { sha: MAIN2 }, base: { sha: BASE, ref: 'main' } }]);
    await deliver('push', push, 'once');
    await deliver('push', push, 'twice');
    expect(lines()).toEqual(['POST /app/installations/4242/access_tokens', `GET ${R}/commits/${MAIN2}/pulls`]);
  });

  test('merge_group checks_requested: the queue commit gets a check run', async () => {
    fake.commit(MG, { 'README.md': '# api\n' });
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    mockTree(scope, fake, MG);
    await deliver('merge_group', fixture('merge_group.checks_requested'));
    expect(body(log.find('POST', '/check-runs')[0])).toMatchObject({ head_sha: MG });
    expect(body(log.find('PATCH', '/check-runs/')[0])).toMatchObject({ conclusion: 'success' });
  });
});

describe('GitHub misbehaving', () => {
  test('a 502 is retried and the scan completes', async () => {
    const scope = api(log);
    mockToken(scope);
    scope.post(`${R}/check-runs`).reply(502, { message: 'Server Error' });
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    fake.commit(MG, { 'README.md': '# api\n' });
    mockTree(scope, fake, MG);
    await deliver('merge_group', fixture('merge_group.checks_requested'));
    expect(lines().slice(0, 3)).toEqual(['POST /app/installations/4242/access_tokens', `POST ${R}/check-runs`, `POST ${R}/check-runs`]);
    expect(body(log.find('PATCH', '/check-runs/')[0])).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  test('a secondary rate limit (403 with retry-after) is waited out and retried', async () => {
    ({ probot, runtime } = makeApp({ tuning: { retryAfterBaseMs: 25 } }));
    fake.commit(MG, { 'README.md': '# api\n' });
    const scope = api(log);
    mockToken(scope);
    scope.post(`${R}/check-runs`).reply(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '3' });
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    mockTree(scope, fake, MG);
    const times: number[] = [];
    scope.on('request', (req: { method: string; path: string }) => {
      if (req.method === 'POST' && req.path.endsWith('/check-runs')) times.push(performance.now());
    });
    await deliver('merge_group', fixture('merge_group.checks_requested'));
    expect(times).toHaveLength(2);
    // retry-after 3 s at 25 ms per second in this test: at least 75 ms between the two.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(70);
    expect(body(log.find('PATCH', '/check-runs/')[0])).toMatchObject({ status: 'completed' });
  });

  test('an exhausted primary rate limit waits for x-ratelimit-reset, then retries', async () => {
    ({ probot, runtime } = makeApp({ tuning: { retryAfterBaseMs: 20 } }));
    fake.commit(MG, { 'README.md': '# api\n' });
    const scope = api(log);
    mockToken(scope);
    const reset = Math.ceil(Date.now() / 1000) + 2;
    scope
      .post(`${R}/check-runs`)
      .reply(403, { message: 'API rate limit exceeded for installation ID 4242.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    mockTree(scope, fake, MG);
    const times: number[] = [];
    scope.on('request', (req: { method: string; path: string }) => {
      if (req.method === 'POST' && req.path.endsWith('/check-runs')) times.push(performance.now());
    });
    await deliver('merge_group', fixture('merge_group.checks_requested'));
    expect(times).toHaveLength(2);
    // 2-3 s to the reset plus one, at 20 ms per second here.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(40);
  });

  test('a scan that fails after the check run was created completes it as neutral with the reason', async () => {
    const scope = api(log);
    mockToken(scope);
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    scope.get(`${R}/git/trees/${MG}`).query({ recursive: '1' }).reply(404, { message: 'Not Found' });
    await deliver('merge_group', fixture('merge_group.checks_requested'));
    const done = body<{ conclusion: string; output: { title: string; summary: string } }>(log.find('PATCH', '/check-runs/')[0]);
    expect(done.conclusion).toBe('neutral');
    expect(done.output.summary).toContain('GitHub answered 404');
  });
});

describe('GitHub Enterprise Server', () => {
  test('every request, the installation token included, goes to GHE_HOST (GraphQL at /api/graphql)', async () => {
    ({ probot, runtime } = makeApp({ baseUrl: 'https://ghe.example.com/api/v3' }));
    fake.commit(MG, { 'README.md': '# api\n', 'a.txt': 'FINDING low x\n' });
    const scope = log.watch(nock('https://ghe.example.com'));
    scope.post('/api/v3/app/installations/4242/access_tokens').reply(201, { token: 'ghs_ghe', expires_at: new Date(Date.now() + 3.6e6).toISOString() });
    scope.post(`/api/v3${R}/check-runs`).reply(201, { id: RUN_ID });
    scope.get(/^\/api\/v3\/repos\/acme\/(api|\.github)\/contents\//).times(2).reply(404, { message: 'Not Found' });
    scope.get(`/api/v3${R}/git/trees/${MG}`).query({ recursive: '1' }).reply(200, fake.tree(MG));
    mockGraphql(scope, fake, '/api/graphql');
    scope.patch(`/api/v3${R}/check-runs/${RUN_ID}`).reply(200, {});
    await deliver('merge_group', fixture('merge_group.checks_requested'));
    expect(log.calls.every((c) => c.path.startsWith('/api/'))).toBe(true);
    expect(body(log.find('PATCH', '/check-runs/')[0])).toMatchObject({ conclusion: 'success', output: { title: '1 low' } });
  });
});

describe('check_suite requested', () => {
  test('covered by the push of the same commit (first come first served) or by the PR it lists: no second check run', async () => {
    const suite = fixture<{ check_suite: { pull_requests: unknown[]; head_sha: string; head_branch: string } }>('check_suite.rerequested');
    const requested = { ...suite, action: 'requested' };
    await deliver('check_suite', requested);
    const scope = api(log);
    mockToken(scope);
    scope.get(`${R}/commits/${MAIN2}/pulls`).query({ per_page: '100' }).reply(200, [{ number: 44, state: 'open', head: { sha: MAIN2 }, base: { sha: BASE, ref: 'main' } }]);
    await deliver('push', fixture('push.main'));
    requested.check_suite = { ...suite.check_suite, pull_requests: [], head_sha: MAIN2, head_branch: 'main' };
    await deliver('check_suite', requested);
    expect(lines()).toEqual(['POST /app/installations/4242/access_tokens', `GET ${R}/commits/${MAIN2}/pulls`]);
  });
});

describe('webhook endpoint', () => {
  let server: Server;
  let url: string;
  beforeEach(async () => {
    nock.enableNetConnect('127.0.0.1');
    const middleware = await probot.getNodeMiddleware();
    server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
  });

  const post = (payload: string, signature: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'd-http', 'x-hub-signature-256': signature },
      body: payload,
    });

  test('a bad signature is rejected and nothing runs', async () => {
    const payload = JSON.stringify(fixture('pull_request.opened'));
    const res = await post(payload, `sha256=${createHmac('sha256', 'wrong-secret').update(payload).digest('hex')}`);
    expect(res.status).toBe(400);
    await runtime.queue.onIdle();
    expect(log.calls).toEqual([]);
  });

  test('a signed delivery is answered before the scan runs', async () => {
    const payload = JSON.stringify(fixture('merge_group.checks_requested'));
    fake.commit(MG, { 'README.md': '# api\n' });
    const scope = api(log);
    mockToken(scope, { delayMs: 300 });
    mockCheckRun(scope, 1);
    mockNoConfig(scope);
    mockTree(scope, fake, MG);
    const t0 = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'merge_group', 'x-github-delivery': 'd-ok', 'x-hub-signature-256': `sha256=${createHmac('sha256', TEST_SECRET).update(payload).digest('hex')}` },
      body: payload,
    });
    const answered = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(answered).toBeLessThan(250);
    await runtime.queue.onIdle();
    expect(log.find('PATCH', '/check-runs/')).toHaveLength(1);
  });
});
