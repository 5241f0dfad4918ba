import { atOrAbove, type Finding, type ScanResult, type Severity } from '../engine/types.js';
import {
  ANNOTATIONS_PER_REQUEST,
  EXTERNAL_ID_PR_PREFIX,
  MAX_ANNOTATION_MESSAGE_CHARS,
  MAX_ANNOTATION_TITLE_CHARS,
  MAX_ANNOTATIONS,
} from './limits.js';
import { isNewFinding, type Comparison } from './parts.js';

/** The name every readiness check run carries; required status checks match on it. */
export const CHECK_NAME = 'Deployment readiness';

/** The "Rescan" button on the check run page (identifier ≤ 20 chars, label ≤ 20, description ≤ 40). */
export const RESCAN_ACTION = { label: 'Rescan', description: 'Scan this commit again', identifier: 'rescan' } as const;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details?: string;
}

const LEVEL: Record<Severity, Annotation['annotation_level']> = {
  critical: 'failure',
  high: 'failure',
  medium: 'warning',
  low: 'notice',
};

/**
 * `failure` when a finding at or above fail_on exists (only new ones with `gate: new`), else
 * `success`. Never `action_required`: a required check must be fixable by fixing the code.
 */
export function conclusionFor(result: ScanResult, gate: 'all' | 'new', cmp: Comparison | undefined): 'success' | 'failure' {
  const failOn = result.summary.failOn;
  const blocking = result.findings.some((f) => atOrAbove(f.severity, failOn) && (gate === 'all' || isNewFinding(f, cmp)));
  return blocking ? 'failure' : 'success';
}

/**
 * One annotation per finding, most severe first (the findings arrive sorted), capped at
 * MAX_ANNOTATIONS. Findings about a file that is not in the commit (a missing Procfile, say)
 * cannot be annotated: GitHub rejects unknown paths; they stay in the summary.
 */
export function buildAnnotations(findings: readonly Finding[], filesInCommit: ReadonlySet<string>): { annotations: Annotation[]; notAnnotated: number } {
  const annotations: Annotation[] = [];
  let notAnnotated = 0;
  for (const f of findings) {
    if (annotations.length >= MAX_ANNOTATIONS || !filesInCommit.has(f.file) || f.line < 1) {
      notAnnotated++;
      continue;
    }
    annotations.push({
      path: f.file,
      start_line: f.line,
      end_line: Math.max(f.endLine, f.line),
      annotation_level: LEVEL[f.severity],
      title: clip(`${f.title} (${f.ruleId})`, MAX_ANNOTATION_TITLE_CHARS),
      message: clip(f.message, MAX_ANNOTATION_MESSAGE_CHARS),
      raw_details: clip(`Fix: ${f.fix}`, MAX_ANNOTATION_MESSAGE_CHARS),
    });
  }
  return { annotations, notAnnotated };
}

/** Splits annotations into update-sized batches (50 each, GitHub's per-request limit). */
export function annotationBatches(annotations: readonly Annotation[]): Annotation[][] {
  const out: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) out.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return out;
}

/** `pr:12` in the check run's external_id: how a re-run finds its PR (forks list none). */
export function externalIdFor(pr: number | undefined): string | undefined {
  return pr === undefined ? undefined : `${EXTERNAL_ID_PR_PREFIX}${pr}`;
}

export function prFromExternalId(id: string | null | undefined): number | undefined {
  if (!id?.startsWith(EXTERNAL_ID_PR_PREFIX)) return undefined;
  const n = Number(id.slice(EXTERNAL_ID_PR_PREFIX.length));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
