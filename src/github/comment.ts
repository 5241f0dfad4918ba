import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { CommentMode } from '../engine/config.js';
import { SEVERITIES, type Finding, type ScanResult, type Severity } from '../engine/types.js';
import { formatEffort } from '../report/format.js';
import { MAX_COMMENT_CHARS } from './limits.js';
import {
  Budget,
  PHASES,
  SEVERITY_ICON,
  code,
  countsPhrase,
  effortOf,
  fixBlock,
  hardLimit,
  inline,
  isNewFinding,
  locationLink,
  type CommitRef,
  type Comparison,
} from './parts.js';

/** The hidden first line that identifies our one comment per PR. */
export const STICKY_MARKER = '<!-- readiness:sticky -->';
const STATE_OPEN = '<!-- readiness:state v1 ';
const STATE_CLOSE = ' -->';
/** Fingerprints are kept to 12 hex digits in the state: 48 bits, no collisions in practice. */
const FP_CHARS = 12;
/** The hidden state never takes more than this; past it, medium and low entries are dropped first. */
const MAX_STATE_CHARS = 24_000;

/** One finding as the hidden state remembers it: enough to say what was resolved. */
export interface RememberedFinding {
  fp: string;
  ruleId: string;
  file: string;
  severity: Severity;
}

/** What the comment carries from one scan to the next, with no database. */
export interface StickyState {
  sha: string;
  findings: RememberedFinding[];
  /** Shown as resolved; kept so re-scanning the same commit renders the same comment. */
  resolved: RememberedFinding[];
}

export interface CommentInput {
  result: ScanResult;
  ref: CommitRef;
  cmp?: Comparison;
  conclusion: 'success' | 'failure';
  previous?: StickyState;
  checkRunUrl?: string;
}

/**
 * Whether to post (or keep updating) the sticky comment. `on-findings`: only once there is
 * something to say, then keep the existing comment current even when everything is fixed.
 */
export function shouldComment(mode: CommentMode, findings: number, hasComment: boolean): boolean {
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  return findings > 0 || hasComment;
}

/** Findings of the previous scan that are gone now (same commit: what that scan showed). */
export function resolvedSince(previous: StickyState | undefined, sha: string, findings: readonly Finding[]): RememberedFinding[] {
  if (!previous) return [];
  const now = new Set(findings.map((f) => f.fingerprint.slice(0, FP_CHARS)));
  const gone = previous.findings.filter((r) => !now.has(r.fp));
  if (previous.sha !== sha) return gone;
  const seen = new Set(gone.map((r) => r.fp));
  return [...gone, ...previous.resolved.filter((r) => !now.has(r.fp) && !seen.has(r.fp))];
}

/**
 * The sticky PR comment: verdict, counts, critical and high findings (new in this PR apart from
 * those already on the base branch), what was resolved since the last scan, medium and low
 * collapsed, the summed effort and a phased roadmap; links point at the exact commit. The body
 * depends only on its input (no times, no durations), so an unchanged scan renders an identical
 * body and the comment is not edited.
 */
export function renderComment(input: CommentInput): { body: string; state: StickyState } {
  const { result, ref, cmp } = input;
  const resolved = resolvedSince(input.previous, ref.sha, result.findings);
  const state: StickyState = {
    sha: ref.sha,
    findings: result.findings.map(remember),
    resolved,
  };
  const stateLine = encodeState(state);
  const footer = [
    '',
    `<sub>${input.checkRunUrl ? `Details in the [check run](${input.checkRunUrl}). ` : ''}Comment \`/readiness rescan\` to scan again, \`/readiness help\` for more.</sub>`,
    stateLine,
  ];
  const b = new Budget(MAX_COMMENT_CHARS - footer.join('\n').length - 300);
  const blocked = input.conclusion === 'failure';
  const counts = countsPhrase(result);
  b.add([STICKY_MARKER, `### ${blocked ? '🔴' : '✅'} Deployment readiness: ${blocked ? 'NOT DEPLOYABLE' : 'READY'}`, '']);
  const bits = [counts ? `**${counts}**` : '**No findings**'];
  if (cmp && result.findings.length) bits.push(`${result.findings.filter((f) => isNewFinding(f, cmp)).length} new in this PR`);
  if (result.findings.length) bits.push(`estimated effort ${formatEffort(result.summary.effortMinutes)}`);
  bits.push(`commit ${code(ref.sha.slice(0, 7))}`);
  b.add([bits.join(' · '), '']);

  const major = result.findings.filter((f) => f.severity === 'critical' || f.severity === 'high');
  if (cmp) {
    addFindings(b, '#### 🆕 New in this pull request', major.filter((f) => isNewFinding(f, cmp)), ref, true);
    addFindings(b, `#### Already on ${code(cmp.baseLabel)}`, major.filter((f) => !isNewFinding(f, cmp)), ref, false);
  } else {
    addFindings(b, '#### Critical and high', major, ref, true);
  }

  if (resolved.length) {
    b.add([`#### ✅ Resolved since the last scan (${resolved.length})`, '']);
    let shown = 0;
    for (const r of resolved) {
      if (!b.add(`- ~~${SEVERITY_ICON[r.severity]} ${code(r.ruleId)}~~ in ${code(r.file)}`, 200)) break;
      shown++;
    }
    if (shown < resolved.length) b.force(`- _…and ${resolved.length - shown} more_`);
    b.add('');
  }

  const minor = result.findings.filter((f) => f.severity === 'medium' || f.severity === 'low');
  if (minor.length) {
    const label = SEVERITIES.filter((s) => (s === 'medium' || s === 'low') && result.summary.counts[s] > 0)
      .map((s) => `${result.summary.counts[s]} ${s}`)
      .join(', ');
    const close = ['', '</details>', ''];
    const closeCost = close.join('\n').length + 80;
    if (b.add([`<details><summary>${label} (${effortOf(minor)})</summary>`, ''], closeCost)) {
      let shown = 0;
      for (const f of minor) {
        if (!b.add(findingItem(f, ref, cmp), closeCost)) break;
        shown++;
      }
      if (shown < minor.length) b.force(`- _…and ${minor.length - shown} more in the check run_`);
      b.force(close);
    }
  }

  if (result.findings.length) addRoadmap(b, result, ref);
  if (b.full) b.force('_Some findings were left out to fit GitHub\'s comment size limit; the check run lists them._');
  const body = hardLimit([...b.lines, ...footer].join('\n'), MAX_COMMENT_CHARS, stateLine);
  return { body, state };
}

function addFindings(b: Budget, heading: string, findings: Finding[], ref: CommitRef, withFix: boolean): void {
  if (!findings.length) return;
  b.add([heading, '']);
  let shown = 0;
  for (const f of findings) {
    const lines = [findingItem(f, ref, undefined)];
    if (withFix) lines.push(...fixBlock(f.fix, '  '));
    if (!b.add(lines, 300)) break;
    shown++;
  }
  if (shown < findings.length) b.force(`- _…and ${findings.length - shown} more in the check run_`);
  b.add('');
}

function findingItem(f: Finding, ref: CommitRef, _cmp: Comparison | undefined): string {
  return `- ${SEVERITY_ICON[f.severity]} **${inline(f.title)}** ${locationLink(ref, f)}: ${inline(f.message)}`;
}

/** Phases like the hand-written reports: critical makes it deployable, high functional, rest polish. */
function addRoadmap(b: Budget, result: ScanResult, ref: CommitRef): void {
  if (!b.add(['#### Roadmap', ''], 400)) return;
  const PER_PHASE = 10;
  for (const p of PHASES) {
    const items = result.findings.filter((f) => p.severities.includes(f.severity));
    if (!items.length) continue;
    const lines = [`**${p.title}** (${items.length}, ${effortOf(items)}) → ${p.outcome}`, ''];
    items.slice(0, PER_PHASE).forEach((f, i) => lines.push(`${i + 1}. ${inline(f.title)} (${locationLink(ref, f)}), ${formatEffort(f.effort)}`));
    if (items.length > PER_PHASE) lines.push(`${PER_PHASE + 1}. _…and ${items.length - PER_PHASE} more_`);
    lines.push('');
    if (!b.add(lines, 200)) return;
  }
}

function remember(f: Finding): RememberedFinding {
  return { fp: f.fingerprint.slice(0, FP_CHARS), ruleId: f.ruleId, file: f.file, severity: f.severity };
}

type Packed = [string, string, string, number];

/** The hidden state line: deflated JSON in base64url inside an HTML comment. */
export function encodeState(state: StickyState): string {
  const pack = (rs: RememberedFinding[]): Packed[] => rs.map((r) => [r.fp, r.ruleId, r.file, SEVERITIES.indexOf(r.severity)]);
  let findings = state.findings;
  let resolved = state.resolved;
  for (;;) {
    const json = JSON.stringify({ s: state.sha, f: pack(findings), r: pack(resolved) });
    const line = `${STATE_OPEN}${deflateRawSync(Buffer.from(json)).toString('base64url')}${STATE_CLOSE}`;
    if (line.length <= MAX_STATE_CHARS || (!findings.length && !resolved.length)) return line;
    // Too big: forget the least severe half first; resolved history goes before current findings.
    if (resolved.length) resolved = resolved.slice(0, Math.floor(resolved.length / 2));
    else findings = findings.slice(0, Math.floor(findings.length / 2));
  }
}

/** Reads the hidden state back from a comment body; undefined when absent or unreadable. */
export function decodeState(body: string): StickyState | undefined {
  const start = body.lastIndexOf(STATE_OPEN);
  if (start < 0) return undefined;
  const end = body.indexOf(STATE_CLOSE, start + STATE_OPEN.length);
  if (end < 0) return undefined;
  try {
    const raw = inflateRawSync(Buffer.from(body.slice(start + STATE_OPEN.length, end), 'base64url'), { maxOutputLength: 4 * 1024 * 1024 });
    const j = JSON.parse(raw.toString('utf8')) as { s?: unknown; f?: unknown; r?: unknown };
    if (typeof j.s !== 'string') return undefined;
    return { sha: j.s, findings: unpack(j.f), resolved: unpack(j.r) };
  } catch {
    return undefined;
  }
}

function unpack(v: unknown): RememberedFinding[] {
  if (!Array.isArray(v)) return [];
  const out: RememberedFinding[] = [];
  for (const e of v) {
    if (!Array.isArray(e) || e.length !== 4) continue;
    const [fp, ruleId, file, sev] = e as unknown[];
    const severity = SEVERITIES[Number(sev)];
    if (typeof fp === 'string' && typeof ruleId === 'string' && typeof file === 'string' && severity) out.push({ fp, ruleId, file, severity });
  }
  return out;
}

/** The reply to `/readiness help`. */
export function renderHelp(): string {
  return [
    '**readiness** scans every push and pull request for what will stop this backend from deploying.',
    '',
    '- `/readiness rescan`: scan the head commit of this pull request again (write access needed).',
    '- `/readiness help`: this message.',
    '',
    'Configure it in `.github/readiness.yml` on the default branch: `fail_on` (critical, high, medium, low, none), ' +
      '`gate` (`all`, or `new` to fail only on findings this PR adds), `comment` (always, on-findings, never), `ignore` (path globs) and `rules` (per rule: off or a severity).',
  ].join('\n');
}

/** The one reply to someone who may not run commands here. */
export function renderNotAllowed(login: string): string {
  return `@${login} only people with write, maintain or admin access to this repository can run \`/readiness\` commands. A maintainer can comment \`/readiness rescan\` for you.`;
}
