import { stageChain } from '../deploy/container-paths.js';
import { dockerfiles } from '../deploy/dockerfile.js';
import { isDevOnlyPath } from '../deploy/files.js';
import { defineFacts, type ProjectModel } from '../project.js';
import { keyLine, parseConfigDoc } from './config-doc.js';
import { dirOf, obj, platformConfigs } from './configs.js';

/**
 * Where the repository pins its Python or Node version: runtime.txt, .python-version, .nvmrc,
 * .node-version, .tool-versions, pyproject `requires-python` and Poetry's `python`, Pipfile,
 * package.json `engines.node`, nixpacks packages and variables, render.yaml PYTHON_VERSION /
 * NODE_VERSION, and the final image of each production Dockerfile.
 */

export type Runtime = 'python' | 'node';

export interface RuntimePin {
  runtime: Runtime;
  file: string;
  line: number;
  /** The folder the pin governs (it and everything below it). */
  dir: string;
  /** Where it comes from, for messages: `runtime.txt`, `Dockerfile FROM`, `engines.node`... */
  source: string;
  /** A concrete version (`3.11`, `3.11.4`, `18`): what runs. */
  version?: string;
  /** A range (`>=3.12`, `^18.17`): what the code supports (PEP 440 for Python, semver for Node). */
  range?: string;
  /** As written. */
  text: string;
  /** Lower is more authoritative about what is deployed (a Dockerfile FROM beats a .python-version). */
  rank: number;
}

/** Node's LTS code names, as .nvmrc may spell them (`lts/iron`). */
const NODE_LTS: Record<string, string> = { argon: '4', boron: '6', carbon: '8', dubnium: '10', erbium: '12', fermium: '14', gallium: '16', hydrogen: '18', iron: '20', jod: '22', krypton: '24' };

const CONCRETE = /^\d+(\.\d+){0,2}$/;

export const runtimePins = defineFacts('platform-runtime-pins', (model): RuntimePin[] => {
  const out: RuntimePin[] = [];
  const add = (p: Omit<RuntimePin, 'dir'> & { dir?: string }) => out.push({ dir: dirOf(p.file), ...p });
  for (const f of model.read('**/runtime.txt')) {
    const { text, line } = firstLine(model, f);
    const m = /^python-(\d+\.\d+(\.\d+)?)$/.exec(text);
    if (m) add({ runtime: 'python', file: f, line, source: 'runtime.txt', version: m[1]!, text, rank: 1 });
  }
  for (const f of model.read('**/.python-version')) {
    const { text, line } = firstLine(model, f);
    if (CONCRETE.test(text) && text.includes('.')) add({ runtime: 'python', file: f, line, source: '.python-version', version: text, text, rank: 4 });
  }
  for (const f of [...model.read('**/.nvmrc'), ...model.read('**/.node-version')]) {
    const { text, line } = firstLine(model, f);
    const lts = /^lts\/([a-z]+)$/i.exec(text);
    const v = lts ? NODE_LTS[lts[1]!.toLowerCase()] : text.replace(/^v/, '');
    if (v && CONCRETE.test(v)) add({ runtime: 'node', file: f, line, source: f.endsWith('.nvmrc') ? '.nvmrc' : '.node-version', version: v, text, rank: 4 });
  }
  for (const f of model.read('**/.tool-versions')) {
    (model.text(f) ?? '').split(/\r?\n/).forEach((l, i) => {
      const [tool, v] = l.trim().split(/\s+/);
      if (!v || !CONCRETE.test(v)) return;
      if (tool === 'python') add({ runtime: 'python', file: f, line: i + 1, source: '.tool-versions', version: v, text: l.trim(), rank: 5 });
      if (tool === 'nodejs' || tool === 'node') add({ runtime: 'node', file: f, line: i + 1, source: '.tool-versions', version: v, text: l.trim(), rank: 5 });
    });
  }
  for (const f of model.read('**/pyproject.toml')) {
    const doc = parseConfigDoc(f, model.text(f) ?? '');
    const v = obj(doc.value);
    const rp = obj(v?.project)?.['requires-python'];
    if (typeof rp === 'string' && rp.trim()) add({ runtime: 'python', file: f, line: keyLine(doc, ['project', 'requires-python']), source: 'requires-python', range: rp.trim(), text: rp, rank: 8 });
    const poetry = obj(obj(obj(v?.tool)?.poetry)?.dependencies)?.python;
    if (typeof poetry === 'string' && poetry.trim() && poetry !== '*') {
      const range = poetryRange(poetry.trim());
      if (range) add({ runtime: 'python', file: f, line: keyLine(doc, ['tool', 'poetry', 'dependencies', 'python']), source: 'tool.poetry python', range, text: poetry, rank: 8 });
    }
  }
  for (const f of model.read('**/Pipfile')) {
    const doc = parseConfigDoc(`${f}.toml`, model.text(f) ?? '');
    const req = obj(obj(doc.value)?.requires);
    const v = req?.python_full_version ?? req?.python_version;
    if (typeof v === 'string' && CONCRETE.test(v)) {
      const key = req?.python_full_version !== undefined ? 'python_full_version' : 'python_version';
      add({ runtime: 'python', file: f, line: keyLine(doc, ['requires', key]), source: 'Pipfile', version: v, text: v, rank: 6 });
    }
  }
  for (const f of model.read('**/package.json')) {
    const doc = parseConfigDoc(f, model.text(f) ?? '');
    const engines = obj(obj(doc.value)?.engines);
    if (typeof engines?.node === 'string' && engines.node.trim()) {
      add({ runtime: 'node', file: f, line: keyLine(doc, ['engines', 'node']), source: 'engines.node', range: engines.node.trim(), text: engines.node, rank: 8 });
    }
  }
  platformPins(model, add);
  for (const df of model.get(dockerfiles)) {
    if (isDevOnlyPath(df.file) || !df.final) continue;
    // `FROM base` names an earlier stage: the image comes from the root of that chain.
    const root = stageChain(df)[0] ?? df.final;
    const pin = imagePin(root.resolvedImage);
    if (pin) add({ runtime: pin.runtime, file: df.file, line: root.line, source: 'Dockerfile FROM', version: pin.version, text: root.resolvedImage, rank: 0 });
  }
  return out;
});

function platformPins(model: ProjectModel, add: (p: Omit<RuntimePin, 'dir'> & { dir?: string }) => void): void {
  for (const c of model.get(platformConfigs)) {
    const v = obj(c.doc.value);
    if (!v) continue;
    if (c.platform === 'nixpacks') {
      const pkgs = obj(obj(v.phases)?.setup)?.nixPkgs;
      if (Array.isArray(pkgs)) {
        for (const p of pkgs) {
          if (typeof p !== 'string') continue;
          const py = /^python(\d)(\d{1,2})(Full|Packages)?$/.exec(p);
          const node = /^nodejs[-_](\d+)(_x)?$/.exec(p);
          const line = keyLine(c.doc, ['phases', 'setup', 'nixPkgs']);
          if (py) add({ runtime: 'python', file: c.file, line, source: 'nixpacks nixPkgs', version: `${py[1]}.${py[2]}`, text: p, rank: 2 });
          if (node) add({ runtime: 'node', file: c.file, line, source: 'nixpacks nixPkgs', version: node[1]!, text: p, rank: 2 });
        }
      }
      const vars = obj(v.variables) ?? {};
      for (const [name, runtime] of [['NIXPACKS_PYTHON_VERSION', 'python'], ['NIXPACKS_NODE_VERSION', 'node']] as const) {
        const val = vars[name];
        if ((typeof val === 'string' || typeof val === 'number') && CONCRETE.test(String(val))) {
          add({ runtime, file: c.file, line: keyLine(c.doc, ['variables', name]), source: name, version: String(val), text: String(val), rank: 2 });
        }
      }
    } else if (c.platform === 'render') {
      const services = Array.isArray(v.services) ? v.services : [];
      services.forEach((sv, i) => {
        const s = obj(sv);
        const envVars = Array.isArray(s?.envVars) ? s!.envVars : [];
        const dir = typeof s?.rootDir === 'string' ? s.rootDir.replace(/^\.\/?|\/$/g, '') : dirOf(c.file);
        envVars.forEach((ev, j) => {
          const e = obj(ev);
          const val = e?.value;
          if ((typeof val !== 'string' && typeof val !== 'number') || !CONCRETE.test(String(val))) return;
          const runtime = e?.key === 'PYTHON_VERSION' ? 'python' : e?.key === 'NODE_VERSION' ? 'node' : undefined;
          if (runtime) add({ runtime, file: c.file, dir, line: keyLine(c.doc, ['services', i, 'envVars', j, 'value']), source: `render ${e!.key}`, version: String(val), text: String(val), rank: 3 });
        });
      });
    }
  }
}

/** `python:3.11-slim` → python 3.11; `node:18-alpine` → node 18; `tiangolo/uvicorn-gunicorn:python3.11` → python 3.11. */
export function imagePin(image: string): { runtime: Runtime; version: string } | undefined {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.slice(colon).includes('/')) return undefined;
  const name = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  const base = name.slice(name.lastIndexOf('/') + 1);
  const official = !name.includes('/') || name.startsWith('library/') || name.startsWith('docker.io/library/');
  if (official && (base === 'python' || base === 'pypy')) {
    const m = /^(\d+\.\d+(\.\d+)?)(?![\d.])/.exec(tag);
    return m && base === 'python' ? { runtime: 'python', version: m[1]! } : undefined;
  }
  if (official && base === 'node') {
    const m = /^(\d+(\.\d+){0,2})(?![\d.])/.exec(tag);
    return m ? { runtime: 'node', version: m[1]! } : undefined;
  }
  const py = /(?:^|[-_])python(\d\.\d+)(?![\d.])/.exec(tag);
  if (py && !/node/.test(tag)) return { runtime: 'python', version: py[1]! };
  return undefined;
}

/** Poetry's `^3.11` / `~3.11` / `>=3.10,<4.0` as a PEP 440 specifier. */
export function poetryRange(c: string): string | undefined {
  const m = /^([\^~])\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(c);
  if (!m) return /^[<>=!~]/.test(c) ? c : CONCRETE.test(c) ? `==${c}.*` : undefined;
  const [maj, min, pat] = [Number(m[2]), m[3] !== undefined ? Number(m[3]) : undefined, m[4]];
  const lower = [m[2], m[3], pat].filter((x) => x !== undefined).join('.');
  if (m[1] === '^') return maj > 0 ? `>=${lower},<${maj + 1}` : `>=${lower},<0.${(min ?? 0) + 1}`;
  return min !== undefined ? `>=${lower},<${maj}.${min + 1}` : `>=${lower},<${maj + 1}`;
}

function firstLine(model: ProjectModel, f: string): { text: string; line: number } {
  const lines = model.lines(f);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t && !t.startsWith('#')) return { text: t, line: i + 1 };
  }
  return { text: '', line: 1 };
}
