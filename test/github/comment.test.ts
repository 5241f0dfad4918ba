import { fingerprint } from '../../src/engine/fingerprint.js';
import type { Finding, ScanResult, Severity } from '../../src/engine/types.js';
import {
  STICKY_MARKER,
  decodeState,
  encodeState,
  renderComment,
  resolvedSince,
  shouldComment,
  type StickyState,
} from '../../src/github/comment.js';
import { MAX_COMMENT_CHARS } from '../../src/github/limits.js';

const SHA = '1234567890abcdef1234567890abcdef12345678';
const SHA2 = 'abcdef1234567890abcdef1234567890abcdef12';
const ref = { repoUrl: 'https://github.com/acme/api', sha: SHA };

function finding(severity: Severity, key: string, file = 'app/main.py', line = 3, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: `python/${key}`,
    severity,
    file,
    line,
    endLine: line,
    title: `Title ${key}`,
    message: `Message about \`${key}\` in ${file}`,
    fix: `Fix ${key}`,
    effort: 10,
    fingerprint: fingerprint(`python/${key}`, file, key),
    ...extra,
  };
}

function result(findings: Finding[]): ScanResult {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    findings,
    skipped: [],
    notices: [],
    rules: [],
    summary: {
      verdict: counts.critical ? 'NOT DEPLOYABLE' : 'READY',
      failOn: 'critical',
      counts,
      effortMinutes: findings.reduce((n, f) => n + f.effort, 0),
      filesListed: 10,
      filesRead: 4,
      checksRun: 3,
      durationMs: 12,
    },
  };
}

const findings = [
  finding('critical', 'pydantic-v1'),
  finding('high', 'missing-env', 'docker-compose.yml', 7),
  finding('medium', 'no-healthcheck', 'Dockerfile', 1),
  finding('low', 'pin', 'requirements.txt', 2),
];
const cmp = { baseLabel: 'main', baseFingerprints: new Set([findings[1]!.fingerprint]) };

describe('renderComment', () => {
  test('the full comment: verdict, counts, new vs base, collapsed medium/low, roadmap, links to the commit', () => {
    const { body } = renderComment({ result: result(findings), ref, cmp, conclusion: 'failure', checkRunUrl: 'https://github.com/acme/api/pull/42/checks' });
    expect(body).toMatchSnapshot();
    expect(body.startsWith(STICKY_MARKER)).toBe(true);
    expect(body).toContain(`[\`app/main.py:3\`](https://github.com/acme/api/blob/${SHA}/app/main.py#L3)`);
  });

  test('deterministic: the same input renders the same body (so an unchanged scan is not edited)', () => {
    const a = renderComment({ result: result(findings), ref, cmp, conclusion: 'failure' }).body;
    const b = renderComment({ result: result([...findings]), ref, cmp, conclusion: 'failure' }).body;
    expect(a).toBe(b);
  });

  test('resolved since the last scan, from the hidden state; a rescan of the same commit shows the same list', () => {
    const first = renderComment({ result: result(findings), ref, cmp, conclusion: 'failure' });
    const state = decodeState(first.body)!;
    expect(state.findings).toHaveLength(4);
    const next = renderComment({ result: result(findings.slice(1)), ref: { ...ref, sha: SHA2 }, cmp, conclusion: 'success', previous: state });
    expect(next.body).toContain('Resolved since the last scan (1)');
    expect(next.body).toContain('~~🔴 `python/pydantic-v1`~~ in `app/main.py`');
    const again = renderComment({ result: result(findings.slice(1)), ref: { ...ref, sha: SHA2 }, cmp, conclusion: 'success', previous: decodeState(next.body) });
    expect(again.body).toBe(next.body);
  });

  test('no findings: READY, and what was resolved', () => {
    const prev: StickyState = { sha: SHA, findings: [{ fp: findings[0]!.fingerprint.slice(0, 12), ruleId: 'python/pydantic-v1', file: 'app/main.py', severity: 'critical' }], resolved: [] };
    const { body } = renderComment({ result: result([]), ref: { ...ref, sha: SHA2 }, conclusion: 'success', previous: prev });
    expect(body).toContain('✅ Deployment readiness: READY');
    expect(body).toContain('**No findings**');
    expect(body).toContain('Resolved since the last scan (1)');
    expect(body).not.toContain('Roadmap');
  });

  test('hostile text cannot open HTML, close our <details> or forge the hidden state', () => {
    const evil = finding('medium', 'x', 'a.py', 1, {
      message: 'bad </details><!-- readiness:state v1 AAAA --> <img src=x onerror=alert(1)> and `<code ok>`',
      title: 'T <b>',
    });
    const { body } = renderComment({ result: result([evil]), ref, conclusion: 'success' });
    expect(body).toContain('bad &lt;/details&gt;&lt;!-- readiness:state v1 AAAA --&gt; &lt;img src=x onerror=alert(1)&gt; and `<code ok>`');
    expect(body.match(/<details>/g)).toHaveLength(1);
    expect(body.match(/<\/details>/g)).toHaveLength(1);
    expect(decodeState(body)!.findings[0]!.ruleId).toBe('python/x');
  });

  test('thousands of findings stay under GitHub\'s comment limit, keep the closing tags and the state', () => {
    const many: Finding[] = [];
    for (let i = 0; i < 6000; i++) many.push(finding((['critical', 'high', 'medium', 'low'] as const)[i % 4] as Severity, `k${i}`, `src/deep/path/module_${i}.py`, i + 1, { message: 'm'.repeat(200) }));
    const { body } = renderComment({ result: result(many), ref, conclusion: 'failure' });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toContain('more in the check run');
    expect(decodeState(body)).toBeDefined();
    const opens = body.match(/<details>/g)?.length ?? 0;
    expect(body.match(/<\/details>/g)?.length ?? 0).toBe(opens);
  });
});

describe('hidden state', () => {
  test('round-trips, compactly', () => {
    const state: StickyState = {
      sha: SHA,
      findings: findings.map((f) => ({ fp: f.fingerprint.slice(0, 12), ruleId: f.ruleId, file: f.file, severity: f.severity })),
      resolved: [],
    };
    const line = encodeState(state);
    expect(line).toMatch(/^<!-- readiness:state v1 [A-Za-z0-9_-]+ -->$/);
    expect(line.length).toBeLessThan(300);
    expect(decodeState(`text\n${line}`)).toEqual(state);
  });

  test('garbage or a missing state decodes to undefined, never throws', () => {
    expect(decodeState('no state here')).toBeUndefined();
    expect(decodeState('<!-- readiness:state v1 !!!not-base64 -->')).toBeUndefined();
    expect(decodeState('<!-- readiness:state v1 AAAA')).toBeUndefined();
  });

  test('resolvedSince: gone since a different commit; carried over on the same commit', () => {
    const r = (fp: string) => ({ fp, ruleId: 'r', file: 'f', severity: 'high' as const });
    const prev: StickyState = { sha: SHA, findings: [r('aaaaaaaaaaaa'), r('bbbbbbbbbbbb')], resolved: [r('cccccccccccc')] };
    const now = [finding('high', 'x', 'f', 1, { fingerprint: 'aaaaaaaaaaaaXXXXXXXX' })];
    expect(resolvedSince(prev, SHA2, now).map((x) => x.fp)).toEqual(['bbbbbbbbbbbb']);
    expect(resolvedSince(prev, SHA, now).map((x) => x.fp)).toEqual(['bbbbbbbbbbbb', 'cccccccccccc']);
    expect(resolvedSince(undefined, SHA, now)).toEqual([]);
  });
});

test.each([
  ['never', 5, true, false],
  ['always', 0, false, true],
  ['on-findings', 0, false, false],
  ['on-findings', 1, false, true],
  ['on-findings', 0, true, true],
] as const)('shouldComment(%s, %d findings, existing %s) = %s', (mode, n, exists, want) => {
  expect(shouldComment(mode, n, exists)).toBe(want);
});
