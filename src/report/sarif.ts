import type { RuleInfo, ScanResult, Severity } from '../engine/types.js';

/** SARIF levels GitHub code scanning understands. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub shows `security-severity` as a score; these follow its bands (critical >= 9, high >= 7). */
const SCORE: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0' };

/** SARIF 2.1.0 that GitHub code scanning accepts (upload with github/codeql-action/upload-sarif). */
export function renderSarif(result: ScanResult, opts: { version?: string } = {}): string {
  const rules = result.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'readiness',
            version: opts.version ?? '0.1.0',
            rules: rules.map(sarifRule),
          },
        },
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId) ?? 0,
          level: LEVEL[f.severity],
          message: { text: `${f.message}\nFix: ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, endLine: f.endLine },
              },
            },
          ],
          partialFingerprints: { 'readinessFingerprint/v1': f.fingerprint },
          properties: { severity: f.severity, effortMinutes: f.effort },
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function sarifRule(r: RuleInfo) {
  return {
    id: r.id,
    name: r.id
      .split(/[/-]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: r.title },
    fullDescription: { text: r.docs },
    help: { text: `${r.docs}\n\nFix: ${r.fix}`, markdown: `${r.docs}\n\n**Fix:** ${r.fix}` },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: ['deployment', r.id.split('/')[0]], precision: 'high', 'security-severity': SCORE[r.severity] },
  };
}
