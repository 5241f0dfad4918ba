import { defineCheck, type Report } from '../../src/engine/check.js';
import { DEPLOY_FILES } from '../../src/model/deploy/index.js';
import { findApiUses } from '../../src/model/python/api-usage.js';
import { pyNames } from '../../src/model/python/bindings.js';
import { DEPENDENCY_FILES, pythonDependencies, versionIn } from '../../src/model/python/deps.js';
import { apiRemovals, type ApiRemoval } from '../../src/model/python/knowledge.js';
import { MODULE_MAP_FILES } from '../../src/model/python/modules.js';
import { isAuxiliaryPath, reachOf } from '../../src/model/python/reach.js';
import { isInstalled, packageVersion, PYTHON_VERSION_FILES, pythonRuntimeVersions, type ResolvedVersion } from '../../src/model/python/versions.js';
import type { ProjectModel } from '../../src/model/project.js';

/** The versions the entry's package runs at for `file`, or undefined when the repo does not say. */
function versionsFor(model: ProjectModel, e: ApiRemoval, file: string): ResolvedVersion[] | undefined {
  if (e.package === 'python') {
    const vs = model.get(pythonRuntimeVersions);
    return vs.length ? vs : undefined;
  }
  const v = packageVersion(model, e.package, file);
  if (v) return [v];
  if (e.versions === 'any' && isInstalled(model, e.package)) return [{ version: 'any', source: `${e.package} (installed)` }];
  return undefined;
}

function manifestFor(model: ProjectModel): string {
  const m = model.get(pythonDependencies).manifests;
  return m.find((f) => /requirements\.txt$/.test(f)) ?? m.find((f) => f.endsWith('pyproject.toml')) ?? m[0] ?? 'requirements.txt';
}

export default defineCheck({
  id: 'python/api-removed-in-pinned-version',
  title: 'API removed in the pinned version of a dependency',
  severity: 'critical',
  files: [...MODULE_MAP_FILES, ...DEPENDENCY_FILES, ...DEPLOY_FILES, ...PYTHON_VERSION_FILES],
  docs:
    'Code imports or calls an API that the version the project pins (or that pip picks for an unpinned or open ' +
    'range) no longer has, so the import or the call fails in the deployed image. Driven by a knowledge base ' +
    '(checks/python/data/api-removals.yaml) of verified breaks, each citing the release that made it: ' +
    '`from pydantic import BaseSettings` with pydantic 2.0+ (moved to pydantic-settings); `EmailStr` without ' +
    'email-validator; passlib 1.7.x with bcrypt 5.0+ (ValueError on the first hash; bcrypt 4.1-4.3 only log a ' +
    'trapped error: low); SQLAlchemy 2.0 `engine.execute`, `MetaData(bind=)`, `select([..])`; Flask 2.3/3.0 ' +
    '`flask.json.JSONEncoder`, `_app_ctx_stack`, `Markup`, `before_first_request`; Werkzeug 1.0/2.1/3.0 ' +
    '`werkzeug.contrib`, `safe_str_cmp`, `url_quote`; Starlette 0.17 GraphQL; Celery 5.0 `celery.task`; Django ' +
    '3.0/4.0/5.0 (`ugettext`, `django.conf.urls.url`, `force_text`, `timezone.utc`); NumPy 1.24/2.0 aliases ' +
    '(`np.float`, `np.float_`, `np.NaN`); httpx 0.28 `app=`/`proxies=`; urllib3 2.0 `method_whitelist`; and modules ' +
    'removed from Python 3.10/3.12/3.13 for the python:X.Y base image. The version comes from the nearest manifest ' +
    'or lock file; a package the repository does not pin or lock itself is not judged.',
  fix: 'Apply the replacement the finding names, or pin the dependency below the breaking release until the code is migrated.',
  effort: 15,
  example: '# requirements.txt: pydantic==2.5.3\nfrom pydantic import BaseSettings  # PydanticImportError',
  run(model) {
    const kb = apiRemovals();
    if (kb.problems.length) model.parseNotice('checks/python/data/api-removals.yaml', `knowledge base entries skipped: ${kb.problems.join('; ')}`);
    const deps = model.get(pythonDependencies);
    const out: Report[] = [];
    for (const file of pyNames(model).keys()) {
      if (isAuxiliaryPath(file) && reachOf(model, file) !== 'startup') continue;
      for (const e of kb.entries) {
        const hits = findApiUses(model, file, e.uses).filter((h) => !h.use.unless_installed?.some((d) => isInstalled(model, d)));
        if (hits.length === 0) continue;
        if (e.fileMentions && !new RegExp(`\\b${e.fileMentions}\\b`).test(model.text(file) ?? '')) continue;
        if (e.unlessInstalled.length && (deps.manifests.length === 0 || deps.uncertain.length > 0 || e.unlessInstalled.some((d) => isInstalled(model, d)))) continue;
        const versions = versionsFor(model, e, file);
        if (!versions || !versions.every((v) => e.versions === 'any' || versionIn(v.version, e.versions))) continue;
        let requiresText = '';
        if (e.requires) {
          const rv = packageVersion(model, e.requires.package, file, true);
          if (!rv || !versionIn(rv.version, e.requires.versions)) continue;
          requiresText = ` with ${rv.source}`;
        }
        const first = hits[0]!;
        const more = hits.length > 1 ? ` (${hits.length - 1} more use${hits.length > 2 ? 's' : ''} in this file)` : '';
        const pinned = e.package === 'python' ? versions.map((v) => v.source).join(', ') : versions[0]!.version === 'any' ? '' : versions[0]!.source;
        const missingDep = e.addDependency && !isInstalled(model, e.addDependency) ? ` and add \`${e.addDependency}\` to ${manifestFor(model)}` : '';
        const sev = reachOf(model, file) === 'elsewhere' && e.severity === 'critical' ? 'high' : e.severity;
        out.push({
          file,
          line: first.line,
          key: e.id,
          severity: sev,
          message: `\`${first.written}\` (${file}:${first.line})${more}${pinned ? ` under ${pinned}` : ''}${requiresText}: ${e.breaks} [${e.changelog}]`,
          fix: `${e.fix}${missingDep}`,
        });
      }
    }
    return out;
  },
});
