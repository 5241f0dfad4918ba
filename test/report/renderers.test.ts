import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { formatEffort } from '../../src/report/format.js';
import { RESULT } from './fixture.js';

describe('renderers', () => {
  test('text: grouped by severity, file:line, fix, verdict and summed effort, no colour by default', () => {
    const t = renderText(RESULT);
    expect(t).not.toContain('\x1b[');
    expect(t.indexOf('Critical')).toBeLessThan(t.indexOf('High'));
    expect(t).toContain('backend/config.py:3');
    expect(t).toContain('Fix (10 min): from pydantic_settings import BaseSettings');
    expect(t.trimEnd().split('\n').at(-1)).toBe('NOT DEPLOYABLE: 1 critical, 1 high, 1 low  (estimated effort 1 h 12 min)');
    expect(renderText(RESULT, { color: true })).toContain('\x1b[1;31m');
  });

  test('text: a clean scan says READY', () => {
    const clean = { ...RESULT, findings: [], notices: [], summary: { ...RESULT.summary, verdict: 'READY' as const, counts: { critical: 0, high: 0, medium: 0, low: 0 }, effortMinutes: 0 } };
    expect(renderText(clean).trimEnd().split('\n').at(-1)).toBe('READY: no blockers');
  });

  test('json: exactly the documented shape', () => {
    const j = JSON.parse(renderJson(RESULT));
    expect(Object.keys(j)).toEqual(['findings', 'skipped', 'summary']);
    expect(Object.keys(j.findings[0])).toEqual(['ruleId', 'severity', 'file', 'line', 'endLine', 'title', 'message', 'fix', 'effort', 'fingerprint']);
    expect(j.summary.counts).toEqual({ critical: 1, high: 1, medium: 0, low: 1 });
    expect(j.summary.notices).toHaveLength(1);
    expect(j.skipped).toEqual([{ path: 'node_modules', reason: 'vendored' }]);
  });

  test('sarif: 2.1.0 with rules, levels and partial fingerprints', () => {
    const s = JSON.parse(renderSarif(RESULT));
    expect(s.version).toBe('2.1.0');
    const run = s.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RESULT.rules.map((r) => r.id));
    expect(run.tool.driver.rules[0].help.text).toContain('Fix text.');
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(['error', 'error', 'note']);
    expect(run.results[1].ruleIndex).toBe(1);
    expect(run.results[0].partialFingerprints).toEqual({ 'readinessFingerprint/v1': 'aaaaaaaaaaaaaaaaaaaa' });
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'backend/config.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, endLine: 3 },
    });
  });

  test('markdown: verdict, findings and a phased roadmap', () => {
    const m = renderMarkdown(RESULT);
    expect(m).toContain('**NOT DEPLOYABLE: 1 critical, 1 high, 1 low**');
    expect(m).toContain('### 1. Import removed in the pinned version');
    expect(m).toContain('### Phase 1: Critical fixes (10 min)');
    expect(m).toContain('### Phase 2: High priority (1 h)');
    expect(m).toContain('1. Command names a file that does not exist: `README.md:14` (1 h)');
    expect(m.indexOf('Phase 1')).toBeLessThan(m.indexOf('Phase 2'));
  });

  test('effort formatting', () => {
    expect([5, 60, 90, 125].map(formatEffort)).toEqual(['5 min', '1 h', '1 h 30 min', '2 h 5 min']);
  });
});
