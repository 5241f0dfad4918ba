import { defineFacts } from '../project.js';
import { parseCommandLine, type SimpleCommand } from '../shell.js';
import { dirOf, SCRIPT_GLOBS } from './files.js';

export interface ScriptLine {
  line: number;
  text: string;
  commands: SimpleCommand[];
}

/**
 * A shell script split into logical lines (backslash continuations joined, comments and heredoc
 * bodies skipped), each parsed with the shell parser. Control keywords (`if`, `then`, `do`) come
 * through as argv[0]; rules look for the commands they care about, not for control flow.
 */
export function parseScript(text: string, cwd = ''): ScriptLine[] {
  const out: ScriptLine[] = [];
  const lines = text.split(/\r?\n/);
  let heredocEnd: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let l = lines[i]!;
    if (heredocEnd !== undefined) {
      if (l.trim() === heredocEnd) heredocEnd = undefined;
      continue;
    }
    while (l.endsWith('\\') && i + 1 < lines.length) l = l.slice(0, -1) + ' ' + lines[++i]!;
    const t = l.trim();
    if (!t || t.startsWith('#')) continue;
    const hd = /<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?/.exec(t);
    if (hd) heredocEnd = hd[1];
    const stripped = t.replace(/^(if|then|else|elif|do|while|until|!)\s+/, '');
    out.push({ line: start + 1, text: t, commands: parseCommandLine(stripped, cwd) });
  }
  return out;
}

/** Every shell-like script the scan read (entrypoints, start scripts), parsed once. */
export const shellScripts = defineFacts('deploy-shell-scripts', (model): Map<string, ScriptLine[]> => {
  const out = new Map<string, ScriptLine[]>();
  for (const g of SCRIPT_GLOBS) {
    for (const f of model.read(g)) {
      if (out.has(f) || /\.(py|js|ts|json|ya?ml|md|txt|toml)$/i.test(f)) continue;
      out.set(f, parseScript(model.text(f) ?? '', dirOf(f)));
    }
  }
  return out;
});

/** All commands of a script, flattened, each with its line. */
export function scriptCommands(lines: readonly ScriptLine[]): (SimpleCommand & { line: number })[] {
  return lines.flatMap((l) => l.commands.map((c) => ({ ...c, line: l.line })));
}
