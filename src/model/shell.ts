import { parse as parseShell } from 'shell-quote';

/** One simple command of a command line, after `&&`, `;`, pipes and `sh -c` are taken apart. */
export interface SimpleCommand {
  /** Program and arguments, quotes removed; `${VAR}` references are kept literally. */
  argv: string[];
  /** Leading `NAME=value` assignments. */
  env: Record<string, string>;
  /** Directory the command runs in, relative to where the line started (`cd backend && ...`). */
  cwd: string;
  /** The operator that joins this command to the previous one (`&&`, `||`, `;`, `|`), if any. */
  joinedBy?: string;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', '/bin/sh', '/bin/bash', '/usr/bin/env']);
const WRAPPERS = new Set(['exec', 'nohup', 'time', 'sudo']);
/** Recursion bound for `sh -c "sh -c ..."`. */
const MAX_DEPTH = 4;

/**
 * Splits a shell command line into simple commands with shell-quote (no regex, nothing executed).
 * Follows `cd dir`, unwraps `sh -c "..."`, `bash -lc`, `exec`, `nohup` and leading env
 * assignments, so `cd backend && exec uvicorn app.main:app` yields `uvicorn` run in `backend`.
 */
export function parseCommandLine(line: string, cwd = '', depth = 0): SimpleCommand[] {
  let tokens: ReturnType<typeof parseShell>;
  try {
    tokens = parseShell(line, (key) => `\${${key}}`);
  } catch {
    return [];
  }
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let dir = cwd;
  let joinedBy: string | undefined;
  const flush = (op?: string) => {
    const cmd = toCommand(words, dir, joinedBy, depth);
    for (const c of cmd) {
      if (c.argv[0] === 'cd' && c.argv.length === 2 && !c.argv[1]!.includes('$')) dir = joinPath(dir, c.argv[1]!);
      out.push(c);
    }
    words = [];
    joinedBy = op;
  };
  for (const t of tokens) {
    if (typeof t === 'string') words.push(t);
    else if ('comment' in t) break;
    else if ('op' in t) {
      if (t.op === 'glob') words.push((t as { pattern: string }).pattern);
      else if (['&&', '||', ';', '|', '&', ';;', '|&'].includes(t.op)) flush(t.op);
      else if (t.op === '(' || t.op === ')') flush(';');
      // redirections (>, <, 2>&1) end argument parsing for this word but keep the command
    }
  }
  flush();
  return out;
}

function toCommand(words: string[], cwd: string, joinedBy: string | undefined, depth: number): SimpleCommand[] {
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.indexOf('=');
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(w.slice(0, eq))) env[w.slice(0, eq)] = w.slice(eq + 1);
    else break;
  }
  let argv = words.slice(i);
  while (argv.length && WRAPPERS.has(argv[0]!)) argv = argv.slice(1);
  if (argv[0] === '/usr/bin/env' || argv[0] === 'env') {
    argv = argv.slice(1);
    while (argv.length && argv[0]!.includes('=')) argv = argv.slice(1);
  }
  if (argv.length === 0) return [];
  if (SHELLS.has(argv[0]!) && depth < MAX_DEPTH) {
    const c = argv.findIndex((a) => /^-[a-z]*c$/.test(a));
    if (c > 0 && argv[c + 1] !== undefined) {
      const inner = parseCommandLine(argv[c + 1]!, cwd, depth + 1);
      if (inner[0]) inner[0].joinedBy = joinedBy;
      return inner;
    }
  }
  return [{ argv, env, cwd, joinedBy }];
}

/** Joins a relative `cd` target onto a repo-relative directory ('' is the start). */
export function joinPath(base: string, target: string): string {
  if (target.startsWith('/')) return target;
  const parts = base ? base.split('/') : [];
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}
