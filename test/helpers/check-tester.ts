import { MemorySnapshot } from '../../src/engine/memory-snapshot.js';
import { scan } from '../../src/engine/runner.js';
import type { Check } from '../../src/engine/check.js';
import type { Finding, Severity } from '../../src/engine/types.js';

/** A fixture repository as an inline map of path to contents. */
export interface Case {
  name: string;
  files: Record<string, string>;
  /** Paths whose executable bit is set. */
  executable?: string[];
}

export interface ExpectedFinding {
  file: string;
  line: number;
  severity?: Severity;
  /** Every string must appear in the message (names the symbol, variable, file or version). */
  message?: string[];
  /** Every string must appear in the fix. */
  fix?: string[];
}

export interface InvalidCase extends Case {
  errors: ExpectedFinding[];
}

/** Runs one check through the real engine (file selection, parsers, suppressions) on a fixture. */
export async function runCheck(check: Check, c: Case): Promise<Finding[]> {
  const result = await scan(new MemorySnapshot(c.files, { executable: c.executable }), {
    checks: [check],
    config: { failOn: 'critical', ignore: [], rules: {}, comment: 'on-findings', gate: 'all', failOnError: false },
  });
  const internal = result.notices.filter((n) => n.kind === 'internal');
  if (internal.length) throw new Error(`check reported internal errors: ${internal.map((n) => n.message).join('; ')}`);
  return result.findings.filter((f) => f.ruleId === check.id);
}

/**
 * ESLint-RuleTester-style table: every `valid` case must produce no finding of the check, every
 * `invalid` case exactly the listed ones (file and line, optionally severity and message parts).
 */
export function checkTable(check: Check, cases: { valid: Case[]; invalid: InvalidCase[] }): void {
  const names = [...cases.valid, ...cases.invalid].map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`${check.id}: duplicate case name "${dup}"`);
  if (cases.valid.length === 0 || cases.invalid.length === 0)
    throw new Error(`${check.id}: a check needs cases that fire and cases that stay silent`);

  describe(check.id, () => {
    describe('valid', () => {
      for (const c of cases.valid) {
        test(c.name, async () => {
          const got = await runCheck(check, c);
          expect(got.map(brief)).toEqual([]);
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        if (c.errors.length === 0) throw new Error(`${check.id}: invalid case "${c.name}" lists no expected finding`);
        test(c.name, async () => {
          const got = await runCheck(check, c);
          expect(got.map((f) => `${f.file}:${f.line}`).sort()).toEqual(c.errors.map((e) => `${e.file}:${e.line}`).sort());
          for (const e of c.errors) {
            const f = got.find((g) => g.file === e.file && g.line === e.line)!;
            if (e.severity) expect(f.severity).toBe(e.severity);
            for (const part of e.message ?? []) expect(f.message).toContain(part);
            for (const part of e.fix ?? []) expect(f.fix).toContain(part);
            expect(f.message.length).toBeGreaterThan(20);
          }
        });
      }
    });
  });
}

function brief(f: Finding): string {
  return `${f.file}:${f.line} ${f.message}`;
}
