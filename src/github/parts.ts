import { SEVERITIES, type Finding, type ScanResult, type Severity } from '../engine/types.js';
import { formatEffort } from '../report/format.js';

/**
 * Small pure pieces shared by the check run summary and the sticky comment: counts, titles,
 * links, escaping and a length budget. Nothing here talks to GitHub.
 */

/** Where the scanned commit lives, for links that point at the exact lines. */
export interface CommitRef {
  /** `https://github.com/owner/repo` (or the GHE equivalent), from the payload's `html_url`. */
  repoUrl: string;
  sha: string;
}

/** What the head scan is compared with, when it is. */
export interface Comparison {
  /** Base branch name or short SHA, for wording ("already on `main`"). */
  baseLabel: string;
  /** Fingerprints of findings on the base commit. */
  baseFingerprints: ReadonlySet<string>;
}

export const SEVERITY_ICON: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '⚪' };

/** The phased roadmap of the hand-written reports: what each phase buys. */
export const PHASES = [
  { title: 'Phase 1: Critical fixes', outcome: 'deployable', severities: ['critical'] as Severity[] },
  { title: 'Phase 2: High priority', outcome: 'functional in production', severities: ['high'] as Severity[] },
  { title: 'Phase 3: Production polish', outcome: 'production-grade', severities: ['medium', 'low'] as Severity[] },
];

export function isNewFinding(f: Finding, cmp: Comparison | undefined): boolean {
  return !cmp || !cmp.baseFingerprints.has(f.fingerprint);
}

/** `2 critical, 3 high` (only severities present), or '' when there is nothing. */
export function countsPhrase(result: ScanResult): string {
  return SEVERITIES.filter((s) => result.summary.counts[s] > 0)
    .map((s) => `${result.summary.counts[s]} ${s}`)
    .join(', ');
}

/**
 * The check run title: `2 critical, 3 high (1 new)`; `(1 new)` only when compared with a base.
 * With no findings: `No deployment blockers`.
 */
export function checkTitle(result: ScanResult, cmp: Comparison | undefined): string {
  const counts = countsPhrase(result);
  if (!counts) return 'No deployment blockers';
  if (!cmp) return counts;
  const n = result.findings.filter((f) => isNewFinding(f, cmp)).length;
  return `${counts} (${n} new)`;
}

/** `https://github.com/o/r/blob/<sha>/path/to/file.py#L12-L14` */
export function lineLink(ref: CommitRef, f: Pick<Finding, 'file' | 'line' | 'endLine'>): string {
  const path = f.file.split('/').map(encodeURIComponent).join('/');
  const lines = f.endLine > f.line ? `#L${f.line}-L${f.endLine}` : `#L${f.line}`;
  return `${ref.repoUrl}/blob/${ref.sha}/${path}${lines}`;
}

/** `[`file.py:12`](link)` */
export function locationLink(ref: CommitRef, f: Pick<Finding, 'file' | 'line' | 'endLine'>): string {
  return `[${code(`${f.file}:${f.line}`)}](${lineLink(ref, f)})`;
}

/** Inline code that survives backticks inside the text. */
export function code(s: string): string {
  const runs = s.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/**
 * Text from findings (messages name files and symbols a repository controls) made safe for a
 * markdown line: HTML outside code spans is neutralised so nothing can open a tag, close our
 * `<details>` or forge a hidden marker; newlines become spaces.
 */
export function inline(s: string): string {
  return s
    .replace(/\r?\n+/g, ' ')
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}

/** A multi-line fix as a block under a list item (indented), or inline when it is one line. */
export function fixBlock(fix: string, indent: string): string[] {
  const lines = fix.trim().split(/\r?\n/);
  if (lines.length === 1) return [`${indent}**Fix:** ${inline(lines[0]!)}`];
  const fence = '```';
  return [`${indent}**Fix:**`, '', `${indent}${fence}`, ...lines.map((l) => `${indent}${l.replace(/```/g, '`\u200b``')}`), `${indent}${fence}`];
}

export function effortOf(findings: readonly Finding[]): string {
  return formatEffort(findings.reduce((n, f) => n + f.effort, 0));
}

/**
 * Appends lines while they fit in a character budget. Sections reserve their closing lines up
 * front, so a truncated section still closes its `<details>`.
 */
export class Budget {
  readonly lines: string[] = [];
  private used = 0;
  /** Set once something did not fit. */
  full = false;

  constructor(private readonly limit: number) {}

  get remaining(): number {
    return this.limit - this.used;
  }

  /** Adds all of `lines` (joined by newlines) if they fit in what is left after `reserve`. */
  add(lines: string | string[], reserve = 0): boolean {
    const block = Array.isArray(lines) ? lines : [lines];
    const cost = block.reduce((n, l) => n + l.length + 1, 0);
    if (this.full || this.used + cost + reserve > this.limit) {
      this.full = true;
      return false;
    }
    this.lines.push(...block);
    this.used += cost;
    return true;
  }

  /** Adds regardless of budget (closers that were reserved for). */
  force(lines: string | string[]): void {
    const block = Array.isArray(lines) ? lines : [lines];
    this.lines.push(...block);
    this.used += block.reduce((n, l) => n + l.length + 1, 0);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** Cuts at the last newline before `limit` characters and appends a note: never over the limit. */
export function hardLimit(text: string, limit: number, note: string): string {
  if (text.length <= limit) return text;
  const room = limit - note.length - 1;
  const cut = text.lastIndexOf('\n', room);
  return `${text.slice(0, cut > 0 ? cut : room)}\n${note}`;
}
