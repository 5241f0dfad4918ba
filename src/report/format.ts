import type { ScanResult, Severity } from '../engine/types.js';
import { SEVERITIES } from '../engine/types.js';

/** `90` → `1 h 30 min`; `5` → `5 min`. */
export function formatEffort(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** `NOT DEPLOYABLE: 3 critical, 2 high` or `READY: no blockers` (counts at or above fail_on). */
export function verdictLine(result: ScanResult): string {
  const { summary } = result;
  const parts = SEVERITIES.filter((s) => summary.counts[s] > 0).map((s) => `${summary.counts[s]} ${s}`);
  if (summary.verdict === 'READY') {
    return parts.length ? `READY: no blockers at or above ${summary.failOn} (${parts.join(', ')})` : 'READY: no blockers';
  }
  return `NOT DEPLOYABLE: ${parts.join(', ')}`;
}

/** Headings used by text and markdown, most severe first. */
export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'Critical (deployment blockers)',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};
