import type { ScanResult } from '../engine/types.js';

/**
 * The documented JSON shape: `{"findings":[...], "skipped":[...], "summary":{...}}`, findings
 * already sorted by severity, file, line. Notices ride in the summary so the top level stays exact.
 */
export function renderJson(result: ScanResult): string {
  const findings = result.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    title: f.title,
    message: f.message,
    fix: f.fix,
    effort: f.effort,
    fingerprint: f.fingerprint,
  }));
  return JSON.stringify({ findings, skipped: result.skipped, summary: { ...result.summary, notices: result.notices } }, null, 2) + '\n';
}
