import { SEVERITIES, type Finding, type ScanResult } from '../engine/types.js';
import { formatEffort, SEVERITY_LABEL, verdictLine } from './format.js';

/** The phases of the roadmap, as the hand-written readiness reports lay them out. */
const PHASES = [
  { title: 'Phase 1: Critical fixes', goal: 'the service starts and deploys', severities: ['critical'] },
  { title: 'Phase 2: High priority', goal: 'core features work in production', severities: ['high'] },
  { title: 'Phase 3: Hardening', goal: 'production polish', severities: ['medium', 'low'] },
] as const;

/** A report a team can paste into an issue: verdict, findings by severity, phased roadmap. */
export function renderMarkdown(result: ScanResult, opts: { title?: string } = {}): string {
  const s = result.summary;
  const out: string[] = [`# ${opts.title ?? 'Deployment readiness report'}`, ''];
  out.push(`**Status:** ${s.verdict === 'READY' ? '✅' : '🔴'} **${verdictLine(result)}**  `);
  out.push(`**Estimated effort:** ${formatEffort(s.effortMinutes)}  `);
  out.push(`**Scanned:** ${s.filesRead} of ${s.filesListed} files, ${s.checksRun} checks, ${s.durationMs} ms`, '');
  let n = 0;
  for (const sev of SEVERITIES) {
    const group = result.findings.filter((f) => f.severity === sev);
    if (!group.length) continue;
    out.push(`## ${SEVERITY_LABEL[sev]}`, '');
    for (const f of group) out.push(...renderFinding(f, ++n), '');
  }
  if (result.findings.length) {
    out.push('## Roadmap', '');
    for (const p of PHASES) {
      const items = result.findings.filter((f) => (p.severities as readonly string[]).includes(f.severity));
      if (!items.length) continue;
      const effort = items.reduce((m, f) => m + f.effort, 0);
      out.push(`### ${p.title} (${formatEffort(effort)})`, `Goal: ${p.goal}.`, '');
      items.forEach((f, i) => out.push(`${i + 1}. ${f.title}: \`${f.file}:${f.line}\` (${formatEffort(f.effort)})`));
      out.push('');
    }
  }
  if (result.notices.length) {
    out.push('## Notes', '');
    for (const x of result.notices) out.push(`- ${x.file ? `\`${x.file}\`: ` : ''}${escapeInline(x.message)}`);
    out.push('');
  }
  return out.join('\n');
}

function renderFinding(f: Finding, n: number): string[] {
  return [
    `### ${n}. ${f.title}`,
    `**File:** \`${f.file}:${f.line}\` · **Rule:** \`${f.ruleId}\` · **Effort:** ${formatEffort(f.effort)}`,
    '',
    `**Problem:** ${f.message}`,
    '',
    `**Fix:** ${f.fix}`,
  ];
}

function escapeInline(s: string): string {
  return s.replace(/([<>])/g, '\\$1');
}
