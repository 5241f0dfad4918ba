import type { ProjectModel } from '../model/project.js';
import type { RuleInfo, Severity } from './types.js';

/**
 * What a check reports: where, what, and the key that identifies this finding across edits.
 * The engine fills in rule id, title, fingerprint and the defaults from the metadata.
 */
export interface Report {
  file: string;
  line: number;
  endLine?: number;
  /** Names the exact symbol, variable, file or version that breaks. */
  message: string;
  /** Identifies the finding within rule + file (e.g. the variable name); never a line number. */
  key: string;
  /** Overrides the rule's default severity for this finding (e.g. critical vs medium). */
  severity?: Severity;
  /** The concrete fix for this finding; falls back to the rule's generic fix. */
  fix?: string;
  /** Minutes; falls back to the rule's effort. */
  effort?: number;
}

/**
 * What the I/O half of a scan needs of a rule, as plain data: its catalogue entry and the files it
 * reads. It crosses thread boundaries (an analysis thread reports its catalogue, threads.ts), so a
 * process that only collects never loads a check or the model.
 */
export interface CheckMeta extends RuleInfo {
  /** Glob patterns (picomatch, relative to the repo root) of the files this check reads. */
  files: readonly string[];
}

/** A readiness rule: metadata plus a pure function over the project model. */
export interface Check extends CheckMeta {
  /** A short example of what fires, for the rule catalogue. */
  example: string;
  run(model: ProjectModel): Report[];
}

/** A check's metadata alone (no function, no example): what an analysis thread reports. */
export function checkMeta(c: CheckMeta): CheckMeta {
  return { id: c.id, title: c.title, severity: c.severity, docs: c.docs, fix: c.fix, effort: c.effort, files: [...c.files] };
}

/** Identity helper that keeps check files short and typed. */
export function defineCheck(check: Check): Check {
  return check;
}
