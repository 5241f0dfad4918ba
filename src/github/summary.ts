import { SEVERITIES, atOrAbove, type Finding, type ScanResult, type Skip } from '../engine/types.js';
import { SEVERITY_LABEL, formatEffort } from '../report/format.js';
import { MAX_CHECK_OUTPUT_CHARS } from './limits.js';
import {
  Budget,
  SEVERITY_ICON,
  checkTitle,
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

export interface CheckOutputInput {
  result: ScanResult;
  ref: CommitRef;
  cmp?: Comparison;
  gate: 'all' | 'new';
  /** Findings sent as annotations, and how many were not (cap, or no such file). */
  annotated: number;
  notAnnotated: number;
  /** Where the config came from (`owner/repo:.github/readiness.yml`), empty for defaults. */
  configSources: string[];
}

export interface CheckOutput {
  title: string;
  summary: string;
  text: string;
}

const TRUNCATED_NOTE = '\n_… truncated to fit GitHub\'s 65,535-character limit; run `readiness scan` locally for everything._';

/**
 * The check run's output: a summary a reviewer reads in five seconds (verdict, counts, what
 * blocks, what was skipped) and a text with every finding, its message and its fix. Both fit
 * GitHub's 65,535-character limit by construction; the text says how much it left out.
 */
export function renderCheckOutput(input: CheckOutputInput): CheckOutput {
  return { title: checkTitle(input.result, input.cmp), summary: renderSummary(input), text: renderDetails(input) };
}

function renderSummary(input: CheckOutputInput): string {
  const { result, cmp, gate } = input;
  const s = result.summary;
  const failOn = s.failOn;
  const blocking = result.findings.filter((f) => atOrAbove(f.severity, failOn) && (gate === 'all' || isNewFinding(f, cmp)));
  const head: string[] = [];
  head.push(blocking.length ? '## 🔴 NOT DEPLOYABLE' : '## ✅ READY', '');
  const counts = countsPhrase(result);
  const newCount = cmp ? result.findings.filter((f) => isNewFinding(f, cmp)).length : undefined;
  const bits = [counts ? `**${counts}**` : '**No findings**'];
  if (cmp) bits.push(`${newCount} new compared with ${code(cmp.baseLabel)}`);
  if (result.findings.length) bits.push(`estimated effort ${formatEffort(s.effortMinutes)}`);
  head.push(bits.join(' · '), '');
  if (result.findings.length) {
    head.push(cmp ? '| Severity | Findings | New |' : '| Severity | Findings |', cmp ? '| --- | --: | --: |' : '| --- | --: |');
    for (const sev of SEVERITIES) {
      const n = s.counts[sev];
      if (!n) continue;
      const row = `| ${SEVERITY_ICON[sev]} ${sev} | ${n} |`;
      head.push(cmp ? `${row} ${result.findings.filter((f) => f.severity === sev && isNewFinding(f, cmp)).length} |` : row);
    }
    head.push('');
  }
  head.push(
    failOn === 'none'
      ? 'This check never fails on findings (`fail_on: none`).'
      : `This check fails on ${gate === 'new' ? 'new ' : ''}findings at or above **${failOn}**${gate === 'new' ? ` (\`gate: new\`: findings already on ${cmp ? code(cmp.baseLabel) : 'the base'} do not fail it)` : ''}.`,
    '',
  );

  const footer: string[] = [''];
  const skippedBig = result.skipped.filter((k) => k.reason === 'too-large');
  footer.push(
    `<sub>Scanned ${s.filesRead} of ${s.filesListed} files at ${code(input.ref.sha.slice(0, 7))} with ${s.checksRun} checks in ${s.durationMs} ms. ` +
      `Config: ${input.configSources.length ? input.configSources.map(code).join(' + ') : 'defaults (no `.github/readiness.yml` on the default branch)'}.</sub>`,
  );

  const b = new Budget(MAX_CHECK_OUTPUT_CHARS - footer.join('\n').length - 200);
  b.add(head);
  if (blocking.length) {
    b.add(['### What blocks the deploy', '']);
    let shown = 0;
    for (const f of blocking) {
      if (!b.add(findingLine(f, input), 120)) break;
      shown++;
    }
    if (shown < blocking.length) b.force(`- _…and ${blocking.length - shown} more, listed in the details below._`);
    b.add('');
  }
  if (input.notAnnotated > 0) {
    b.add([`_${input.annotated} findings are annotated on the diff; ${input.notAnnotated} more ${input.notAnnotated === 1 ? 'is' : 'are'} listed in the details below._`, '']);
  }
  addSkipped(b, skippedBig);
  if (result.notices.length) {
    b.add(['### Notes', '']);
    for (const n of result.notices) if (!b.add(`- ${n.file ? `${code(n.file)}: ` : ''}${inline(n.message)}`, 80)) break;
    b.add('');
  }
  return hardLimit(b.text() + footer.join('\n'), MAX_CHECK_OUTPUT_CHARS, TRUNCATED_NOTE);
}

function addSkipped(b: Budget, skipped: Skip[]): void {
  if (!skipped.length) return;
  b.add(['### Skipped for size', '']);
  let shown = 0;
  for (const k of skipped) {
    if (!b.add(`- ${code(k.path)}${k.detail ? ` (${inline(k.detail)})` : ''}`, 80)) break;
    shown++;
  }
  if (shown < skipped.length) b.force(`- _…and ${skipped.length - shown} more_`);
  b.add('');
}

function findingLine(f: Finding, input: CheckOutputInput): string {
  const fresh = input.cmp && isNewFinding(f, input.cmp) ? ' **(new)**' : '';
  return `- ${SEVERITY_ICON[f.severity]} **${inline(f.title)}** ${locationLink(input.ref, f)}${fresh}: ${inline(f.message)}`;
}

function renderDetails(input: CheckOutputInput): string {
  const { result } = input;
  if (!result.findings.length) return 'Nothing to fix. 🎉';
  const b = new Budget(MAX_CHECK_OUTPUT_CHARS - 300);
  let shown = 0;
  let n = 0;
  for (const sev of SEVERITIES) {
    const group = result.findings.filter((f) => f.severity === sev);
    if (!group.length) continue;
    if (!b.add([`## ${SEVERITY_ICON[sev]} ${SEVERITY_LABEL[sev]} (${group.length}, ${effortOf(group)})`, ''], 200)) break;
    for (const f of group) {
      n++;
      const fresh = input.cmp && isNewFinding(f, input.cmp) ? ' · **new**' : '';
      const block = [
        `### ${n}. ${inline(f.title)}`,
        `${locationLink(input.ref, f)} · ${code(f.ruleId)} · ${formatEffort(f.effort)}${fresh}`,
        '',
        inline(f.message),
        '',
        ...fixBlock(f.fix, ''),
        '',
      ];
      if (!b.add(block, 200)) break;
      shown++;
    }
    if (b.full) break;
  }
  if (shown < result.findings.length) {
    b.force(`_…and ${result.findings.length - shown} more findings not shown here (GitHub limits this text to 65,535 characters); run \`readiness scan\` locally for the full list._`);
  }
  return hardLimit(b.text(), MAX_CHECK_OUTPUT_CHARS, TRUNCATED_NOTE);
}

/** The failed check's output when `.github/readiness.yml` is invalid: the error and its line. */
export function renderConfigError(err: { message: string; file: string; line?: number }): CheckOutput {
  const where = err.line ? `${err.file}, line ${err.line}` : err.file;
  return {
    title: 'Invalid readiness configuration',
    summary: [
      '## ⚠️ The readiness configuration is invalid',
      '',
      `${code(where)}:`,
      '',
      `> ${inline(err.message)}`,
      '',
      'Nothing was scanned. Fix the file on the default branch (the configuration is always read from there, so a pull request cannot change how it is judged), then re-run this check.',
    ].join('\n'),
    text: '',
  };
}

/** The output when the scan itself failed (GitHub unreachable, a bug): what happened, what to do. */
export function renderScanError(message: string, failOnError: boolean): CheckOutput {
  return {
    title: 'The scan did not complete',
    summary: [
      '## ⚠️ The scan did not complete',
      '',
      `> ${inline(message).slice(0, 2000)}`,
      '',
      failOnError
        ? 'This check fails on scan errors (`fail_on_error: true`).'
        : 'The check is marked neutral so an outage does not block merging (set `fail_on_error: true` to fail instead). Press **Re-run** or comment `/readiness rescan` to try again.',
    ].join('\n'),
    text: '',
  };
}
