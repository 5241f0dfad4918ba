import { ALL_CHECKS } from '../../checks/index.js';
import { ProjectModel } from '../model/project.js';
import { prepareParsers } from '../model/parsers.js';
import type { Check, Report } from './check.js';
import type { FactCache } from './fact-cache.js';
import { collect, type CollectOptions, type ScanInput } from './collect.js';
import { fingerprint } from './fingerprint.js';
import type { Snapshot } from './snapshot.js';
import { applySuppressions, findSuppressions, UNUSED_SUPPRESSION_ID, type Suppression } from './suppressions.js';
import {
  atOrAbove,
  SEVERITIES,
  severityRank,
  type Finding,
  type Notice,
  type RuleInfo,
  type ScanResult,
  type Severity,
} from './types.js';

export type { ScanInput } from './collect.js';

export interface ScanOptions extends CollectOptions {
  /** The checks to run (tests pass one); defaults to the whole catalogue. */
  checks?: readonly Check[];
  /**
   * A check that takes longer than this is reported as an internal notice and its findings are
   * dropped, so one slow rule cannot hold up or distort a required status check.
   */
  checkTimeBoundMs?: number;
  /**
   * Per-file facts kept across scans (keyed by path, options and content hash): a later scan
   * parses only the files that changed. Results are identical with and without it.
   */
  factCache?: FactCache;
}

export const DEFAULT_CHECK_TIME_BOUND_MS = 20_000;

/** The engine's own rule for suppressions that silence nothing; listed in the catalogue. */
export const UNUSED_SUPPRESSION_RULE: RuleInfo = {
  id: UNUSED_SUPPRESSION_ID,
  title: 'Suppression that matches nothing',
  severity: 'low',
  docs:
    'A `readiness-ignore <rule-id>` comment that covers no finding of that rule on its line or the line below. ' +
    'Stale suppressions hide the next real problem at that spot.',
  fix: 'Delete the comment, or move it onto the line the finding points at.',
  effort: 2,
};

/** Options of the CPU half; `onCheckStart` tells a supervisor which check is running. */
export interface AnalyseOptions extends Pick<ScanOptions, 'checks' | 'checkTimeBoundMs' | 'factCache'> {
  onCheckStart?: (checkId: string) => void;
}

/**
 * Scans a snapshot: list, select the files the enabled checks need, read them once, build the
 * model, run every check (a crash or overrun becomes a notice), then apply config severities,
 * suppressions and sorting.
 */
export async function scan(snapshot: Snapshot, opts: ScanOptions = {}): Promise<ScanResult> {
  return analyse(await collect(snapshot, opts.checks ?? ALL_CHECKS, opts), opts);
}

/** The CPU half of a scan: build the model over the collected files and run the checks. */
export async function analyse(input: ScanInput, opts: AnalyseOptions = {}): Promise<ScanResult> {
  const { entries, texts, config, failOn } = input;
  const byId = new Map((opts.checks ?? ALL_CHECKS).map((c) => [c.id, c]));
  const checks = input.checkIds.map((id) => byId.get(id)).filter((c): c is Check => c !== undefined);
  const notices: Notice[] = [...(input.notices ?? [])];
  const skipped = [...input.skipped];

  await prepareParsers([...texts.keys()]);
  const model = new ProjectModel(entries, texts, { factCache: opts.factCache });
  const bound = opts.checkTimeBoundMs ?? DEFAULT_CHECK_TIME_BOUND_MS;
  let findings: Finding[] = [];
  for (const check of checks) {
    opts.onCheckStart?.(check.id);
    const t0 = performance.now();
    const factsBefore = model.factMs;
    let reports: Report[];
    try {
      reports = check.run(model);
    } catch (err) {
      notices.push({ kind: 'internal', ruleId: check.id, message: `check crashed: ${(err as Error).message}` });
      continue;
    }
    // Shared facts (parsing every Python file, say) are paid by whichever check asks first; they
    // serve every check, so only the check's own work counts against its bound.
    const took = performance.now() - t0 - (model.factMs - factsBefore);
    if (took > bound) {
      notices.push({
        kind: 'internal',
        ruleId: check.id,
        message: `check ran ${Math.round(took)} ms, past its ${bound} ms bound; its findings were dropped`,
      });
      continue;
    }
    const sev = config.rules[check.id];
    for (const r of reports) findings.push(toFinding(check, r, sev === 'off' ? undefined : sev));
  }
  notices.push(...model.notices);

  const sups: Suppression[] = [];
  for (const [p, t] of texts) sups.push(...findSuppressions(p, t));
  findings = applySuppressions(dedupe(findings), sups);
  const ran = new Set(checks.map((c) => c.id));
  if (config.rules[UNUSED_SUPPRESSION_ID] !== 'off') {
    for (const s of sups) {
      if (s.used || !ran.has(s.ruleId)) continue;
      findings.push(
        toFinding(
          { ...UNUSED_SUPPRESSION_RULE, files: [], example: '', run: () => [] },
          {
            file: s.file,
            line: s.line,
            key: s.ruleId,
            message: `\`readiness-ignore ${s.ruleId}\` at ${s.file}:${s.line} silences nothing: no ${s.ruleId} finding on this line or the next.`,
          },
          config.rules[UNUSED_SUPPRESSION_ID] as Severity | undefined,
        ),
      );
    }
  }
  findings.sort(compareFindings);

  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  const blocked = findings.some((f) => atOrAbove(f.severity, failOn));
  return {
    findings,
    skipped,
    notices,
    rules: [...checks.map(toRuleInfo), UNUSED_SUPPRESSION_RULE],
    summary: {
      verdict: blocked ? 'NOT DEPLOYABLE' : 'READY',
      failOn,
      counts,
      effortMinutes: findings.reduce((n, f) => n + f.effort, 0),
      filesListed: input.filesListed,
      filesRead: texts.size,
      checksRun: checks.length,
      durationMs: Date.now() - input.startedAt,
    },
  };
}

function toRuleInfo(c: Check): RuleInfo {
  return { id: c.id, title: c.title, severity: c.severity, docs: c.docs, fix: c.fix, effort: c.effort };
}

function toFinding(check: Check, r: Report, severityOverride: Severity | undefined): Finding {
  return {
    ruleId: check.id,
    severity: severityOverride ?? r.severity ?? check.severity,
    file: r.file,
    line: r.line,
    endLine: Math.max(r.endLine ?? r.line, r.line),
    title: check.title,
    message: r.message,
    fix: r.fix ?? check.fix,
    effort: r.effort ?? check.effort,
    fingerprint: fingerprint(check.id, r.file, r.key),
  };
}

/** One finding per fingerprint: a check that reports the same key twice is reported once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.fingerprint) && (seen.add(f.fingerprint), true));
}

/** Severity, then file, then line, then rule: the order every output uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
