import type { Finding } from './types.js';

/** The marker a comment carries to silence a rule on its own line or the line below. */
export const SUPPRESS_MARKER = 'readiness-ignore';

/** The id of the engine's own finding for a suppression that silences nothing. */
export const UNUSED_SUPPRESSION_ID = 'readiness/unused-suppression';

export interface Suppression {
  file: string;
  /** Line of the comment; it covers this line and the next. */
  line: number;
  ruleId: string;
  used: boolean;
}

const HASH = ['#'];
const SLASH = ['//', '/*'];
const OPENERS_BY_EXT: Record<string, string[]> = {
  py: HASH, pyi: HASH, yml: HASH, yaml: HASH, toml: HASH, sh: HASH, bash: HASH, cfg: HASH,
  ini: HASH, txt: HASH, env: HASH, conf: HASH,
  ts: SLASH, tsx: SLASH, js: SLASH, jsx: SLASH, mjs: SLASH, cjs: SLASH, mts: SLASH, cts: SLASH,
  prisma: SLASH, jsonc: SLASH, json5: SLASH,
  sql: ['--', '/*'],
  md: ['<!--'], html: ['<!--'], markdown: ['<!--'],
};
const ANY = ['#', '//', '/*', '--', '<!--'];

/** Comment openers for a file, from its extension or its well-known name. */
export function commentOpeners(file: string): string[] {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (/^(Dockerfile|Containerfile|Procfile|Makefile|\.env|\.gitignore|\.dockerignore|Pipfile)/i.test(base)) return HASH;
  const dot = base.lastIndexOf('.');
  return (dot > 0 && OPENERS_BY_EXT[base.slice(dot + 1).toLowerCase()]) || ANY;
}

const RULE_ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/** Finds `readiness-ignore <rule-id>[, <rule-id>...]` markers that sit inside a comment. */
export function findSuppressions(file: string, text: string): Suppression[] {
  if (!text.includes(SUPPRESS_MARKER)) return [];
  const openers = commentOpeners(file);
  const out: Suppression[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, i) => {
    let from = 0;
    for (;;) {
      const at = lineText.indexOf(SUPPRESS_MARKER, from);
      if (at < 0) break;
      from = at + SUPPRESS_MARKER.length;
      const before = lineText.slice(0, at);
      if (!openers.some((o) => before.includes(o))) continue;
      const rest = lineText.slice(from).replace(/(-->|\*\/).*$/, '');
      for (const word of rest.split(/[\s,]+/)) {
        if (!word) continue;
        if (!RULE_ID.test(word)) break;
        out.push({ file, line: i + 1, ruleId: word, used: false });
      }
    }
  });
  return out;
}

/** Drops findings that a suppression covers and marks those suppressions used. */
export function applySuppressions(findings: Finding[], sups: Suppression[]): Finding[] {
  if (sups.length === 0) return findings;
  return findings.filter((f) => {
    const hit = sups.find(
      (s) => s.file === f.file && s.ruleId === f.ruleId && (s.line === f.line || s.line === f.line - 1),
    );
    if (hit) hit.used = true;
    return !hit;
  });
}
