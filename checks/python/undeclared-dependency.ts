import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { declaredNames, DEPENDENCY_FILES, pythonDependencies } from '../../src/model/python/deps.js';
import {
  dependenciesKnown,
  displayNamesFor,
  distributionsFor,
  installedWith,
  isAlwaysPresent,
  isCommonlyTransitive,
  isKnownDistribution,
  looselyProvides,
} from '../../src/model/python/distributions.js';
import { resolvedImports, type ResolvedImport } from '../../src/model/python/imports.js';
import { MODULE_MAP_FILES } from '../../src/model/python/modules.js';
import { isAuxiliaryPath, outsideCodeRoots, reachOf } from '../../src/model/python/reach.js';

function rank(s: Severity): number {
  return ['critical', 'high', 'medium', 'low'].indexOf(s);
}

export default defineCheck({
  id: 'python/undeclared-dependency',
  title: 'Third-party import that no dependency manifest declares',
  severity: 'critical',
  files: [...MODULE_MAP_FILES, ...DEPENDENCY_FILES],
  docs:
    'A module imports a third-party package (`import web3`, `import yaml`) whose distribution is in no dependency ' +
    'manifest: requirements*.txt (with -r includes), pyproject.toml (PEP 621, Poetry, dependency groups), Pipfile, ' +
    'setup.cfg, setup.py, environment.yml, lock files, or a `pip install` in the Dockerfile. It works on the ' +
    "developer's machine because the package happens to be installed there; the image is built from the manifest, so " +
    'the import raises ModuleNotFoundError at startup. Import names are mapped to distributions (yaml → PyYAML, ' +
    'jwt → PyJWT, PIL → Pillow, cv2 → opencv-python...), extras count (`pydantic[email]` installs email-validator, ' +
    '`uvicorn[standard]` installs uvloop) and so do the dependencies of declared packages (fastapi installs ' +
    'starlette). Guarded imports (try/except ImportError, TYPE_CHECKING, version tests), test code and repositories ' +
    'whose dependencies the model cannot read completely are left alone.',
  fix: 'Add the distribution to the manifest the deploy installs (requirements.txt / pyproject.toml), pinned to the version you test with.',
  effort: 5,
  example: '# requirements.txt: fastapi, sqlalchemy\nimport web3  # ModuleNotFoundError in the image',
  run(model) {
    const deps = model.get(pythonDependencies);
    // Without any manifest the model cannot know how packages get installed; with one it cannot
    // read completely, "not declared" would be a guess.
    if (deps.manifests.length === 0 || deps.uncertain.length > 0) return [];
    const declared = declaredNames(deps);
    const installed = installedWith(declared);
    const direct = new Set(deps.deps.map((d) => d.name));
    const someUnknown = [...direct].some((d) => !dependenciesKnown(d));
    const allDirectKnown = [...direct].every((d) => isKnownDistribution(d) || dependenciesKnown(d));
    const manifestList = deps.manifests.slice(0, 3).join(', ') + (deps.manifests.length > 3 ? ', ...' : '');
    const mainManifest = deps.manifests.find((m) => /requirements\.txt$/.test(m)) ?? deps.manifests.find((m) => m.endsWith('pyproject.toml')) ?? deps.manifests[0]!;

    /** dist key → the imports that need it. */
    const missing = new Map<string, { imps: ResolvedImport[]; severity: Severity; display: string }>();
    for (const [file, imports] of model.get(resolvedImports)) {
      const reach = reachOf(model, file);
      if (isAuxiliaryPath(file) && reach !== 'startup') continue;
      for (const imp of imports) {
        if (imp.guarded || imp.origin !== 'third-party' || !imp.absolute) continue;
        const top = imp.top;
        if (/_pb2(_grpc)?$/.test(top)) continue; // generated at build time
        const dists = distributionsFor(imp.absolute);
        let key: string;
        let display: string;
        if (dists) {
          if (dists.some((d) => installed.has(d) || isAlwaysPresent(d))) continue;
          if (someUnknown && dists.some((d) => isCommonlyTransitive(d))) continue;
          if ([...installed].some((d) => dists.some((x) => looselyProvides(d, x)))) continue;
          key = dists[0]!;
          display = displayNamesFor(imp.absolute)!.join(' or ');
        } else {
          if ([...installed].some((d) => looselyProvides(d, top))) continue;
          // An unknown import name may come from a declared distribution whose import name the
          // table does not know; only when every declared one is known is its absence certain.
          if (!allDirectKnown) continue;
          key = top.toLowerCase();
          display = top;
        }
        const severity: Severity =
          imp.inMain || outsideCodeRoots(model, file) ? 'medium' : imp.scope === 'function' || imp.conditional || reach === 'elsewhere' ? 'high' : 'critical';
        const entry = missing.get(key);
        if (!entry) missing.set(key, { imps: [imp], severity, display });
        else {
          entry.imps.push(imp);
          if (rank(severity) < rank(entry.severity)) entry.severity = severity;
        }
      }
    }

    const out: Report[] = [];
    for (const [key, { imps, severity, display }] of missing) {
      // point at the most severe use, the first one in path order
      const sorted = [...imps].sort((a, b) => (a.scope === 'function' ? 1 : 0) - (b.scope === 'function' ? 1 : 0) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
      const first = sorted[0]!;
      const others = new Set(imps.map((i) => i.file));
      others.delete(first.file);
      const written = first.kind === 'import' ? `import ${first.module}` : `from ${first.module} import ${first.name}`;
      const pkg = display.split(' or ')[0]!;
      out.push({
        file: first.file,
        line: first.line,
        key,
        severity,
        message:
          `\`${written}\` (${first.file}:${first.line}) needs the distribution ${display}, which no dependency manifest declares (${manifestList}). ` +
          `The image installs only what the manifests list, so the import raises ModuleNotFoundError${severity === 'critical' ? ' when the app starts' : ' when this code runs'}` +
          `${others.size ? `; ${others.size} more file${others.size > 1 ? 's import' : ' imports'} it (${[...others].slice(0, 3).join(', ')})` : ''}.`,
        fix: mainManifest.endsWith('.txt')
          ? `Add \`${pkg}\` to ${mainManifest}, pinned to the version you develop with (e.g. \`${pkg}==<version>\` from \`pip show ${pkg}\`).`
          : `Add \`${pkg}\` to the dependencies in ${mainManifest} (e.g. \`poetry add ${pkg}\` / \`uv add ${pkg}\`), pinned to the version you develop with.`,
      });
    }
    return out;
  },
});
