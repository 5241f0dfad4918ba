import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { quote } from 'shell-quote';
import { defineFacts } from '../project.js';
import { parseCommandLine, type SimpleCommand } from '../shell.js';
import { dirOf, isDockerfilePath } from './files.js';

/** A Dockerfile variable: `ENV NAME=value` or `ARG NAME[=default]`. */
export interface DockerVar {
  kind: 'ENV' | 'ARG';
  name: string;
  /** Absent for `ARG NAME` with no default. */
  value?: string;
  line: number;
}

export interface DockerCopy {
  instruction: 'COPY' | 'ADD';
  /** Sources as written (relative to the build context unless `from` is set). */
  sources: string[];
  dest: string;
  /** Container directory the destination is relative to (the WORKDIR in effect). */
  workdir: string;
  /** `--from=<stage|image>`: copies from another stage or image, not from the context. */
  from?: string;
  /** `--chmod=755`: sets the mode in the image, whatever the repository's mode. */
  chmod?: string;
  line: number;
  endLine: number;
}

export interface DockerRun {
  /** The shell text (continuations joined, comment lines dropped; heredoc bodies kept per line). */
  text: string;
  commands: SimpleCommand[];
  workdir: string;
  line: number;
  endLine: number;
}

/** CMD or ENTRYPOINT. */
export interface DockerCommand {
  instruction: 'CMD' | 'ENTRYPOINT';
  /** `exec` = JSON array (no shell, `$VAR` is never expanded); `shell` = run through `/bin/sh -c`. */
  form: 'exec' | 'shell';
  /** exec form: the JSON strings; shell form: the text as one element. */
  args: string[];
  text: string;
  /** Declared in this stage's file at this line (may belong to a parent stage). */
  line: number;
  endLine: number;
}

export interface DockerHealthcheck {
  /** `HEALTHCHECK NONE` disables an inherited check. */
  none: boolean;
  text: string;
  line: number;
}

export interface DockerStage {
  index: number;
  /** `AS name`, lower-cased as Docker treats it. */
  name?: string;
  /** The image as written: `python:${PY}-slim`. */
  image: string;
  /** With `ARG` defaults from before the first FROM substituted: `python:3.11-slim`. */
  resolvedImage: string;
  /** Set when FROM names an earlier stage: the stage it builds on. */
  parentStage?: number;
  line: number;
  /** Last line of the stage (the line before the next FROM, or the file's last instruction). */
  endLine: number;
  /** The WORKDIR in effect at the end of the stage (inherits from a parent stage), '/' when unset. */
  workdir: string;
  workdirs: { path: string; line: number }[];
  copies: DockerCopy[];
  env: DockerVar[];
  args: DockerVar[];
  expose: { port: string; line: number }[];
  healthcheck?: DockerHealthcheck;
  user?: { name: string; line: number };
  runs: DockerRun[];
  cmd?: DockerCommand;
  entrypoint?: DockerCommand;
}

/** What the final image starts: ENTRYPOINT and CMD combined as Docker combines them. */
export interface DockerStart {
  entrypoint?: DockerCommand;
  /** The CMD that takes effect (dropped when a shell-form ENTRYPOINT ignores it). */
  cmd?: DockerCommand;
  /** True when every part is exec form (so `$PORT` in it is a literal string). */
  exec: boolean;
  /** The argv the container runs; shell form is `['/bin/sh', '-c', text]`. */
  argv: string[];
  /** The command split into simple commands (`sh -c` unwrapped), for start-target and migration rules. */
  commands: SimpleCommand[];
  /** The line to point at: the instruction that decides the command (CMD, else ENTRYPOINT). */
  line: number;
}

export interface Dockerfile {
  file: string;
  /** Directory of the Dockerfile, the usual build context when nothing says otherwise. */
  dir: string;
  /** `ARG`s before the first FROM (usable in FROM lines). */
  globalArgs: DockerVar[];
  stages: DockerStage[];
  /** The last stage: what `docker build` produces without `--target`. */
  final?: DockerStage;
  /** Effective start command of the final stage; undefined when the image has no CMD/ENTRYPOINT of its own. */
  start?: DockerStart;
}

const line1 = (i: Instruction) => i.getRange().start.line + 1;
const endLine1 = (i: Instruction) => i.getRange().end.line + 1;

/** Shell text of an instruction: continuations joined, comment lines inside them dropped. */
function shellText(i: Instruction): string {
  const raw = i.getRawArgumentsContent() ?? '';
  const esc = escapeOf(i);
  return raw
    .split(/\r?\n/)
    .filter((l) => !l.trimStart().startsWith('#'))
    .map((l) => (l.trimEnd().endsWith(esc) ? l.trimEnd().slice(0, -1) : l))
    .join(' ')
    .trim();
}

/** The escape character (`\\` unless a `# escape=` directive changes it). */
function escapeOf(i: Instruction): string {
  return (i as unknown as { escapeChar?: string }).escapeChar ?? '\\';
}

/** Commands of a RUN: heredoc bodies line by line, otherwise the shell text. */
function runCommands(i: Instruction): { text: string; commands: SimpleCommand[] } {
  const raw = i.getArgumentsContent() ?? '';
  if (raw.startsWith('<<')) {
    const body = raw.split('\n').slice(1, -1);
    return { text: body.join('\n'), commands: body.flatMap((l) => (l.trim().startsWith('#') ? [] : parseCommandLine(l))) };
  }
  if (isJsonForm(i)) {
    const args = jsonStrings(i);
    return { text: args.join(' '), commands: parseCommandLine(quote(args)) };
  }
  const text = shellText(i);
  return { text, commands: parseCommandLine(text) };
}

/** Docker runs an instruction in exec form only when its arguments are a valid JSON array of strings. */
function isJsonForm(i: Instruction): boolean {
  const j = i as unknown as { getOpeningBracket?: () => unknown; getClosingBracket?: () => unknown };
  if (!j.getOpeningBracket?.() || !j.getClosingBracket?.()) return false;
  try {
    const v: unknown = JSON.parse(shellText(i));
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

/**
 * The strings of an exec-form instruction. Parsed with JSON.parse from the raw text (continuations
 * removed), because dockerfile-ast 0.7's getJSONValue drops the spaces inside strings.
 */
function jsonStrings(i: Instruction): string[] {
  try {
    const v: unknown = JSON.parse(shellText(i));
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // not valid JSON: Docker then runs the text through a shell, and so do we (isJsonForm is false)
  }
  const j = i as unknown as { getJSONStrings?: () => { getJSONValue(): string }[] };
  return (j.getJSONStrings?.() ?? []).map((s) => s.getJSONValue());
}

function flagValue(i: Instruction, name: string): string | undefined {
  const f = i as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] };
  const v = f.getFlags?.().find((x) => x.getName() === name)?.getValue();
  return v ?? undefined;
}

function properties(i: Instruction): { name: string; value?: string }[] {
  const p = i as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] };
  return (p.getProperties?.() ?? []).map((x) => ({ name: x.getName(), value: x.getValue() ?? undefined }));
}

function command(i: Instruction, kind: 'CMD' | 'ENTRYPOINT'): DockerCommand {
  const base = { instruction: kind, line: line1(i), endLine: endLine1(i) };
  if (isJsonForm(i)) {
    const args = jsonStrings(i);
    return { ...base, form: 'exec', args, text: args.join(' ') };
  }
  const text = shellText(i);
  return { ...base, form: 'shell', args: [text], text };
}

/** Joins a container path onto a working directory. */
export function containerJoin(workdir: string, p: string): string {
  if (p.startsWith('/')) return normaliseContainer(p);
  return normaliseContainer(`${workdir.replace(/\/$/, '')}/${p}`);
}

function normaliseContainer(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

/** Substitutes `$X`, `${X}`, `${X:-d}` from the given values (unknown names are left as written). */
function substitute(text: string, values: Map<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a, d, b) => {
    const v = values.get((a ?? b) as string);
    if (v !== undefined && v !== '') return v;
    return d !== undefined ? (d as string) : m;
  });
}

function emptyStage(index: number, image: string, resolvedImage: string, line: number): DockerStage {
  return { index, image, resolvedImage, line, endLine: line, workdir: '/', workdirs: [], copies: [], env: [], args: [], expose: [], runs: [] };
}

/** Parses one Dockerfile; never throws (dockerfile-ast is error tolerant). */
export function parseDockerfile(file: string, text: string): Dockerfile {
  const ast = DockerfileParser.parse(text);
  const globalArgs: DockerVar[] = [];
  const stages: DockerStage[] = [];
  const byName = new Map<string, number>();
  let cur: DockerStage | undefined;

  for (const i of ast.getInstructions()) {
    const kw = i.getKeyword().toUpperCase();
    if (kw === 'FROM') {
      const args = i.getArguments().map((a) => a.getValue());
      const image = args.find((a) => !a.startsWith('--')) ?? '';
      const asIdx = args.findIndex((a) => a.toUpperCase() === 'AS');
      const name = asIdx >= 0 ? args[asIdx + 1]?.toLowerCase() : undefined;
      const globals = new Map(globalArgs.map((g) => [g.name, g.value]));
      const resolved = substitute(image, globals);
      const parentStage = byName.get(resolved.toLowerCase());
      cur = emptyStage(stages.length, image, resolved, line1(i));
      if (name) cur.name = name;
      if (parentStage !== undefined) {
        const p = stages[parentStage]!;
        cur.parentStage = parentStage;
        cur.workdir = p.workdir;
      }
      stages.push(cur);
      if (name) byName.set(name, cur.index);
      continue;
    }
    if (!cur) {
      if (kw === 'ARG') for (const p of properties(i)) globalArgs.push({ kind: 'ARG', ...p, line: line1(i) });
      continue;
    }
    cur.endLine = endLine1(i);
    addInstruction(cur, i, kw);
  }
  const final = stages[stages.length - 1];
  const out: Dockerfile = { file, dir: dirOf(file), globalArgs, stages };
  if (final) {
    out.final = final;
    const start = effectiveStart(stages, final);
    if (start) out.start = start;
  }
  return out;
}

function addInstruction(cur: DockerStage, i: Instruction, kw: string): void {
  const line = line1(i);
  switch (kw) {
    case 'WORKDIR': {
      const p = shellText(i);
      cur.workdir = containerJoin(cur.workdir, p);
      cur.workdirs.push({ path: cur.workdir, line });
      break;
    }
    case 'COPY':
    case 'ADD': {
      const raw = i.getArgumentsContent() ?? '';
      if (raw.startsWith('<<')) break; // heredoc: the content is inline, nothing comes from the context
      const parts = isJsonForm(i) ? jsonStrings(i) : i.getArguments().map((a) => a.getValue());
      if (parts.length < 2) break;
      const copy: DockerCopy = {
        instruction: kw,
        sources: parts.slice(0, -1),
        dest: parts[parts.length - 1]!,
        workdir: cur.workdir,
        line,
        endLine: endLine1(i),
      };
      const from = flagValue(i, 'from');
      if (from) copy.from = from;
      const chmod = flagValue(i, 'chmod');
      if (chmod) copy.chmod = chmod;
      cur.copies.push(copy);
      break;
    }
    case 'ENV':
      for (const p of properties(i)) cur.env.push({ kind: 'ENV', ...p, line });
      break;
    case 'ARG':
      for (const p of properties(i)) cur.args.push({ kind: 'ARG', ...p, line });
      break;
    case 'EXPOSE':
      for (const a of i.getArguments()) cur.expose.push({ port: a.getValue(), line });
      break;
    case 'HEALTHCHECK': {
      const text = shellText(i);
      cur.healthcheck = { none: /^none$/i.test(text.trim()), text, line };
      break;
    }
    case 'USER':
      cur.user = { name: shellText(i), line };
      break;
    case 'RUN':
      cur.runs.push({ ...runCommands(i), workdir: cur.workdir, line, endLine: endLine1(i) });
      break;
    case 'CMD':
      cur.cmd = command(i, 'CMD');
      break;
    case 'ENTRYPOINT':
      cur.entrypoint = command(i, 'ENTRYPOINT');
      break;
  }
}

/**
 * Docker's rules: CMD and ENTRYPOINT inherit from the parent stage; setting ENTRYPOINT in a stage
 * resets an inherited CMD; a shell-form ENTRYPOINT ignores CMD entirely.
 */
function effectiveStart(stages: DockerStage[], final: DockerStage): DockerStart | undefined {
  let entrypoint: DockerCommand | undefined;
  let cmd: DockerCommand | undefined;
  let epSetAt = -1;
  let cmdSetAt = -1;
  const chain: DockerStage[] = [];
  for (let s: DockerStage | undefined = final; s; s = s.parentStage !== undefined ? stages[s.parentStage] : undefined) chain.unshift(s);
  chain.forEach((s, depth) => {
    if (s.entrypoint) {
      entrypoint = s.entrypoint;
      epSetAt = depth;
    }
    if (s.cmd) {
      cmd = s.cmd;
      cmdSetAt = depth;
    }
  });
  if (entrypoint && cmd && epSetAt > cmdSetAt) cmd = undefined;
  if (!entrypoint && !cmd) return undefined;
  const ep = entrypoint as DockerCommand | undefined;
  const c = cmd as DockerCommand | undefined;
  let argv: string[];
  if (ep?.form === 'shell') argv = ['/bin/sh', '-c', ep.text];
  else {
    const cmdArgv = c ? (c.form === 'exec' ? c.args : ['/bin/sh', '-c', c.text]) : [];
    argv = [...(ep?.args ?? []), ...cmdArgv];
  }
  const effectiveCmd = ep?.form === 'shell' ? undefined : c;
  const start: DockerStart = {
    exec: (!ep || ep.form === 'exec') && (!effectiveCmd || effectiveCmd.form === 'exec'),
    argv,
    commands: argvCommands(argv),
    line: (effectiveCmd ?? ep)!.line,
  };
  if (ep) start.entrypoint = ep;
  if (effectiveCmd) start.cmd = effectiveCmd;
  return start;
}

/**
 * Splits an exec argv into simple commands. Arguments are quoted first so that `$PORT` in exec
 * form stays a literal (no shell expands it); `sh -c "..."` is unwrapped by the shell parser.
 */
export function argvCommands(argv: string[]): SimpleCommand[] {
  if (argv.length === 0) return [];
  return parseCommandLine(quote(argv));
}

/** Every Dockerfile the scan read, parsed once. */
export const dockerfiles = defineFacts('deploy-dockerfiles', (model): Dockerfile[] =>
  [...model.read('**/*')].filter(isDockerfilePath).map((f) => parseDockerfile(f, model.text(f) ?? '')),
);
