import { parse as parseShell } from 'shell-quote';
import ignore, { type Ignore } from 'ignore';
import { defineFacts, lineAt, type ProjectModel } from './project.js';
import { dockerfiles } from './deploy/dockerfile.js';
import { DOCKERFILE_GLOBS } from './deploy/files.js';
import { parseCommandLine, type SimpleCommand } from './shell.js';
import { isMap, isScalar, isSeq, parseYaml } from './yaml.js';

/**
 * Every shell command the project documents or runs, with file and line: fenced shell blocks in
 * READMEs and docs, Makefile recipes, shell scripts, package.json scripts and GitHub workflow
 * `run:` steps. Each line is split with `parseCommandLine`, and the directory it runs in is
 * carried the way a shell would (a `cd` on one line of a README block holds for the next line).
 */

export type CommandSource = 'markdown' | 'makefile' | 'script' | 'package-json' | 'workflow';

/** Files the command facts read; a check that uses them spreads this into its `files`. */
export const COMMAND_FILES = [
  '**/README*.md',
  '**/readme*.md',
  'docs/**/*.md',
  '**/{Makefile,makefile,GNUmakefile}',
  '**/*.mk',
  '**/*.{sh,bash}',
  '**/package.json',
  '.github/workflows/*.{yml,yaml}',
] as const;

/** A redirection on a command line: `> out.txt` creates a file, `< in.sql` reads one. */
export interface Redirect {
  /** `<<` marks a heredoc delimiter word: neither read nor written. */
  op: '>' | '>>' | '<' | '<<';
  target: string;
}

/** One logical command line (continuations joined) as some shell would run it. */
export interface CommandLine {
  file: string;
  /** 1-based line where the command starts. */
  line: number;
  /** The text as run: continuations joined, `$ ` prompts stripped, Make variables replaced. */
  text: string;
  /**
   * The simple commands. Their `cwd` is relative to the block's start directory; it is `?` (or
   * starts with `?/`) once a `cd` to a place the model cannot know (`cd "$DIR"`) ran earlier.
   */
  commands: SimpleCommand[];
  redirects: Redirect[];
}

/**
 * Lines that share one shell: a README code block, a script, one Makefile recipe line, one
 * package.json script, one workflow `run:` step.
 */
export interface CommandBlock {
  file: string;
  source: CommandSource;
  /** For markdown, the fence's info word (`bash`, `console`, '' when unlabelled). */
  lang?: string;
  /**
   * Repo directories a relative path in this block may be relative to, most likely first:
   * make and npm run in the Makefile's / package.json's directory; a README's commands run
   * from the repo root or the README's folder; a script may be run from anywhere.
   */
  bases: string[];
  lines: CommandLine[];
  /** Makefile targets, workflow job name... anything a message may want to name. */
  label?: string;
}

/** Unknown working directory marker (after `cd "$X"`). */
export const UNKNOWN_CWD = '?';

/** Every command block in the project, by file. */
export const commandBlocks = defineFacts('command-blocks', (model): CommandBlock[] => {
  const out: CommandBlock[] = [];
  const seen = new Set<string>();
  for (const glob of COMMAND_FILES) {
    for (const file of model.read(glob)) {
      if (seen.has(file)) continue;
      seen.add(file);
      const text = model.text(file) ?? '';
      if (text.length > MAX_TEXT) {
        model.parseNotice(file, `file is over ${MAX_TEXT} bytes; its commands were not read`);
        continue;
      }
      try {
        out.push(...blocksOf(model, file, text));
      } catch (err) {
        model.parseNotice(file, `could not read commands: ${(err as Error).message}`);
      }
    }
  }
  return out;
});

/** Bytes; bigger files are not scanned for commands (generated docs, vendored scripts). */
const MAX_TEXT = 1024 * 1024;

function blocksOf(model: ProjectModel, file: string, text: string): CommandBlock[] {
  const base = baseName(file);
  if (/\.md$/i.test(file)) return markdownBlocks(file, text);
  if (base === 'package.json') return packageJsonBlocks(model, file, text);
  if (file.startsWith('.github/workflows/')) return workflowBlocks(model, file, text);
  if (/\.(sh|bash)$/.test(file)) return [scriptBlock(file, text)];
  return makefileBlocks(file, text);
}

// ---------------------------------------------------------------------------------------------
// Shell text → command lines

interface RawLine {
  line: number;
  text: string;
}

/**
 * Joins `\` continuations, drops comment lines and heredoc bodies. Lines keep the number of the
 * line they start on.
 */
export function logicalLines(lines: readonly RawLine[]): RawLine[] {
  const out: RawLine[] = [];
  let heredoc: { delim: string } | undefined;
  let pending: RawLine | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (heredoc) {
      if (raw.text.trim() === heredoc.delim) heredoc = undefined;
      continue;
    }
    let t = raw.text;
    if (!pending && /^\s*#/.test(t)) continue;
    // A quoted string that runs over several lines (`node -e "...`): one argument, up to its close.
    if (openQuote((pending ? pending.text + ' ' : '') + t)) {
      const end = closingLine(lines, i, (pending ? pending.text + ' ' : '') + t);
      if (end > i) {
        t = lines
          .slice(i, end + 1)
          .map((l) => l.text)
          .join('\n');
        i = end;
      }
    }
    const cont = /(^|[^\\])(\\\\)*\\$/.test(t);
    if (cont) t = t.slice(0, -1);
    if (pending) pending.text += ' ' + t.trim();
    else pending = { line: raw.line, text: t };
    if (cont) continue;
    const done = pending;
    pending = undefined;
    if (!done.text.trim()) continue;
    out.push(done);
    // `cat <<EOF > file` / `<<-'EOF'`: skip the body up to the delimiter line.
    const hd = /<<-?\s*(['"]?)([A-Za-z_][\w.-]*)\1/.exec(done.text.replace(/<<</g, ''));
    if (hd) heredoc = { delim: hd[2]! };
  }
  if (pending?.text.trim()) out.push(pending);
  return out;
}

/** Lines a multi-line quote may span before we give up and read the opening line alone. */
const MAX_QUOTED_LINES = 200;

/** The quote character left open at the end of `text` (outside comments), if any. */
function openQuote(text: string): string | undefined {
  let q: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q === "'") {
      if (c === "'") q = undefined;
    } else if (q === '"') {
      if (c === '\\') i++;
      else if (c === '"') q = undefined;
    } else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) break;
    else if (c === "'" || c === '"') q = c;
  }
  return q;
}

/** Index of the line that closes the quote opened in `start` (or `from` when none does). */
function closingLine(lines: readonly RawLine[], from: number, start: string): number {
  let text = start;
  for (let j = from + 1; j < lines.length && j <= from + MAX_QUOTED_LINES; j++) {
    text += '\n' + lines[j]!.text;
    if (!openQuote(text)) return j;
  }
  return from;
}

const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);

/**
 * Parses logical lines of one shell into command lines, carrying the working directory from
 * line to line (`cd backend` then `pip install -r requirements.txt`).
 */
export function parseShellLines(
  file: string,
  lines: readonly RawLine[],
  carryCwd = true,
  scriptDir?: string,
  state: { cwd: string } = { cwd: '' },
): CommandLine[] {
  const out: CommandLine[] = [];
  let cwd = state.cwd;
  const stack: string[] = [];
  let fnDepth = 0;
  for (const l of lines) {
    // Function bodies run when called, from wherever the caller is: their directory is unknown.
    const fnStart = /^\s*(function\s+[\w-]+|[\w-]+\s*\(\s*\))\s*\{?\s*$/.test(l.text);
    if (fnStart) {
      fnDepth++;
      continue;
    }
    if (fnDepth > 0 && l.text.trim() === '}') {
      fnDepth--;
      continue;
    }
    let cur = !carryCwd ? '' : fnDepth > 0 ? UNKNOWN_CWD : cwd;
    const commands = stripKeywords(parseCommandLine(l.text, ''));
    for (const c of commands) {
      c.cwd = cur;
      const verb = c.argv[0];
      if (verb === 'cd' || verb === 'pushd') {
        if (verb === 'pushd') stack.push(cur);
        cur = cdTarget(cur, c.argv[1], scriptDir);
      } else if (verb === 'popd') cur = stack.pop() ?? UNKNOWN_CWD;
    }
    out.push({ file, line: l.line, text: l.text, commands, redirects: redirectsOf(l.text) });
    if (carryCwd && fnDepth === 0) cwd = cur;
  }
  state.cwd = cwd;
  return out;
}

/**
 * Where `cd target` leads from `cwd`. A script's `cd "$(dirname "$0")/.."` is resolved against
 * the script's own folder (a repo-rooted `@/...` directory); other variables make it unknown.
 */
function cdTarget(cwd: string, target: string | undefined, scriptDir: string | undefined): string {
  if (target === undefined || target === '-' || /^~/.test(target)) return UNKNOWN_CWD;
  if (scriptDir !== undefined && /dirname/.test(target) && /\$\{?0\b|BASH_SOURCE/.test(target)) {
    const rest = target.slice(target.lastIndexOf(')') + 1);
    return joinCwd(`@${scriptDir ? '/' + scriptDir : ''}`, rest.replace(/^\//, ''));
  }
  if (/[$`]/.test(target)) return UNKNOWN_CWD;
  return joinCwd(cwd, target);
}

/**
 * Joins a `cd` target onto a cwd. Cwds are relative to the block's start ('' or `a/b`), rooted
 * at the repository (`@`, `@/a/b`), outside it (`/abs`) or unknown (`?`).
 */
function joinCwd(base: string, target: string): string {
  if (target.startsWith('/')) return target;
  if (base.startsWith(UNKNOWN_CWD) || base.startsWith('/')) return base.startsWith('/') ? base : UNKNOWN_CWD;
  const rooted = base.startsWith('@');
  const rel = rooted ? base.slice(2) : base;
  const parts = rel ? rel.split('/') : [];
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      // Leaving the directory the block started in: we no longer know where we are.
      if (parts.length === 0) return UNKNOWN_CWD;
      parts.pop();
    } else parts.push(seg);
  }
  const joined = parts.join('/');
  return rooted ? (joined ? `@/${joined}` : '@') : joined;
}

/** Drops `if`, `then`, `do`... so `if [ -f x ]; then ./run.sh; fi` yields `[ -f x ]` and `./run.sh`. */
function stripKeywords(cmds: SimpleCommand[]): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  for (const c of cmds) {
    let i = 0;
    while (i < c.argv.length && SHELL_KEYWORDS.has(c.argv[i]!)) i++;
    if (c.argv[0] === 'for' || c.argv[0] === 'case' || c.argv[0] === 'esac' || c.argv[0] === 'function') continue;
    if (i >= c.argv.length) continue;
    out.push(i ? { ...c, argv: c.argv.slice(i) } : c);
  }
  return out;
}

/** Redirections of a line, read from shell-quote's tokens (parseCommandLine keeps only words). */
export function redirectsOf(text: string): Redirect[] {
  let tokens: ReturnType<typeof parseShell>;
  try {
    tokens = parseShell(text, (key) => `\${${key}}`);
  } catch {
    return [];
  }
  const out: Redirect[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (typeof t !== 'object' || !('op' in t) || typeof next !== 'string') continue;
    if (t.op === '>' || t.op === '>>' || t.op === '>|' || t.op === '&>') out.push({ op: t.op === '>>' ? '>>' : '>', target: next });
    else if (t.op === '<') out.push({ op: '<', target: next });
    else if (t.op === '<<' || t.op === '<<-' || t.op === '<<<') out.push({ op: '<<', target: next.replace(/^-/, '') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession', 'terminal', 'sh-session', '']);

/** The first words of lines that make an unlabelled block look like a list of commands. */
const COMMAND_WORDS = new Set([
  'alembic', 'apt', 'apt-get', 'bash', 'brew', 'bun', 'cargo', 'cat', 'cd', 'celery', 'chmod', 'cp', 'curl',
  'deno', 'django-admin', 'docker', 'docker-compose', 'echo', 'export', 'flask', 'git', 'go', 'gunicorn',
  'heroku', 'helm', 'kubectl', 'ln', 'ls', 'make', 'mkdir', 'mv', 'node', 'npm', 'npx', 'pip', 'pip3',
  'pipenv', 'pnpm', 'poetry', 'psql', 'pytest', 'python', 'python3', 'railway', 'rm', 'sh', 'source',
  'sudo', 'touch', 'uv', 'uvicorn', 'wget', 'yarn', 'fly', 'flyctl', 'render', 'terraform', 'tsx', 'ts-node',
]);

interface Fence {
  char: string;
  len: number;
  indent: number;
  lang: string;
  startLine: number;
  body: RawLine[];
}

/** Fenced code blocks (``` and ~~~, CommonMark-style closing rules), with their info word. */
export function fencedBlocks(text: string): Fence[] {
  const lines = text.split(/\r?\n/);
  const out: Fence[] = [];
  let open: Fence | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(l);
    if (open) {
      if (m && m[2]![0] === open.char && m[2]!.length >= open.len && l.trim() === m[2]) {
        out.push(open);
        open = undefined;
      } else {
        // Content lines lose up to the fence's own indentation (fences inside list items).
        let k = 0;
        while (k < open.indent && l[k] === ' ') k++;
        open.body.push({ line: i + 1, text: l.slice(k) });
      }
      continue;
    }
    if (m && !(m[2]![0] === '`' && l.slice(m[0].length).includes('`'))) {
      const lang = m[3]!.replace(/^\{\.?|\}$/g, '').split(/[,{]/)[0]!.toLowerCase();
      open = { char: m[2]![0]!, len: m[2]!.length, indent: m[1]!.length, lang, startLine: i + 1, body: [] };
    }
  }
  return out;
}

function markdownBlocks(file: string, text: string): CommandBlock[] {
  let bases = selfAndAncestors(dirName(file));
  // A page under docs/ documents the project above it: its commands run from there.
  const segs = dirName(file).split('/');
  const d = segs.findIndex((x) => /^(docs?|documentation|wiki|guides?)$/i.test(x));
  if (d >= 0) bases = unique([segs.slice(0, d).join('/'), ...bases]);
  const out: CommandBlock[] = [];
  // A `cd backend` in one block usually holds for the next ("1. cd backend  2. pip install ...").
  // Paths are also tried from the root, so carrying it only ever adds readings.
  const state = { cwd: '' };
  for (const f of fencedBlocks(text)) {
    if (!SHELL_LANGS.has(f.lang)) continue;
    let body = f.body;
    const prompted = body.filter((l) => /^\s*[$%] /.test(l.text));
    if (f.lang === 'console' || f.lang === 'shell-session' || f.lang === 'shellsession' || f.lang === 'sh-session' || f.lang === 'terminal') {
      // Only prompt lines are commands; the rest is output.
      body = prompted;
    } else if (prompted.length > 0 && (f.lang !== '' || prompted.length === body.filter((l) => l.text.trim()).length)) {
      // A `$ ` prompt in a bash block marks the commands; unprompted lines are output.
      body = prompted;
    } else if (f.lang === '' && !looksLikeCommands(body)) continue;
    const stripped = body.map((l) => ({ line: l.line, text: l.text.replace(/^\s*[$%] /, '') }));
    // File-tree drawings (`├── x`) and Windows paths are not POSIX commands.
    const lines = parseShellLines(file, logicalLines(stripped.filter((l) => !hasWindowsPath(l.text) && !/[├└│┌┐┘┬┴┼]/.test(l.text))), true, undefined, state);
    // An unknown or outside directory does not outlive its block.
    if (state.cwd.startsWith(UNKNOWN_CWD) || state.cwd.startsWith('/')) state.cwd = '';
    if (lines.length) out.push({ file, source: 'markdown', lang: f.lang, bases, lines });
  }
  return out;
}

/** `.\venv\Scripts\activate` and `C:\...`: not POSIX shell; shell-quote would eat the backslashes. */
function hasWindowsPath(text: string): boolean {
  return /[A-Za-z0-9_.]\\[A-Za-z_.]/.test(text) || /^[A-Za-z]:\\/.test(text.trim());
}

function looksLikeCommands(body: readonly RawLine[]): boolean {
  const lines = body.map((l) => l.text.trim()).filter((t) => t && !t.startsWith('#'));
  if (lines.length === 0) return false;
  return lines.every((t) => {
    const w = t.replace(/^[$%] /, '').split(/\s+/)[0] ?? '';
    return COMMAND_WORDS.has(w) || w.startsWith('./') || /^[A-Z_][A-Z0-9_]*=/.test(w);
  });
}

// ---------------------------------------------------------------------------------------------
// Makefile

/**
 * Recipe lines (tab-indented after a rule line), with `@`, `-`, `+` prefixes removed and Make
 * variables (`$(X)`, `${X}`, `$@`) replaced by a shell variable so they read as unknown values.
 * Each recipe line runs in its own shell in the Makefile's directory, so cwd does not carry.
 */
function makefileBlocks(file: string, text: string): CommandBlock[] {
  const dir = dirName(file);
  const src = text.split(/\r?\n/);
  const out: CommandBlock[] = [];
  let inRule = false;
  let inDefine = false;
  let target = '';
  for (let i = 0; i < src.length; i++) {
    let l = src[i]!;
    const startLine = i + 1;
    if (inDefine) {
      if (/^\s*endef\b/.test(l)) inDefine = false;
      continue;
    }
    if (/^\s*define\b/.test(l)) {
      inDefine = true;
      continue;
    }
    if (l.startsWith('\t')) {
      if (!inRule) continue;
      // Make joins backslash continuations of a recipe line into one shell command.
      while (/\\$/.test(l) && i + 1 < src.length) l = l.slice(0, -1) + ' ' + src[++i]!.replace(/^\t/, '').trim();
      let cmd = l.slice(1).trim();
      while (/^[@+-]/.test(cmd)) cmd = cmd.slice(1).trimStart();
      if (!cmd || cmd.startsWith('#')) continue;
      const lines = parseShellLines(file, [{ line: startLine, text: replaceMakeVars(cmd) }], false);
      out.push({ file, source: 'makefile', bases: [dir], lines, label: target });
      continue;
    }
    if (!l.trim() || /^\s*#/.test(l)) continue;
    // A rule line `target: prereqs` (not `X := value`, not `X = value`).
    const rule = /^([^:=#\t][^:=#]*?)\s*::?(?!=)/.exec(l);
    if (rule && !/^\s*(ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|export|override|vpath)\b/.test(l)) {
      inRule = true;
      target = rule[1]!.trim();
    } else if (/^\s*(ifeq|ifneq|ifdef|ifndef|else|endif)\b/.test(l)) {
      // Conditionals may sit between recipe lines; keep the rule open.
    } else inRule = false;
  }
  return out;
}

/**
 * The file targets a Makefile defines (files a recipe creates): names with a dot or slash that are
 * not `.PHONY`, since `deploy:` is a task, not a file.
 */
export function makeTargets(text: string): string[] {
  const out: string[] = [];
  const phony = new Set<string>();
  for (const l of text.split(/\r?\n/)) {
    if (l.startsWith('\t') || /^\s*#/.test(l)) continue;
    const rule = /^([^:=#\t][^:=#]*?)\s*::?(?!=)(.*)$/.exec(l);
    if (!rule) continue;
    const names = rule[1]!.trim().split(/\s+/);
    if (names[0] === '.PHONY') rule[2]!.trim().split(/\s+/).forEach((n) => phony.add(n));
    out.push(...names.filter((t) => t && !t.includes('$') && !t.startsWith('.') && /[./]/.test(t)));
  }
  return out.filter((t) => !phony.has(t));
}

/** `$(VAR)`, `${VAR}`, `$@`... → `$MAKEVAR`; `$$` → `$` (the shell's own variable). */
export function replaceMakeVars(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === '$') {
      out += '$';
      i++;
    } else if (n === '(' || n === '{') {
      const close = n === '(' ? ')' : '}';
      let depth = 0;
      let j = i + 1;
      for (; j < s.length; j++) {
        if (s[j] === n) depth++;
        else if (s[j] === close && --depth === 0) break;
      }
      out += '$MAKEVAR';
      i = j;
    } else if (n !== undefined) {
      out += '$MAKEVAR';
      i++;
    } else out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scripts, package.json, workflows

const SCRIPT_FOLDERS = new Set(['scripts', 'script', 'bin', 'tools', 'ci', '.ci', '.devcontainer', '.circleci', 'hack', 'deploy', 'docker', '.github']);

function scriptBlock(file: string, text: string): CommandBlock {
  const dir = dirName(file);
  const raw = text.split(/\r?\n/).map((t, i) => ({ line: i + 1, text: t }));
  // A script in `scripts/`, `bin/`, `.devcontainer/`... is usually run from the folder above it.
  const segs = dir.split('/');
  const i = segs.findIndex((s) => SCRIPT_FOLDERS.has(s));
  const home = i >= 0 ? segs.slice(0, i).join('/') : dir;
  return { file, source: 'script', bases: unique([home, ...selfAndAncestors(dir)]), lines: parseShellLines(file, logicalLines(raw), true, dir) };
}

function packageJsonBlocks(model: ProjectModel, file: string, text: string): CommandBlock[] {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    model.parseNotice(file, 'package.json is not valid JSON; its scripts were not read');
    return [];
  }
  const scripts = (pkg as { scripts?: unknown } | null)?.scripts;
  if (!scripts || typeof scripts !== 'object' || Array.isArray(scripts)) return [];
  const dir = dirName(file);
  const at = text.indexOf('"scripts"');
  const out: CommandBlock[] = [];
  for (const [name, value] of Object.entries(scripts as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    const idx = text.indexOf(JSON.stringify(name), Math.max(at, 0));
    const line = idx >= 0 ? lineAt(text, idx) : 1;
    out.push({ file, source: 'package-json', bases: [dir], label: name, lines: parseShellLines(file, [{ line, text: value }]) });
  }
  return out;
}

function workflowBlocks(model: ProjectModel, file: string, text: string): CommandBlock[] {
  const y = parseYaml(text);
  if (y.error) {
    model.parseNotice(file, `workflow YAML does not parse (line ${y.error.line}): ${y.error.message}`);
    return [];
  }
  const out: CommandBlock[] = [];
  const root = y.doc.contents;
  if (!isMap(root)) return out;
  const wfDir = workingDir(y.value, ['defaults', 'run', 'working-directory']);
  const jobs = root.get('jobs', true);
  if (!isMap(jobs)) return out;
  for (const jobPair of jobs.items) {
    const jobName = isScalar(jobPair.key) ? String(jobPair.key.value) : '';
    const job = jobPair.value;
    if (!isMap(job)) continue;
    const jobValue = job.toJSON() as unknown;
    const jobDir = workingDir(jobValue, ['defaults', 'run', 'working-directory']) ?? wfDir;
    const steps = job.get('steps', true);
    if (!isSeq(steps)) continue;
    // A checkout into a sub-path moves the repository; paths would need remapping: skip the job.
    const stepValues = (steps.toJSON() as unknown[]) ?? [];
    if (stepValues.some((s) => isObj(s) && typeof s.uses === 'string' && s.uses.startsWith('actions/checkout') && isObj(s.with) && s.with.path)) continue;
    for (let i = 0; i < steps.items.length; i++) {
      const step = steps.items[i];
      if (!isMap(step)) continue;
      const run = step.get('run', true);
      if (!isScalar(run) || typeof run.value !== 'string') continue;
      const shell = step.get('shell');
      if (typeof shell === 'string' && /pwsh|powershell|cmd|python/.test(shell)) continue;
      const stepDir = workingDir(stepValues[i], ['working-directory']) ?? jobDir;
      if (stepDir !== undefined && /[$~]/.test(stepDir)) continue;
      const lines = scalarLines(text, run.range?.[0] ?? 0, run.value, y.lineOf(run));
      const base = stepDir ? joinCwd('', stepDir) : '';
      if (base.startsWith('/') || base.startsWith(UNKNOWN_CWD)) continue;
      out.push({ file, source: 'workflow', bases: [base], label: jobName, lines: parseShellLines(file, logicalLines(lines)) });
    }
  }
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function workingDir(v: unknown, keys: string[]): string | undefined {
  let cur = v;
  for (const k of keys) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return typeof cur === 'string' ? cur : undefined;
}

/** Maps each line of a scalar's value back to its source line by searching forward from the node. */
function scalarLines(text: string, from: number, value: string, firstLine: number): RawLine[] {
  const parts = value.split('\n');
  if (parts.length === 1) return [{ line: firstLine, text: value }];
  const out: RawLine[] = [];
  let cursor = from;
  for (const p of parts) {
    const t = p.trim();
    if (!t) {
      out.push({ line: lineAt(text, cursor), text: '' });
      continue;
    }
    const idx = text.indexOf(t, cursor);
    if (idx < 0) {
      out.push({ line: lineAt(text, cursor), text: p });
      continue;
    }
    out.push({ line: lineAt(text, idx), text: p });
    cursor = idx + t.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Paths

export function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** `a/b` → [`a/b`, `a`, '']: a doc or script may be written for any of these as the project root. */
function selfAndAncestors(dir: string): string[] {
  const out = [dir];
  for (let d = dir; d; ) {
    d = dirName(d);
    out.push(d);
  }
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * Resolves a relative path against a repo directory; undefined when it leaves the repository
 * or is not a repo path at all (absolute, home, variable).
 */
export function resolveRepoPath(base: string, rel: string): string | undefined {
  if (rel.startsWith('/') || rel.startsWith('~') || rel.includes('$')) return undefined;
  const parts = base ? base.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

// ---------------------------------------------------------------------------------------------
// What a command reads and what it creates

/** How sure we are that a token names a file of this repository (not the reader's own file). */
export type RefConfidence = 'high' | 'low';

/** A repo file (or directory) a command needs. */
export interface FileRef {
  /** As written (relative to the command's cwd). */
  path: string;
  /** What the command does with it, for messages: `runs`, `sources`, `reads the compose file`... */
  role: string;
  /**
   * `low`: a bare name a library's README may mean as the reader's own file (`python app.py`),
   * or a path only scripts are trusted with (`< input.sql`); checks skip these in prose docs.
   */
  confidence: RefConfidence;
}

/** Files and folders a command creates, and whether it creates things we cannot name. */
export interface Created {
  paths: string[];
  /** `git clone`, `tar x`, `curl | sh`...: created files we cannot list. */
  opaque: boolean;
}

const SHELL_RUNNERS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
const PYTHONS = /^(python|python[23](\.\d+)?|py|pypy3?)$/;
const NODE_RUNNERS = new Set(['node', 'nodejs', 'ts-node', 'ts-node-dev', 'tsnd', 'tsx', 'nodemon', 'bun', 'babel-node', 'esno', 'esrun']);
const CODE_EXT = /\.(m|c)?(js|ts)x?$/;
/** `poetry run X` runs X: these prefixes are peeled off before a command is read. */
const RUN_PREFIXES: Record<string, number> = {
  poetry: 2, pipenv: 2, pdm: 2, hatch: 2, rye: 2, uv: 2, npx: 1, pnpx: 1, 'cross-env': 1, dotenv: 1,
};
/** Options of the wrapped tools that take a value. */
const VALUE_FLAGS: Record<string, ReadonlySet<string>> = {
  python: new Set(['-W', '-X', '-Q']),
  node: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-e', '--eval', '-p', '--print', '--env-file', '--watch-path', '--inspect-port', '--conditions', '-C', '--title']),
  pytest: new Set(['-k', '-m', '-p', '-c', '-o', '--rootdir', '--cov', '--cov-report', '--cov-config', '--junitxml', '--junit-xml', '--maxfail', '--durations', '--tb', '--ignore', '--deselect', '-n', '--numprocesses', '--log-level', '--basetemp', '--confcutdir', '--override-ini', '--capture', '-W', '--ds', '--reruns', '--timeout', '--html', '--json-report-file']),
  docker: new Set(['-p', '--project-name', '--project-directory', '--profile', '--context', '-c', '--log-level', '-H', '--host', '--config', '--ansi', '--parallel', '--progress']),
};

/** Options of the runner prefixes that take a value (`uv run --env-file .env cmd`). */
const RUNNER_VALUE_FLAGS = new Set([
  '--env-file', '--with', '--with-editable', '--with-requirements', '--python', '-p', '--package', '--extra', '--group',
  '--only-group', '--no-group', '--project', '--directory', '--index', '--index-url', '--extra-index-url', '-e', '--call', '-c',
]);

/** Peels `poetry run`, `npx`, `cross-env A=1`... off a command's argv. */
export function unwrapRunners(argv: readonly string[]): string[] {
  let a = [...argv];
  for (let guard = 0; guard < 4 && a.length; guard++) {
    const head = a[0]!;
    const n = RUN_PREFIXES[head];
    if (n === undefined) break;
    if (n === 2 && a[1] !== 'run') break;
    a = a.slice(n);
    if (head === 'dotenv') {
      // `dotenv -e .env.test -- cmd`
      const dd = a.indexOf('--');
      a = dd >= 0 ? a.slice(dd + 1) : [];
      continue;
    }
    while (a.length && (a[0]!.startsWith('-') || (head === 'cross-env' && /^[A-Za-z_]\w*=/.test(a[0]!)))) {
      if (a[0] === '--') {
        a = a.slice(1);
        break;
      }
      a = a.slice(RUNNER_VALUE_FLAGS.has(a[0]!) ? 2 : 1);
    }
  }
  return a;
}

function flagValues(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const n of names) {
      if (a === n && argv[i + 1] !== undefined) out.push(argv[i + 1]!);
      else if (n.startsWith('--') && a.startsWith(n + '=')) out.push(a.slice(n.length + 1));
    }
  }
  return out;
}

/** Non-option arguments, skipping the values of the options in `valueFlags`. */
function positional(argv: readonly string[], valueFlags: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      if (valueFlags.has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The repo files a simple command needs to exist. */
export function fileRefs(cmd: SimpleCommand): FileRef[] {
  let argv = unwrapRunners(cmd.argv);
  // `python -m pip install ...` / `python -m pytest ...` read like `pip` / `pytest`.
  if (PYTHONS.test(baseName(argv[0] ?? '')) && argv[1] === '-m' && (argv[2] === 'pip' || argv[2] === 'pytest')) argv = argv.slice(2);
  const prog = argv[0];
  if (!prog) return [];
  const args = argv.slice(1);
  const out: FileRef[] = [];
  const add = (path: string | undefined, role: string, confidence: RefConfidence = 'high') => {
    if (path !== undefined) out.push({ path, role, confidence });
  };

  // `Surface/` in a file-tree listing is a folder, not something run.
  if (prog.includes('/') && !prog.startsWith('/') && !prog.endsWith('/')) add(prog, 'runs');
  const base = baseName(prog);

  if (SHELL_RUNNERS.has(base)) {
    const p = positional(args, new Set(['-o', '+o', '-O', '+O']))[0];
    if (p !== undefined && !args.includes('-c') && !args.includes('-s')) add(p, 'runs', /\.(sh|bash)$/.test(p) || p.includes('/') ? 'high' : 'low');
  } else if (base === 'source' || base === '.') {
    add(args[0], 'sources');
  } else if (PYTHONS.test(base)) {
    const flags = VALUE_FLAGS.python!;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-m' || a === '-c' || a === '-') break;
      if (a.startsWith('-')) {
        if (flags.has(a)) i++;
        continue;
      }
      add(a, 'runs', a.includes('/') || baseName(a) === 'manage.py' ? 'high' : 'low');
      break;
    }
  } else if (NODE_RUNNERS.has(base) || (base === 'deno' && args[0] === 'run')) {
    const rest = base === 'deno' || (base === 'tsx' && args[0] === 'watch') || (base === 'bun' && args[0] === 'run') ? args.slice(1) : args;
    if (!rest.includes('-e') && !rest.includes('--eval') && !rest.includes('-p') && !rest.includes('--print')) {
      for (const p of positional(rest, VALUE_FLAGS.node)) {
        if (!CODE_EXT.test(p)) continue;
        add(p, 'runs', p.includes('/') ? 'high' : 'low');
        break;
      }
    }
  } else if (base === 'pytest') {
    for (const p of positional(args, VALUE_FLAGS.pytest)) {
      const file = p.split('::')[0]!;
      if (file.includes('/') || file.endsWith('.py')) add(file, 'tests', 'low');
    }
  } else if (base === 'docker-compose' || (base === 'docker' && args[0] === 'compose')) {
    const opts = base === 'docker' ? args.slice(1) : args;
    // Only the global options before the subcommand; `exec`/`run` arguments run in a container.
    const globals: string[] = [];
    for (let i = 0; i < opts.length; i++) {
      const a = opts[i]!;
      if (!a.startsWith('-')) break;
      globals.push(a);
      if (['-f', '--file', '--env-file', ...VALUE_FLAGS.docker!].includes(a) && opts[i + 1] !== undefined) globals.push(opts[++i]!);
    }
    for (const f of flagValues(globals, ['-f', '--file'])) add(f, 'uses the compose file');
    for (const f of flagValues(globals, ['--env-file'])) add(f, 'loads the env file');
  } else if (base === 'docker' && (args[0] === 'build' || (args[0] === 'buildx' && args[1] === 'build') || (args[0] === 'image' && args[1] === 'build'))) {
    for (const f of flagValues(args, ['-f', '--file'])) if (f !== '-') add(f, 'builds from the Dockerfile');
  } else if (base === 'docker' && args[0] === 'run') {
    for (const f of flagValues(args.slice(0, firstPositionalIndex(args.slice(1)) + 1), ['--env-file'])) add(f, 'loads the env file');
  } else if (base === 'cp' || base === 'mv') {
    const pos = positional(args, new Set(['-t', '--target-directory', '-S', '--suffix']));
    const hasTarget = args.some((a) => a === '-t' || a.startsWith('--target-directory'));
    const sources = hasTarget ? pos : pos.slice(0, -1);
    for (const s of sources) add(s, base === 'cp' ? 'copies' : 'moves');
  } else if (base === 'pip' || base === 'pip3' || (base === 'uv' && args[0] === 'pip')) {
    const rest = base === 'uv' ? args.slice(1) : args;
    if (rest[0] === 'install' || rest[0] === 'sync' || rest[0] === 'download' || rest[0] === 'wheel') {
      for (const f of flagValues(rest, ['-r', '--requirement', '-c', '--constraint'])) add(f, 'installs from');
      if (rest[0] === 'sync') for (const f of positional(rest.slice(1))) if (f.endsWith('.txt')) add(f, 'installs from');
      for (const f of flagValues(rest, ['-e', '--editable'])) if (f.startsWith('.')) add(f, 'installs');
    }
  } else if (base === 'pip-sync') {
    for (const f of positional(args)) add(f, 'installs from');
  } else if (base === 'kubectl' && ['apply', 'create', 'delete', 'replace', 'diff'].includes(args[0] ?? '')) {
    for (const f of flagValues(args, ['-f', '--filename', '-k', '--kustomize'])) add(f, 'applies');
  } else if (base === 'helm') {
    for (const f of flagValues(args, ['-f', '--values'])) add(f, 'reads the values file');
  } else if (base === 'ansible-playbook') {
    for (const f of positional(args, new Set(['-i', '--inventory', '-e', '--extra-vars', '-l', '--limit', '-u', '--user', '-t', '--tags', '--vault-password-file']))) {
      // `ns.collection.playbook.yml` is a collection playbook, not a file path.
      if (/\.ya?ml$/.test(f) && !/^[a-z_]\w*\.[a-z_]\w*\.[\w.]+\.ya?ml$/.test(f)) add(f, 'runs the playbook');
    }
  } else if (base === 'chmod') {
    for (const f of positional(args, new Set(['--reference'])).slice(1)) add(f, 'changes the mode of');
  } else if (base === 'alembic') {
    for (const f of flagValues(args, ['-c', '--config'])) add(f, 'reads the config');
  } else if (base === 'gunicorn') {
    for (const f of flagValues(args, ['-c', '--config'])) if (!f.startsWith('python:')) add(f, 'reads the config');
  } else if (base === 'npm' || base === 'pnpm' || base === 'yarn') {
    for (const f of flagValues(args, ['--prefix', '-C', '--dir', '--cwd'])) add(f, 'runs in');
  } else if (base === 'psql') {
    for (const f of flagValues(args, ['-f', '--file'])) add(f, 'runs the SQL file', 'low');
  }
  return out;
}

function firstPositionalIndex(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) return i;
    // docker run options that take a separate value
    if (/^(-[evpwuh]|--env|--env-file|--volume|--publish|--name|--network|--workdir|--user|--entrypoint|--label|--mount|--platform|--hostname|--add-host|--memory|--cpus|--restart)$/.test(a)) i++;
  }
  return args.length;
}

/** Options that name a file a command writes. */
const OUTPUT_FLAGS = ['-o', '--output', '--out', '-out', '-keyout', '--outfile', '--out-file', '--output-file', '--outdir', '--out-dir', '--output-dir', '-O', '-w', '--wheel-dir', '-d', '--dest', '--target', '-P', '--directory-prefix'];

/** Files and folders a simple command creates. */
export function createdBy(cmd: SimpleCommand, redirects: readonly Redirect[]): Created {
  const argv = unwrapRunners(cmd.argv);
  const prog = baseName(argv[0] ?? '');
  const args = argv.slice(1);
  const paths: string[] = [];
  let opaque = false;
  paths.push(...flagValues(args, OUTPUT_FLAGS));
  if (prog === 'mkdir' || prog === 'touch' || prog === 'tee') paths.push(...positional(args, new Set(['-m', '--mode'])));
  else if (['cp', 'mv', 'ln', 'install', 'rsync', 'scp'].includes(prog)) {
    const pos = positional(args, new Set(['-t', '--target-directory', '-S', '--suffix', '-m', '--mode', '-o', '-g', '-e']));
    const target = flagValues(args, ['-t', '--target-directory'])[0];
    const dest = target ?? pos[pos.length - 1];
    const srcs = target ? pos : pos.slice(0, -1);
    if (dest !== undefined) {
      paths.push(dest);
      for (const s of srcs) paths.push(`${dest.replace(/\/$/, '')}/${baseName(s)}`);
    }
  } else if (prog === 'git' && args[0] === 'clone') {
    const pos = positional(args.slice(1), new Set(['-b', '--branch', '--depth', '-o', '--origin', '--reference', '-c', '--config', '-j', '--jobs', '--filter']));
    if (pos[1] !== undefined) paths.push(pos[1]);
    else if (pos[0] !== undefined) paths.push(baseName(pos[0].replace(/\/$/, '')).replace(/\.git$/, ''));
    opaque = true;
  } else if (prog === 'curl' || prog === 'wget') {
    for (const a of args) if (/^https?:\/\//.test(a)) paths.push(baseName(a.split(/[?#]/)[0]!));
  } else if ((PYTHONS.test(prog) && args[0] === '-m' && (args[1] === 'venv' || args[1] === 'virtualenv')) || prog === 'virtualenv') {
    paths.push(...positional(PYTHONS.test(prog) ? args.slice(2) : args));
  } else if (prog === 'uv' && args[0] === 'venv') {
    paths.push(positional(args.slice(1))[0] ?? '.venv');
  } else if (prog === 'django-admin' || (PYTHONS.test(prog) && args[0] === 'manage.py') || (prog === 'manage.py' && args[0] !== undefined)) {
    const sub = prog === 'django-admin' ? args : args.slice(1);
    if (sub[0] === 'startproject' || sub[0] === 'startapp') paths.push(...positional(sub.slice(1)));
  } else if (prog === 'alembic' && args.includes('init')) {
    paths.push(...positional(args.slice(args.indexOf('init') + 1)), 'alembic.ini');
  } else if (prog === 'pip-compile') {
    const ins = positional(args);
    if (!flagValues(args, ['-o', '--output-file']).length) {
      for (const f of ins) paths.push(f.replace(/\.(in|toml|cfg|py)$/, '.txt'));
      if (!ins.length) paths.push('requirements.txt');
      if (ins.some((f) => !f.endsWith('.in'))) paths.push('requirements.txt');
    }
  } else if (prog === 'ssh-keygen') {
    for (const f of flagValues(args, ['-f'])) paths.push(f, `${f}.pub`);
  } else if ((prog === 'npm' || prog === 'yarn' || prog === 'pnpm' || prog === 'bun') && (args[0] === 'create' || args[0] === 'init')) {
    paths.push(...positional(args.slice(2)));
    opaque = true;
  } else if (['tar', 'unzip', 'cookiecutter', 'degit', 'copier', 'gunzip', 'bunzip2', '7z', 'gh'].includes(prog) || /^create-/.test(prog)) {
    opaque = true;
    if (prog === 'tar') paths.push(...flagValues(args, ['-C', '--directory']));
  } else if ((prog === 'cargo' || prog === 'poetry' || prog === 'uv') && (args[0] === 'new' || args[0] === 'init')) {
    paths.push(...positional(args.slice(1)));
  } else if (prog === 'docker' && args[0] === 'cp' && args.length >= 3) {
    paths.push(args[args.length - 1]!);
  }
  for (const r of redirects) if (r.op === '>' || r.op === '>>') paths.push(r.target);
  return { paths: paths.filter((p) => p && p !== '-' && p !== '/dev/null'), opaque };
}

/** Paths a `[ -f x ]` / `test -e x` checks: a command that guards on them expects them to be optional. */
export function testedPaths(cmd: SimpleCommand): string[] {
  const prog = cmd.argv[0];
  if (prog !== '[' && prog !== '[[' && prog !== 'test') return [];
  const out: string[] = [];
  for (let i = 1; i < cmd.argv.length - 1; i++) {
    if (/^-[fedrsxLhwaOGNpS]$/.test(cmd.argv[i]!)) out.push(cmd.argv[i + 1]!);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Which named files are missing

/** What `documentedFileRefs` reads: the command files and every .gitignore. */
export const COMMAND_REF_FILES = [...COMMAND_FILES, '**/.gitignore', ...DOCKERFILE_GLOBS] as const;

/** Folders that hold build output, dependencies or local state: never committed, never "missing". */
const GENERATED_DIRS = new Set([
  'node_modules', 'dist', 'build', 'out', 'target', '.next', '.nuxt', '.output', '.svelte-kit', 'coverage', 'htmlcov',
  '.venv', 'venv', 'env', 'virtualenv', '.virtualenv', '__pycache__', '.tox', '.nox', '.pytest_cache', '.mypy_cache',
  'vendor', 'tmp', '.tmp', '.cache', 'site-packages', '.terraform', '.build', 'logs', 'log', '.turbo', 'storage',
]);
/** Extensions of files made at run time or kept out of git on purpose (keys, databases, archives). */
const GENERATED_EXT = /\.(log|pid|sock|pem|key|crt|csr|p12|pfx|jks|db|sqlite3?|tar|gz|tgz|bz2|xz|zip|whl|jar|war|dump|bak|out|tfstate|tfvars|retry|lock)$/i;
/** Local-only env files: `.env`, `.env.local`, `.env.development.local`. */
const LOCAL_ENV = /^\.env(\..*)?\.local$|^\.env$/;

export type RefStatus = 'exists' | 'missing' | 'created' | 'skipped';

export interface DocumentedRef extends FileRef {
  file: string;
  line: number;
  source: CommandSource;
  /** The whole command line, for messages. */
  text: string;
  /** The block's label: make target, npm script name, workflow job. */
  label?: string;
  /** Where the path points when resolved against the command's most likely directory. */
  resolved: string;
  status: RefStatus;
  /** Why a ref was skipped or counted as created (for tests and tuning). */
  why?: string;
}

/** Every file a documented or scripted command names, resolved and looked up in the listing. */
export const documentedFileRefs = defineFacts('documented-file-refs', (model): DocumentedRef[] => {
  const ignored = gitignoreMatcher(model);
  const templates = templateRoots(model);
  // Folders whose image is assembled from a build stage (`COPY --from=builder /app/.next/standalone ./`):
  // an npm script there may start a file the build writes (`node server.js`).
  const assembled = new Set(model.get(dockerfiles).filter((d) => d.stages.some((st) => st.copies.some((c) => c.from))).map((d) => d.dir));
  const byFile = new Map<string, CommandBlock[]>();
  // The folders a doc `cd`s into anywhere: a later step that forgets to say which one (`python
  // manage.py runserver` after the frontend step) means one of them.
  const docDirs = new Map<string, string[]>();
  for (const b of model.get(commandBlocks)) {
    if (b.source !== 'markdown') continue;
    const dirs = docDirs.get(b.file) ?? [];
    for (const l of b.lines) {
      for (const c of l.commands) {
        if (c.argv[0] !== 'cd' || !c.argv[1] || /[$`~]/.test(c.argv[1]) || c.cwd.startsWith(UNKNOWN_CWD) || c.cwd.startsWith('/')) continue;
        // `cd my-clone/backend`: the clone folder is the repository root.
        const segs = c.argv[1].split('/').filter((x) => x && x !== '.');
        for (let i = 0; i < segs.length; i++) {
          for (const cand of candidates(b.bases, c.cwd, segs.slice(i).join('/'))) if (cand && model.dirExists(cand)) dirs.push(cand);
        }
      }
    }
    docDirs.set(b.file, unique(dirs));
  }
  for (let b of model.get(commandBlocks)) {
    // A project template's README and scripts talk about the generated project.
    if (templates.length && (b.source === 'markdown' || b.source === 'script')) b = { ...b, bases: unique([...b.bases, ...templates]) };
    const extra = docDirs.get(b.file);
    if (extra?.length) b = { ...b, bases: unique([...b.bases, ...extra]) };
    const list = byFile.get(b.file) ?? [];
    list.push(b);
    byFile.set(b.file, list);
  }
  // What any command creates, anywhere: docs are read as a series (one page generates
  // `compose.custom.yaml`, the next starts it), make targets feed scripts, and so on.
  const created = new Set<string>();
  const tested = new Set<string>();
  const opaqueFiles = new Set<string>();
  const remember = (set: Set<string>, bases: readonly string[], cwd: string, p: string) => {
    set.add(p.replace(/\/$/, '').replace(/^\.\//, ''));
    for (const c of candidates(bases, cwd, p)) set.add(c);
  };
  for (const [file, blocks] of byFile) {
    for (const b of blocks) {
      if (b.source === 'makefile') for (const t of makeTargets(model.text(file) ?? '')) remember(created, b.bases, '', t);
      for (const l of b.lines) {
        for (const c of l.commands) {
          const made = createdBy(c, l.redirects);
          if (made.opaque) opaqueFiles.add(file);
          for (const p of made.paths) remember(created, b.bases, c.cwd, p);
          for (const p of testedPaths(c)) remember(tested, b.bases, c.cwd, p);
        }
      }
    }
  }
  const out: DocumentedRef[] = [];
  for (const [file, blocks] of byFile) {
    // Test harness scripts run inside fixtures the harness prepares, not in this checkout.
    if (TEST_FOLDER.test(file)) continue;
    const opaque = opaqueFiles.has(file);
    for (const b of blocks) {
      for (const l of b.lines) {
        // `bench new-site <site-name>`: a line with placeholders is a template, not a command.
        if (PLACEHOLDER.test(l.text)) continue;
        // Redirect targets and heredoc words are not arguments of the command.
        const outputs = new Set(l.redirects.filter((r) => r.op !== '<').flatMap((r) => [r.target, `-${r.target}`]));
        l.commands.forEach((c, i) => {
          const refs = fileRefs(c).filter((r) => !outputs.has(r.path));
          for (const r of l.redirects) if (r.op === '<') refs.push({ path: r.target, role: 'reads', confidence: 'low' });
          const tolerated = l.commands.slice(i + 1).some((n) => n.joinedBy === '||');
          for (const r of refs) {
            const bare = !r.path.replace(/^\.\//, '').includes('/');
            if (b.source === 'package-json' && bare && selfAndAncestors(dirName(file)).some((d) => assembled.has(d))) {
              out.push({ ...r, file, line: l.line, source: b.source, text: l.text.trim(), label: b.label, resolved: r.path, status: 'skipped', why: 'may be written by a build stage' });
              continue;
            }
            const d = judge(model, b, c.cwd, r.path, { created, tested, opaque, ignored, tolerated });
            out.push({ ...r, file, line: l.line, source: b.source, text: l.text.trim(), label: b.label, resolved: d.resolved, status: d.status, why: d.why });
          }
        });
      }
    }
  }
  return runsElsewhere(out);
});

const TEST_FOLDER = /(^|\/)(tests?|testing|e2e|spec|__tests__|fixtures?|testdata)\//;

/**
 * A script or Makefile most of whose named paths are absent (three or more, and more than it names
 * that exist) is written for another tree: a build recipe copied into a downloaded source. Its
 * references are marked skipped rather than reported one by one. (A README with that many missing
 * files is just stale, and is reported.)
 */
function runsElsewhere(refs: DocumentedRef[]): DocumentedRef[] {
  const byFile = new Map<string, { missing: Set<string>; exists: number }>();
  for (const r of refs) {
    const f = byFile.get(r.file) ?? { missing: new Set<string>(), exists: 0 };
    if (r.status === 'missing') f.missing.add(r.resolved);
    else if (r.status === 'exists' || r.status === 'created') f.exists++;
    byFile.set(r.file, f);
  }
  return refs.map((r) => {
    const f = byFile.get(r.file)!;
    const copied = r.source === 'script' || r.source === 'makefile';
    return copied && r.status === 'missing' && f.missing.size >= 3 && f.missing.size > f.exists ? { ...r, status: 'skipped' as const, why: 'most paths this file names are absent: written for another tree' } : r;
  });
}

/** `<your-file>`, `<site_name>`: angle-bracket placeholders (no spaces inside, unlike `< in > out`). */
const PLACEHOLDER = /<[A-Za-z][\w./-]*>/;

/** Folders of a project template (`{{cookiecutter.project_slug}}/`), which stand for the generated project. */
function templateRoots(model: ProjectModel): string[] {
  const out = new Set<string>();
  for (const p of model.allPaths()) {
    const segs = p.split('/');
    const i = segs.findIndex((s) => s.includes('{{') || s.includes('{%'));
    if (i >= 0 && i < segs.length - 1) out.add(segs.slice(0, i + 1).join('/'));
  }
  return [...out].slice(0, 10);
}

interface Context {
  created: Set<string>;
  tested: Set<string>;
  opaque: boolean;
  ignored: (p: string) => boolean;
  tolerated: boolean;
}

/**
 * Repo paths a relative path may mean, given the block's bases and the command's cwd. Empty when
 * the command runs somewhere we cannot know (after `cd "$DIR"`, or outside the repository).
 */
function candidates(bases: readonly string[], cwd: string, p: string): string[] {
  if (cwd.startsWith(UNKNOWN_CWD) || cwd.startsWith('/')) return [];
  if (cwd.startsWith('@')) {
    const r = resolveRepoPath(cwd.slice(2), p);
    return r === undefined ? [] : [r];
  }
  const out: string[] = [];
  // `cd backend && ...` on one line and `cd frontend` on the next: README authors often mean
  // each from the root, so the carried directory is also tried with leading folders dropped.
  const segs = cwd ? cwd.split('/') : [];
  for (const b of bases) {
    for (let i = 0; i <= segs.length; i++) {
      const dir = resolveRepoPath(b, segs.slice(i).join('/'));
      const r = dir === undefined ? undefined : resolveRepoPath(dir, p);
      if (r !== undefined) out.push(r);
    }
  }
  return unique(out);
}

function judge(
  model: ProjectModel,
  block: CommandBlock,
  cwd: string,
  p: string,
  ctx: Context,
): { status: RefStatus; resolved: string; why?: string } {
  const skip = (why: string) => ({ status: 'skipped' as const, resolved: p, why });
  if (cwd.startsWith('/')) return skip('runs outside the repository');
  if (cwd.startsWith(UNKNOWN_CWD)) return skip('runs in a directory set at run time');
  if (!looksLikeRepoPath(p)) return skip('not a repository path');
  const segs = p.split('/');
  if (segs.some((s) => GENERATED_DIRS.has(s))) return skip('build output or local state');
  const name = baseName(p);
  if (GENERATED_EXT.test(name) || LOCAL_ENV.test(name)) return skip('a file kept out of git on purpose');
  if (/(^|\/)bin\/activate/.test(p)) return skip('virtualenv');
  const cands = candidates(block.bases, cwd, p);
  if (cands.length === 0) return skip('outside the repository');
  // For messages: the first reading whose folder exists (`cd my-clone` then `x.txt` reads as `x.txt`).
  const resolved = cands.find((c) => model.dirExists(dirName(c))) ?? cands[cands.length - 1]!;
  if (cands.some((c) => model.exists(c) || model.dirExists(c))) return { status: 'exists', resolved };
  const under = (set: Set<string>) => set.has(p.replace(/\/$/, '').replace(/^\.\//, '')) || cands.some((c) => ancestors(c).some((a) => set.has(a)));
  if (under(ctx.created)) return { status: 'created', resolved, why: 'created by a command in the same file' };
  if (under(ctx.tested)) return skip('guarded by a test -f');
  if (ctx.tolerated) return skip('failure tolerated');
  if (cands.some((c) => ctx.ignored(c))) return skip('gitignored');
  if (ctx.opaque && !cands.some((c) => model.dirExists(c.split('/')[0]!) && c.includes('/'))) return skip('may come from a clone or archive');
  return { status: 'missing', resolved };
}

function ancestors(p: string): string[] {
  const out = [p];
  let i = p.lastIndexOf('/');
  while (i > 0) {
    out.push(p.slice(0, i));
    i = p.lastIndexOf('/', i - 1);
  }
  return out;
}

/**
 * False for URLs, globs, variables, options, absolute and home paths, and placeholders a reader
 * is meant to replace (`<your-file>`, `path/to/file`, `YOUR_FILE`, `my_script.py`).
 */
export function looksLikeRepoPath(p: string): boolean {
  if (!p || p === '.' || p === '..' || p.startsWith('-')) return false;
  if (/[$`*?[\]{}<>|()%@'"\s,;=\\]/.test(p)) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('git@') || p.includes(':')) return false;
  if (p.startsWith('/') || p.startsWith('~')) return false;
  if (/(^|[/_.-])(your|my|path)[-_/]|path\/to|^(some|example)[-_]|\.\.\./i.test(p)) return false;
  if (/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(p)) return false;
  if (/^(file|filename|script|foo|bar|baz|xxx)(\.\w+)?$/i.test(baseName(p))) return false;
  return true;
}

/** A matcher over every .gitignore in the repository (each applies below its own folder). */
function gitignoreMatcher(model: ProjectModel): (p: string) => boolean {
  const rules: { dir: string; ig: Ignore }[] = [];
  for (const f of model.read('**/.gitignore')) {
    try {
      rules.push({ dir: dirName(f), ig: ignore().add(model.text(f) ?? '') });
    } catch {
      model.parseNotice(f, 'could not read .gitignore patterns');
    }
  }
  return (p) =>
    rules.some(({ dir, ig }) => {
      if (dir && !p.startsWith(dir + '/')) return false;
      const rel = dir ? p.slice(dir.length + 1) : p;
      try {
        return rel !== '' && ig.ignores(rel);
      } catch {
        return false;
      }
    });
}

/**
 * Files a missing path may have meant: the same name elsewhere, or siblings with the same
 * extension (`docker-compose.yml` for `docker-compose.prod.yml`). Closest first, at most 3.
 */
export function similarFiles(model: ProjectModel, missing: string): string[] {
  const name = baseName(missing);
  const dir = dirName(missing);
  const ext = /\.[^.]+$/.exec(name)?.[0] ?? '';
  const stem = name.split('.')[0]!.toLowerCase();
  const same: string[] = [];
  const near: string[] = [];
  for (const p of model.allPaths()) {
    if (baseName(p) === name) same.push(p);
    else if (dirName(p) === dir && stem.length >= 3 && baseName(p).toLowerCase().startsWith(stem) && (ext === '' || p.endsWith(ext))) near.push(p);
  }
  // Closest to the missing path first: longest shared folder prefix, then shallowest.
  const shared = (a: string) => {
    const x = a.split('/');
    const y = missing.split('/');
    let i = 0;
    while (i < x.length - 1 && i < y.length - 1 && x[i] === y[i]) i++;
    return i;
  };
  const rank = (a: string) => (baseName(a) === name ? 0 : 1);
  const order = (a: string, b: string) =>
    shared(b) - shared(a) || rank(a) - rank(b) || a.split('/').length - b.split('/').length || (a < b ? -1 : 1);
  return [...same, ...near].sort(order).slice(0, 3);
}
