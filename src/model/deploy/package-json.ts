import { defineFacts } from '../project.js';
import { dirOf } from './files.js';

/** The few package.json facts the deploy rules need (scripts and which deps are dev-only). */
export interface PackageJson {
  file: string;
  dir: string;
  scripts: Record<string, string>;
  dependencies: Set<string>;
  devDependencies: Set<string>;
}

function strings(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Parses a package.json; undefined when it is not valid JSON (another rule reports that). */
export function parsePackageJson(file: string, text: string): PackageJson | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const j = json as Record<string, unknown>;
  return {
    file,
    dir: dirOf(file),
    scripts: strings(j.scripts),
    dependencies: new Set([...Object.keys(strings(j.dependencies)), ...Object.keys(strings(j.optionalDependencies))]),
    devDependencies: new Set(Object.keys(strings(j.devDependencies))),
  };
}

export const PACKAGE_JSON_GLOBS = ['**/package.json'] as const;

export const packageJsons = defineFacts('deploy-package-json', (model): Map<string, PackageJson> => {
  const out = new Map<string, PackageJson>();
  for (const f of model.read('**/package.json')) {
    const p = parsePackageJson(f, model.text(f) ?? '');
    if (p) out.set(p.dir, p);
  }
  return out;
});
