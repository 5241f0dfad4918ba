/**
 * The data a scan produces. Everything here is plain data: renderers, the CLI and the
 * GitHub App read it, none of them add to it.
 */

/** Severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for sorting and thresholds: critical = 0 ... low = 3. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** True when `s` is at or above `threshold` (`none` is never reached). */
export function atOrAbove(s: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && severityRank(s) <= severityRank(threshold);
}

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** One deployment problem, at one place. The JSON output is exactly this shape. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  /** Relative to the scanned root, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  endLine: number;
  title: string;
  /** What breaks and why, naming the exact symbol, variable, file or version. */
  message: string;
  /** Concrete steps; a replacement line where one exists. */
  fix: string;
  /** Estimated minutes to fix. */
  effort: number;
  /** Stable across line shifts: hash of rule, file and the finding's own key. */
  fingerprint: string;
}

export type SkipReason =
  | 'binary'
  | 'too-large'
  | 'symlink'
  | 'vendored'
  | 'gitignored'
  | 'config-ignored'
  | 'unreadable'
  | 'invalid-utf8';

/** A file or folder the scan did not read, and why. */
export interface Skip {
  path: string;
  reason: SkipReason;
  detail?: string;
}

/** Something the user should know that is not a finding (a check crashed, a file did not parse). */
export interface Notice {
  kind: 'internal' | 'parse' | 'config';
  message: string;
  ruleId?: string;
  file?: string;
}

export interface Summary {
  verdict: 'NOT DEPLOYABLE' | 'READY';
  failOn: Severity | 'none';
  counts: Record<Severity, number>;
  /** Summed effort of all findings, minutes. */
  effortMinutes: number;
  filesListed: number;
  filesRead: number;
  checksRun: number;
  durationMs: number;
}

export interface ScanResult {
  findings: Finding[];
  skipped: Skip[];
  notices: Notice[];
  summary: Summary;
  /** Metadata of the rules that ran, for SARIF and docs links. */
  rules: RuleInfo[];
}

/** What renderers need to know about a rule. */
export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  docs: string;
  fix: string;
  effort: number;
}
