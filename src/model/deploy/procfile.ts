import { defineFacts } from '../project.js';
import { parseCommandLine, type SimpleCommand } from '../shell.js';
import { dirOf } from './files.js';
import { PROCFILE_GLOBS } from './files.js';

export interface ProcfileEntry {
  file: string;
  /** `web`, `worker`, `release`... */
  type: string;
  command: string;
  /** Split with the shell parser (`cd backend && ...`, `sh -c` unwrapped). */
  commands: SimpleCommand[];
  line: number;
}

/** Heroku's Procfile grammar: `<type>: <command>`, one per line; other lines are ignored. */
export function parseProcfile(file: string, text: string): ProcfileEntry[] {
  const out: ProcfileEntry[] = [];
  text.split(/\r?\n/).forEach((l, idx) => {
    const m = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(l);
    if (!m || !m[2]!.trim()) return;
    const command = m[2]!.trim();
    out.push({ file, type: m[1]!, command, commands: parseCommandLine(command, dirOf(file)), line: idx + 1 });
  });
  return out;
}

/** Every Procfile line the scan read. */
export const procfiles = defineFacts('deploy-procfiles', (model): ProcfileEntry[] =>
  PROCFILE_GLOBS.flatMap((g) => model.read(g)).flatMap((f) => parseProcfile(f, model.text(f) ?? '')),
);
