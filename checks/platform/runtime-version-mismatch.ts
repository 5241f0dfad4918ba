import { satisfies as pep440Satisfies, validRange as pep440Range } from '@renovatebot/pep440';
import semver from 'semver';
import { defineCheck, type Report } from '../../src/engine/check.js';
import { DOCKERFILE_GLOBS } from '../../src/model/deploy/files.js';
import { PLATFORM_FILES } from '../../src/model/platform/files.js';
import { runtimePins, type RuntimePin } from '../../src/model/platform/runtimes.js';

const NAME = { python: 'Python', node: 'Node' } as const;

export default defineCheck({
  id: 'platform/runtime-version-mismatch',
  title: 'Python or Node version pins disagree',
  severity: 'high',
  files: [...PLATFORM_FILES, ...DOCKERFILE_GLOBS],
  docs:
    'The same code is given different language versions by the files that decide it: runtime.txt, .python-version, ' +
    'Pipfile, .tool-versions, nixpacks packages and variables, render.yaml PYTHON_VERSION/NODE_VERSION and the image of ' +
    "a production Dockerfile say which version runs; pyproject `requires-python`, Poetry's `python` and package.json " +
    '`engines.node` say which versions the code supports. When they disagree, the deploy builds on a version nobody ' +
    'tested: wheels that do not exist for it, syntax or stdlib APIs that are missing (`match`, `tomllib`, ' +
    '`datetime.UTC`), or a package manager that refuses to install (`engines` with engine-strict, pip\'s ' +
    '"requires a different Python"). Pins only count against each other when one governs the folder of the other. ' +
    'Python versions are compared by major.minor (PEP 440 ranges via @renovatebot/pep440), Node by major (semver).',
  fix: 'Pick one version and write it everywhere the repository pins it.',
  effort: 10,
  example: 'runtime.txt: python-3.9.18   but   pyproject.toml: requires-python = ">=3.11"',
  run(model) {
    const pins = model.get(runtimePins);
    // One finding per pin: its first clash, with the others named in the same message.
    const byPin = new Map<string, { report: Report; other: RuntimePin; concrete: boolean }[]>();
    for (const runtime of ['python', 'node'] as const) {
      const list = pins.filter((p) => p.runtime === runtime);
      for (let i = 0; i < list.length; i++) {
        for (let j = 0; j < list.length; j++) {
          if (i === j) continue;
          const a = list[i]!;
          const b = list[j]!;
          if (!overlaps(a, b)) continue;
          const r = a.version && b.version ? concreteClash(a, b) : a.version && b.range ? rangeClash(a, b) : undefined;
          if (!r) continue;
          const k = `${r.file}:${r.line}:${runtime}`;
          byPin.set(k, [...(byPin.get(k) ?? []), { report: r, other: b, concrete: !!b.version }]);
        }
      }
    }
    return [...byPin.values()].map((list) => {
      // What runs (another concrete pin) first, then declared ranges.
      const [first, ...rest] = list.sort((x, y) => Number(y.concrete) - Number(x.concrete) || x.other.rank - y.other.rank);
      if (!rest.length) return first!.report;
      const also = rest.map((r) => `${r.other.source} \`${r.other.version ?? r.other.range}\` (${r.other.file}:${r.other.line})`).join(', ');
      return { ...first!.report, message: `${first!.report.message} It also disagrees with ${also}.` };
    });
  },
});

/** One pin governs the other's folder (same folder, or an ancestor's pin). */
function overlaps(a: RuntimePin, b: RuntimePin): boolean {
  const under = (x: string, y: string) => y === '' || x === y || x.startsWith(y + '/');
  return under(a.dir, b.dir) || under(b.dir, a.dir);
}

function parts(v: string): number[] {
  return v.split('.').map(Number);
}

/** Two concrete versions that differ in major.minor (Python) or major (Node); reported at the less authoritative pin. */
function concreteClash(a: RuntimePin, b: RuntimePin): Report | undefined {
  // Report each pair once, at the pin with the higher rank (the one less likely to be what runs).
  if (a.rank < b.rank || (a.rank === b.rank && a.file < b.file) || (a.rank === b.rank && a.file === b.file && a.line <= b.line)) return undefined;
  const depth = a.runtime === 'python' ? 2 : 1;
  const x = parts(a.version!);
  const y = parts(b.version!);
  for (let k = 0; k < depth; k++) {
    if (x[k] === undefined || y[k] === undefined) return undefined;
    if (x[k] !== y[k]) {
      const name = NAME[a.runtime];
      return {
        file: a.file,
        line: a.line,
        key: `${a.runtime}:${a.source}:${b.source}:${b.file}`,
        message:
          `${a.source} pins ${name} ${a.version} (\`${a.text}\`), but ${b.source} in ${b.file}:${b.line} says ${name} ${b.version}: ` +
          `the deploy ${b.rank < a.rank ? `runs ${name} ${b.version}` : 'and the local setup run different versions'}, so code and locked dependencies are tested on one version and shipped on another.`,
        fix: `Use one version: change ${a.file} to ${name} ${short(b.version!, depth)} (or change ${b.file}:${b.line} to ${short(a.version!, depth)}).`,
      };
    }
  }
  return undefined;
}

function short(v: string, depth: number): string {
  return v.split('.').slice(0, depth).join('.');
}

/** A concrete version outside a declared range. For `3.11` any 3.11.x inside the range is enough. */
function rangeClash(a: RuntimePin, r: RuntimePin): Report | undefined {
  const name = NAME[a.runtime];
  const p = parts(a.version!);
  const probes =
    a.runtime === 'python'
      ? p.length >= 3
        ? [a.version!]
        : [`${p[0]}.${p[1] ?? 0}.0`, `${p[0]}.${p[1] ?? 0}.99`]
      : p.length >= 3
        ? [a.version!]
        : p.length === 2
          ? [`${p[0]}.${p[1]}.0`, `${p[0]}.${p[1]}.999`]
          : [`${p[0]}.0.0`, `${p[0]}.999.999`];
  let ok: boolean;
  if (a.runtime === 'python') {
    if (!pep440Range(r.range!)) return undefined;
    ok = probes.some((v) => pep440Satisfies(v, r.range!));
  } else {
    if (!semver.validRange(r.range!)) return undefined;
    ok = probes.some((v) => semver.satisfies(v, r.range!));
  }
  if (ok) return undefined;
  return {
    file: a.file,
    line: a.line,
    key: `${a.runtime}:${a.source}:${r.source}:${r.file}`,
    message:
      `${a.source} gives ${name} ${a.version} (\`${a.text}\`), but ${r.file}:${r.line} declares ${r.source} \`${r.range}\`, which excludes it: ` +
      (a.runtime === 'python'
        ? `pip refuses to install the project ("requires a different Python") or the code uses features ${name} ${a.version} lacks.`
        : `the package declares it does not run on ${name} ${a.version} (npm with engine-strict and yarn refuse to install; APIs may be missing).`),
    fix: `Deploy a ${name} version inside \`${r.range}\` (change ${a.file}:${a.line}), or widen ${r.source} in ${r.file} if ${a.version} is really supported.`,
  };
}
