import { defineFacts, type ProjectModel } from '../project.js';
import { pythonDependencies } from './deps.js';
import { followName, resolvedImports } from './imports.js';
import { pythonModules } from './modules.js';

/**
 * Which Python files the deployed process loads: the entry modules of the start commands and
 * everything they import from the repository, transitively (package `__init__` files included).
 * Rules use it to tell a crash at startup (critical) from one in code the deploy never loads.
 */

/** Test code, docs, examples, notebooks and dev tooling: never part of the deployed process. */
export function isAuxiliaryPath(p: string): boolean {
  // project templates (cookiecutter, copier) are not code that runs as written
  if (p.includes('{{') || p.includes('{%')) return true;
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/(^|\/)(tests?|testing|test_utils|docs?|examples?|samples?|benchmarks?|bench|notebooks?|scripts|tools|\.github|e2e|fixtures)\//i.test(p)) return true;
  // tool folders at the top (.semgrep rule fixtures, .devcontainer, .circleci): never the deployed code
  if (/^\.[^/]+\//.test(p)) return true;
  return /^test_.*\.py$/.test(base) || /_tests?\.py$/.test(base) || ['conftest.py', 'setup.py', 'noxfile.py', 'fabfile.py', 'docs_conf.py', 'conf.py'].includes(base);
}

export interface PythonReach {
  /** Files the start commands load; undefined when no entry point is known (or for Django). */
  reachable?: Set<string>;
}

export const pythonReach = defineFacts('python-reach', (model): PythonReach => {
  const map = model.get(pythonModules);
  const entries = map.entrypoints.filter((e) => !e.devOnly);
  if (entries.length === 0) return {};
  // Django and Celery autodiscovery load modules named in strings (INSTALLED_APPS, settings
  // modules): the import graph under-approximates what runs, so give no reach at all.
  const deps = model.get(pythonDependencies);
  if (deps.deps.some((d) => d.name === 'django') || model.listed('**/manage.py').length > 0) return {};
  const imports = model.get(resolvedImports);
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    queue.push(file);
    // importing a.b.c runs a/__init__.py and a/b/__init__.py
    for (let d = file.slice(0, file.lastIndexOf('/')); d; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
      const init = `${d}/__init__.py`;
      if (model.exists(init) && !seen.has(init)) {
        seen.add(init);
        queue.push(init);
      }
    }
  };
  for (const e of entries) add(e.file);
  while (queue.length) {
    const file = queue.pop()!;
    for (const imp of imports.get(file) ?? []) {
      if (imp.origin !== 'local') continue;
      for (const t of imp.targets) {
        if (t.kind === 'module' || t.kind === 'package') add(t.path);
        if (imp.kind === 'from' && imp.name && imp.name !== '*') {
          const n = followName(model, t, imp.name);
          if (n.kind === 'module' && (n.target.kind === 'module' || n.target.kind === 'package')) add(n.target.path);
          if (n.kind === 'binding') add(n.file);
        }
      }
    }
  }
  return { reachable: seen };
});

/** 'startup' when the deploy loads the file, 'unknown' without entry points, 'elsewhere' otherwise. */
export function reachOf(model: ProjectModel, file: string): 'startup' | 'unknown' | 'elsewhere' {
  const r = model.get(pythonReach).reachable;
  if (!r) return 'unknown';
  return r.has(file) ? 'startup' : 'elsewhere';
}

/**
 * True when the project names its code roots (start commands, package config, a src layout) and
 * `file` lies under none of them: release scripts, dev tooling, CI helpers that the deployed
 * process never imports.
 */
export function outsideCodeRoots(model: ProjectModel, file: string): boolean {
  const roots = model.get(pythonModules).roots.filter((r) => r.via !== 'pytest');
  if (roots.length === 0) return false;
  return !roots.some((r) => r.dir === '' || file.startsWith(r.dir + '/'));
}

/** True when `file` lies under a root a start command or PYTHONPATH puts on sys.path. */
export function underDeployRoot(model: ProjectModel, file: string): boolean {
  return model
    .get(pythonModules)
    .roots.some((r) => (r.via === 'start-command' || r.via === 'pythonpath') && (r.dir === '' || file.startsWith(r.dir + '/')));
}
