import { globMatcher, type ProjectModel } from '../project.js';
import { joinPath } from '../shell.js';
import type { Dockerfile } from './dockerfile.js';

/** A parsed .dockerignore: Docker's rules, not git's (patterns are anchored at the context root). */
export interface DockerIgnore {
  file: string;
  rules: { pattern: string; negate: boolean; line: number }[];
}

export function parseDockerignore(file: string, text: string): DockerIgnore {
  const rules: DockerIgnore['rules'] = [];
  text.split(/\r?\n/).forEach((raw, idx) => {
    let l = raw.trim();
    if (!l || l.startsWith('#')) return;
    const negate = l.startsWith('!');
    if (negate) l = l.slice(1).trim();
    l = l.replace(/^\/+/, '').replace(/\/+$/, '');
    if (l.startsWith('./')) l = l.slice(2);
    if (l) rules.push({ pattern: l, negate, line: idx + 1 });
  });
  return { file, rules };
}

/** True when a context-relative path is excluded (a rule matching the path or one of its parent directories). */
export function isDockerIgnored(ig: DockerIgnore | undefined, path: string): boolean {
  if (!ig) return false;
  const parts = path.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const r of ig.rules) {
    const m = globMatcher(r.pattern);
    if (prefixes.some((p) => m(p))) excluded = !r.negate;
  }
  return excluded;
}

/**
 * The ignore file Docker uses for a build: `<Dockerfile>.dockerignore` next to the Dockerfile
 * (BuildKit) wins over `<context>/.dockerignore`.
 */
export function dockerignoreFor(model: ProjectModel, df: Dockerfile, context: string): DockerIgnore | undefined {
  for (const f of [`${df.file}.dockerignore`, joinPath(context, '.dockerignore')]) {
    const t = model.text(f);
    if (t !== undefined) return parseDockerignore(f, t);
  }
  return undefined;
}
