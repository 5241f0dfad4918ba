import { SEVERITIES, type ScanResult, type Severity } from '../engine/types.js';
import { formatEffort, SEVERITY_LABEL, verdictLine } from './format.js';

const COLOUR: Record<Severity | 'reset' | 'dim' | 'bold', string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};

/** Plain-text report for a terminal; colours only when asked (the CLI asks on a TTY). */
export function renderText(result: ScanResult, opts: { color?: boolean } = {}): string {
  const c = (k: keyof typeof COLOUR, s: string) => (opts.color ? `${COLOUR[k]}${s}${COLOUR.reset}` : s);
  const out: string[] = [];
  for (const sev of SEVERITIES) {
    const group = result.findings.filter((f) => f.severity === sev);
    if (!group.length) continue;
    out.push(c(sev, `${SEVERITY_LABEL[sev]} (${group.length})`), '');
    for (const f of group) {
      out.push(`  ${c('bold', `${f.file}:${f.line}`)}  ${f.title} ${c('dim', `[${f.ruleId}]`)}`);
      out.push(...indent(f.message, '    '));
      out.push(...indent(`Fix (${formatEffort(f.effort)}): ${f.fix}`, '    '));
      out.push('');
    }
  }
  for (const n of result.notices) out.push(c('dim', `note: ${n.file ? `${n.file}: ` : ''}${n.message}${n.ruleId ? ` [${n.ruleId}]` : ''}`));
  const s = result.summary;
  const skipped = result.skipped.length ? `, ${result.skipped.length} skipped` : '';
  out.push(c('dim', `Scanned ${s.filesRead} of ${s.filesListed} files with ${s.checksRun} checks in ${s.durationMs} ms${skipped}.`));
  out.push(
    c(s.verdict === 'READY' ? 'bold' : 'critical', verdictLine(result)) +
      (result.findings.length ? `  (estimated effort ${formatEffort(s.effortMinutes)})` : ''),
  );
  return out.join('\n') + '\n';
}

function indent(text: string, pad: string): string[] {
  return text.split('\n').map((l) => (l ? pad + l : l));
}
