import { fingerprint } from '../../src/engine/fingerprint.js';
import type { Finding, ScanResult, Severity } from '../../src/engine/types.js';
import { annotationBatches, buildAnnotations, conclusionFor, prFromExternalId, externalIdFor } from '../../src/github/check-run.js';
import { parseCommand } from '../../src/github/commands.js';
import { MAX_CHECK_OUTPUT_CHARS } from '../../src/github/limits.js';
import { checkTitle } from '../../src/github/parts.js';
import { renderCheckOutput, renderConfigError } from '../../src/github/summary.js';

const SHA = '1234567890abcdef1234567890abcdef12345678';
const ref = { repoUrl: 'https://github.com/acme/api', sha: SHA };

function finding(severity: Severity, key: string, file = 'app/main.py', line = 3, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: `python/${key}`,
    severity,
    file,
    line,
    endLine: line + 1,
    title: `Title ${key}`,
    message: `Message about \`${key}\``,
    fix: `Fix ${key}`,
    effort: 10,
    fingerprint: fingerprint(`python/${key}`, file, key),
    ...extra,
  };
}

function result(findings: Finding[], failOn: ScanResult['summary']['failOn'] = 'critical'): ScanResult {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    findings,
    skipped: [{ path: 'data/dump.json', reason: 'too-large', detail: '5242880 bytes > 1048576' }, { path: 'logo.png', reason: 'binary' }],
    notices: [{ kind: 'parse', file: 'docker-compose.yml', message: 'not valid YAML: <bad> at line 3' }],
    rules: [],
    summary: { verdict: 'NOT DEPLOYABLE', failOn, counts, effortMinutes: findings.length * 10, filesListed: 2000, filesRead: 150, checksRun: 40, durationMs: 812 },
  };
}

const findings = [
  finding('critical', 'a'),
  finding('high', 'b', 'Dockerfile', 2, { fix: 'Replace the line with:\nCMD ["gunicorn", "app:app"]' }),
  finding('medium', 'c', 'missing/Procfile', 1),
];
const cmp = { baseLabel: 'main', baseFingerprints: new Set([findings[1]!.fingerprint]) };

describe('check run output', () => {
  test('summary and text (snapshot)', () => {
    const out = renderCheckOutput({ result: result(findings), ref, cmp, gate: 'all', annotated: 2, notAnnotated: 1, configSources: ['acme/api:.github/readiness.yml'] });
    expect(out.title).toBe('1 critical, 1 high, 1 medium (2 new)');
    expect(out).toMatchSnapshot();
    expect(out.summary).toContain('Skipped for size');
    expect(out.summary).toContain('`data/dump.json` (5242880 bytes &gt; 1048576)');
    expect(out.summary).not.toContain('logo.png');
  });

  test('gate: new says which findings do not fail it', () => {
    const out = renderCheckOutput({ result: result(findings), ref, cmp, gate: 'new', annotated: 3, notAnnotated: 0, configSources: [] });
    expect(out.summary).toContain('fails on new findings at or above **critical**');
    expect(out.summary).toContain('defaults (no `.github/readiness.yml` on the default branch)');
  });

  test('10,000 long findings: summary and text truncated with a note, never over 65,535 characters', () => {
    const many: Finding[] = [];
    for (let i = 0; i < 10_000; i++) many.push(finding(i % 2 ? 'critical' : 'low', `k${i}`, `src/m${i}.py`, 1, { message: 'x'.repeat(300), fix: 'y\n'.repeat(20) }));
    const out = renderCheckOutput({ result: result(many), ref, gate: 'all', annotated: 150, notAnnotated: 9850, configSources: [] });
    expect(out.summary.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT_CHARS);
    expect(out.text.length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT_CHARS);
    expect(out.summary).toMatch(/…and \d+ more, listed in the details below/);
    expect(out.text).toMatch(/…and \d+ more findings not shown here/);
  });

  test('titles', () => {
    expect(checkTitle(result([]), undefined)).toBe('No deployment blockers');
    expect(checkTitle(result(findings.slice(0, 2)), undefined)).toBe('1 critical, 1 high');
    expect(checkTitle(result(findings.slice(0, 2)), cmp)).toBe('1 critical, 1 high (1 new)');
  });

  test('a config error quotes the message and the line', () => {
    const out = renderConfigError({ message: 'unknown key "failon" (known: fail_on, ignore)', file: 'acme/api:.github/readiness.yml', line: 4 });
    expect(out.summary).toContain('`acme/api:.github/readiness.yml, line 4`');
    expect(out.summary).toContain('> unknown key "failon"');
  });
});

describe('conclusion and annotations', () => {
  test('fail_on and gate decide the conclusion', () => {
    expect(conclusionFor(result(findings), 'all', cmp)).toBe('failure');
    expect(conclusionFor(result(findings.slice(1)), 'all', cmp)).toBe('success');
    expect(conclusionFor(result(findings.slice(1), 'high'), 'all', cmp)).toBe('failure');
    expect(conclusionFor(result(findings.slice(1), 'high'), 'new', cmp)).toBe('success');
    expect(conclusionFor(result(findings, 'none'), 'all', undefined)).toBe('success');
  });

  test('levels by severity, files not in the commit left out, batches of 50, capped', () => {
    const { annotations, notAnnotated } = buildAnnotations(findings, new Set(['app/main.py', 'Dockerfile']));
    expect(annotations.map((a) => [a.path, a.annotation_level, a.start_line, a.end_line])).toEqual([
      ['app/main.py', 'failure', 3, 4],
      ['Dockerfile', 'failure', 2, 3],
    ]);
    expect(annotations[1]!.raw_details).toBe('Fix: Replace the line with:\nCMD ["gunicorn", "app:app"]');
    expect(notAnnotated).toBe(1);
    const many = Array.from({ length: 400 }, (_, i) => finding('low', `k${i}`));
    const capped = buildAnnotations(many, new Set(['app/main.py']));
    expect(capped.annotations).toHaveLength(150);
    expect(capped.notAnnotated).toBe(250);
    expect(annotationBatches(capped.annotations).map((b) => b.length)).toEqual([50, 50, 50]);
    expect(annotationBatches([])).toEqual([]);
  });

  test('external_id carries the PR number', () => {
    expect(prFromExternalId(externalIdFor(42))).toBe(42);
    expect(prFromExternalId('pr:abc')).toBeUndefined();
    expect(prFromExternalId(null)).toBeUndefined();
  });
});

test.each([
  ['/readiness rescan', 'rescan'],
  ['  /Readiness   RESCAN \n', 'rescan'],
  ['/readiness help', 'help'],
  ['please /readiness rescan', undefined],
  ['/readiness rescan now', undefined],
  ['/readiness', undefined],
  ['', undefined],
] as const)('parseCommand(%j) = %s', (body, want) => {
  expect(parseCommand(body)).toBe(want);
});
