import ignore, { type Ignore } from 'ignore';
import { defineFacts } from '../project.js';
import { dirOf } from './files.js';

export interface GitIgnoreFile {
  file: string;
  dir: string;
  ig: Ignore;
  /** Number of lines, to point a finding at the end of the file. */
  lines: number;
}

export const GITIGNORE_GLOBS = ['**/.gitignore'] as const;

/** Every .gitignore the scan read, parsed with the `ignore` package (git's own rules). */
export const gitIgnores = defineFacts('deploy-gitignores', (model): GitIgnoreFile[] =>
  model.read('**/.gitignore').map((file) => {
    const text = model.text(file) ?? '';
    return { file, dir: dirOf(file), ig: ignore().add(text), lines: text.replace(/\n$/, '').split('\n').length };
  }),
);

/** Git's verdict for a repo path: every .gitignore from the root down, the deepest matching rule wins. */
export function isGitIgnored(path: string, ignores: readonly GitIgnoreFile[]): boolean {
  let ignored = false;
  const applicable = ignores.filter((g) => g.dir === '' || path.startsWith(g.dir + '/')).sort((a, b) => a.dir.length - b.dir.length);
  for (const g of applicable) {
    const rel = g.dir === '' ? path : path.slice(g.dir.length + 1);
    if (!rel) continue;
    // A path that does not exist may be a directory (`dist/` rules only match directories).
    for (const candidate of [rel, `${rel}/`]) {
      const r = g.ig.test(candidate);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
      if (r.ignored || r.unignored) break;
    }
  }
  return ignored;
}

/** The nearest .gitignore at or above a directory. */
export function nearestGitIgnore(dir: string, ignores: readonly GitIgnoreFile[]): GitIgnoreFile | undefined {
  return ignores.filter((g) => g.dir === '' || dir === g.dir || dir.startsWith(g.dir + '/')).sort((a, b) => b.dir.length - a.dir.length)[0];
}
