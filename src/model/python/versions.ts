import { defineFacts, type ProjectModel } from '../project.js';
import { dockerfiles, stageChain, isDevOnlyPath } from '../deploy/index.js';
import { declarationsFor, declaredNames, likelyVersion, pythonDependencies, type DeclaredDep } from './deps.js';
import { extraProvides, installedWith, normaliseDist } from './distributions.js';

/**
 * Which version of a package (or of Python itself) the deployed image runs, as far as the
 * repository says: the pinned or likely version from the manifests and lock files, and the Python
 * of the `python:X.Y` base images, runtime.txt and .python-version.
 */

export const PYTHON_VERSION_FILES = ['**/runtime.txt', '**/.python-version'] as const;

export interface ResolvedVersion {
  version: string;
  /** How the message should explain it: `pydantic==2.5.3 (requirements.txt:3)`. */
  source: string;
  file?: string;
  line?: number;
}

/** Python versions the deploy runs (X.Y.0), from non-dev Dockerfiles, runtime.txt and .python-version. */
export const pythonRuntimeVersions = defineFacts('python-runtime-versions', (model): ResolvedVersion[] => {
  const out: ResolvedVersion[] = [];
  for (const df of model.get(dockerfiles)) {
    if (!df.final || isDevOnlyPath(df.file)) continue;
    const root = stageChain(df)[0];
    const m = root ? /^(?:docker\.io\/)?(?:library\/)?python:(\d+)\.(\d+)/.exec(root.resolvedImage) : null;
    if (m) out.push({ version: `${m[1]}.${m[2]}.0`, source: `the ${root!.resolvedImage} image (${df.file}:${root!.line})`, file: df.file, line: root!.line });
  }
  for (const f of model.read('**/runtime.txt')) {
    const m = /python-(\d+)\.(\d+)/.exec(model.text(f) ?? '');
    if (m) out.push({ version: `${m[1]}.${m[2]}.0`, source: `${f}`, file: f, line: 1 });
  }
  for (const f of model.read('**/.python-version')) {
    const m = /^\s*(\d+)\.(\d+)/.exec(model.text(f) ?? '');
    if (m) out.push({ version: `${m[1]}.${m[2]}.0`, source: `${f}`, file: f, line: 1 });
  }
  return out;
});

function describe(d: DeclaredDep): string {
  return `${d.rawName}${d.extras.length ? `[${d.extras.join(',')}]` : ''}${d.specifier || ' (unpinned, so pip installs the newest release)'} (${d.file}:${d.line})`;
}

/**
 * The version of `dist` the image most likely gets for code in `file`: an exact pin or lock entry,
 * else the newest release a range allows. With `viaExtras`, a distribution that only an extra pulls
 * in (`passlib[bcrypt]` → bcrypt) counts as unpinned. Undefined when the repository does not say.
 */
export function packageVersion(model: ProjectModel, dist: string, file: string, viaExtras = false): ResolvedVersion | undefined {
  const deps = model.get(pythonDependencies);
  const name = normaliseDist(dist);
  const locked = deps.locked.get(name);
  const decl = declarationsFor(deps, name, file).filter((d) => !d.direct);
  const constraint = deps.constraints.find((c) => c.name === name && c.specifier);
  if (decl[0]) {
    const d = decl[0];
    const spec = [d.specifier, constraint?.specifier].filter(Boolean).join(',');
    const v = likelyVersion(spec, locked?.version);
    if (!v) return undefined;
    return { version: v, source: locked ? `${d.rawName} ${locked.version} (locked in ${locked.file})` : describe(d), file: d.file, line: d.line };
  }
  if (locked) return { version: locked.version, source: `${dist} ${locked.version} (locked in ${locked.file})`, file: locked.file };
  if (constraint) {
    const v = likelyVersion(constraint.specifier);
    return v ? { version: v, source: `${constraint.rawName}${constraint.specifier} (constraint, ${constraint.file}:${constraint.line})`, file: constraint.file, line: constraint.line } : undefined;
  }
  if (viaExtras) {
    const parent = deps.deps.find((d) => d.extras.some((e) => extraProvides(d.name, e).includes(name)));
    if (parent) {
      const v = likelyVersion('');
      return v ? { version: v, source: `${dist} unpinned, pulled in by ${parent.rawName}[${parent.extras.join(',')}] (${parent.file}:${parent.line}), so pip installs the newest release`, file: parent.file, line: parent.line } : undefined;
    }
  }
  return undefined;
}

/** True when `dist` gets installed: declared, locked, pulled in by an extra or a known dependency. */
export function isInstalled(model: ProjectModel, dist: string): boolean {
  const deps = model.get(pythonDependencies);
  return installedWith(declaredNames(deps)).has(normaliseDist(dist));
}
