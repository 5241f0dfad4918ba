import { satisfies, validRange, maxSatisfying, valid as validVersion } from '@renovatebot/pep440';
import { parse as parseToml } from 'smol-toml';
import { defineFacts, type ProjectModel } from '../project.js';
import { joinPath } from '../shell.js';
import { dockerfiles, dirOf } from '../deploy/index.js';
import { parseYaml } from '../yaml.js';
import { definePyExtractor, pyFacts } from './files.js';
import { iniSection } from './ini.js';
import type { PyNode } from './parse.js';
import { extraProvides, IMPLIED_EXTRAS, normaliseDist } from './distributions.js';

/**
 * Declared Python dependencies: requirements*.txt (with `-r`/`-c` includes, extras, markers,
 * editable and URL requirements), pyproject.toml (PEP 621, PEP 735 groups, Poetry, uv/PDM dev
 * groups), Pipfile, setup.cfg, a literal `install_requires` in setup.py, conda environment.yml and
 * `pip install` lines of Dockerfiles; pinned versions from lock files (poetry.lock, uv.lock,
 * pdm.lock, Pipfile.lock). Version specifiers are PEP 440 strings checked with
 * @renovatebot/pep440; Poetry's `^`/`~` constraints are translated.
 */

/** Files the dependency facts read; checks using them spread this into `files`. */
export const DEPENDENCY_FILES: readonly string[] = [
  '**/requirements*.{txt,in}',
  '**/requirements/*.{txt,in}',
  '**/*requirements.txt',
  '**/constraints*.txt',
  '**/pyproject.toml',
  '**/Pipfile',
  '**/Pipfile.lock',
  '**/setup.cfg',
  '**/setup.py',
  '**/poetry.lock',
  '**/uv.lock',
  '**/pdm.lock',
  '**/environment.{yml,yaml}',
  '**/conda.{yml,yaml}',
  '**/{Dockerfile,Containerfile,dockerfile}',
  '**/{Dockerfile,Containerfile,dockerfile}.*',
  '**/*.{Dockerfile,dockerfile}',
];

export type DepSource = 'requirements' | 'pep621' | 'poetry' | 'pipfile' | 'setup.cfg' | 'setup.py' | 'conda' | 'dockerfile';

export interface DeclaredDep {
  /** PEP 503 normalised name. */
  name: string;
  /** As written. */
  rawName: string;
  extras: string[];
  /** PEP 440 specifier ('' when unpinned). */
  specifier: string;
  marker?: string;
  file: string;
  line: number;
  source: DepSource;
  /** A dev/test group or an optional extra of the project. */
  optional: boolean;
  /** A URL, VCS or local path requirement (version unknown). */
  direct?: boolean;
}

export interface DependencyFacts {
  deps: DeclaredDep[];
  /** Files that declare dependencies. */
  manifests: string[];
  /**
   * Manifests the model could not read completely (setup.py computing install_requires, pyproject
   * with dynamic dependencies from an unknown place, a `-r` include that is missing): a rule
   * deciding that something is NOT declared should stay silent when this is non-empty.
   */
  uncertain: { file: string; reason: string }[];
  /** Exact versions from lock files (normalised name → version). */
  locked: Map<string, { version: string; file: string }>;
  /** Versions from `-c` constraint files. */
  constraints: DeclaredDep[];
}

// ---------------------------------------------------------------------------------------------
// PEP 508

export interface Requirement {
  name: string;
  extras: string[];
  specifier: string;
  marker?: string;
  url?: string;
}

/** Parses a PEP 508 requirement (`name[extra] (>=1,<2) ; marker`, `name @ url`); undefined if it is not one. */
export function parseRequirement(text: string): Requirement | undefined {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/.exec(text);
  if (!m) return undefined;
  const name = m[1]!;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  let rest = m[3]!.trim();
  let marker: string | undefined;
  let url: string | undefined;
  if (rest.startsWith('@')) {
    const semi = rest.search(/\s;/);
    url = (semi >= 0 ? rest.slice(1, semi) : rest.slice(1)).trim();
    if (semi >= 0) marker = rest.slice(semi + 2).trim();
    return { name, extras, specifier: '', url, ...(marker ? { marker } : {}) };
  }
  const semi = rest.indexOf(';');
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi).trim();
  }
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  const specifier = rest.replace(/\s+/g, '');
  if (specifier && !/^(===?|~=|!=|<=?|>=?)/.test(specifier)) return undefined;
  return { name, extras, specifier, ...(marker ? { marker } : {}) };
}

/** Translates a Poetry constraint (`^1.2`, `~1.2.3`, `1.2.*`, `*`, `>=1,<2`, `1.2`) to PEP 440. */
export function poetryToPep440(c: string): string {
  const parts = c.split(',').map((p) => p.trim()).filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    if (p === '*' || p === '') continue;
    const caret = /^\^\s*(\d+(?:\.\d+)*)/.exec(p);
    const tilde = /^~(?!=)\s*(\d+(?:\.\d+)*)/.exec(p);
    if (caret) {
      const v = caret[1]!.split('.').map(Number);
      const i = v.findIndex((x) => x !== 0);
      const idx = i < 0 ? v.length - 1 : i;
      const upper = v.slice(0, idx + 1);
      upper[idx] = upper[idx]! + 1;
      out.push(`>=${caret[1]}`, `<${upper.join('.')}`);
    } else if (tilde) {
      const v = tilde[1]!.split('.').map(Number);
      const upper = v.length === 1 ? [v[0]! + 1] : [v[0]!, v[1]! + 1];
      out.push(`>=${tilde[1]}`, `<${upper.join('.')}`);
    } else if (/^\d/.test(p)) out.push(`==${p}`);
    else out.push(p.replace(/\s+/g, ''));
  }
  return out.join(',');
}

// ---------------------------------------------------------------------------------------------
// requirements.txt

interface ReqCtx {
  model: ProjectModel;
  facts: DependencyFacts;
  visited: Set<string>;
}

function readRequirements(ctx: ReqCtx, file: string, constraint: boolean, depth = 0): void {
  if (ctx.visited.has(`${file}|${constraint}`) || depth > 8) return;
  ctx.visited.add(`${file}|${constraint}`);
  const text = ctx.model.text(file);
  if (text === undefined) {
    if (!ctx.model.exists(file)) ctx.facts.uncertain.push({ file, reason: 'included requirements file is missing' });
    return;
  }
  if (!constraint && !ctx.facts.manifests.includes(file)) ctx.facts.manifests.push(file);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let l = lines[i]!;
    while (l.endsWith('\\') && i + 1 < lines.length) l = l.slice(0, -1) + ' ' + lines[++i]!;
    l = l.replace(/(^|\s)#.*$/, '').trim();
    if (!l) continue;
    const opt = /^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)/.exec(l);
    if (opt) {
      const target = joinPath(dirOf(file), opt[2]!);
      readRequirements(ctx, target, constraint || opt[1] === '-c' || opt[1] === '--constraint', depth + 1);
      continue;
    }
    const editable = /^(-e|--editable)(?:\s+|=)(\S+)/.exec(l);
    const spec = editable ? editable[2]! : l;
    if (spec.startsWith('-')) continue; // --index-url, --hash-only lines, -f ...
    const clean = spec.replace(/\s+--\S+.*$/, ''); // trailing --hash=... options
    let req: Requirement | undefined;
    let direct = false;
    if (/^(git\+|hg\+|svn\+|bzr\+|https?:|file:)/.test(clean) || clean.startsWith('.') || clean.startsWith('/')) {
      const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(clean);
      direct = true;
      if (egg) req = { name: egg[1]!, extras: [], specifier: '' };
      else if (/\.(whl|tar\.gz|zip)$/.test(clean)) {
        const base = clean.slice(clean.lastIndexOf('/') + 1);
        const name = /^([A-Za-z0-9._]+?)-\d/.exec(base)?.[1];
        if (name) req = { name, extras: [], specifier: '' };
      }
      if (!req) continue; // a local path: the project or a sibling package, found by the module map
    } else req = parseRequirement(clean.replace(/\$\{[^}]*\}/g, ''));
    if (!req) {
      ctx.model.parseNotice(file, `line ${start + 1}: not a requirement: ${clean.slice(0, 60)}`);
      continue;
    }
    const dep: DeclaredDep = {
      name: normaliseDist(req.name),
      rawName: req.name,
      extras: req.extras,
      specifier: validRange(req.specifier) ? req.specifier : '',
      ...(req.marker ? { marker: req.marker } : {}),
      file,
      line: start + 1,
      source: 'requirements',
      optional: /(^|[/_.-])(dev|test|tests|testing|lint|docs|ci)([/_.-]|$)/i.test(file.slice(file.lastIndexOf('/') + 1)) || /(^|\/)(dev|test)\//.test(file),
      ...(direct || req.url ? { direct: true } : {}),
    };
    (constraint ? ctx.facts.constraints : ctx.facts.deps).push(dep);
  }
}

// ---------------------------------------------------------------------------------------------
// TOML manifests

function lineOfKey(text: string, key: string, from = 0): number {
  const idx = text.indexOf(key, from);
  if (idx < 0) return 1;
  let line = 1;
  for (let i = 0; i < idx; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function lineOfAny(text: string, needles: string[]): number {
  for (const n of needles) if (n && text.includes(n)) return lineOfKey(text, n);
  return 1;
}

function get(obj: unknown, ...keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function pushReq(facts: DependencyFacts, text: string, file: string, req: string, source: DepSource, optional: boolean): void {
  const r = parseRequirement(req);
  if (!r) return;
  facts.deps.push({
    name: normaliseDist(r.name),
    rawName: r.name,
    extras: r.extras,
    specifier: validRange(r.specifier) ? r.specifier : '',
    ...(r.marker ? { marker: r.marker } : {}),
    file,
    line: lineOfAny(text, [req, `"${r.name}`, `'${r.name}`, r.name]),
    source,
    optional,
    ...(r.url ? { direct: true } : {}),
  });
}

function readPyproject(model: ProjectModel, file: string, facts: DependencyFacts): void {
  const text = model.text(file) ?? '';
  let doc: unknown;
  try {
    doc = parseToml(text);
  } catch {
    facts.uncertain.push({ file, reason: 'pyproject.toml does not parse' });
    return;
  }
  const before = facts.deps.length;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  for (const r of list(get(doc, 'project', 'dependencies'))) pushReq(facts, text, file, r, 'pep621', false);
  const opt = get(doc, 'project', 'optional-dependencies');
  if (opt && typeof opt === 'object') for (const v of Object.values(opt)) for (const r of list(v)) pushReq(facts, text, file, r, 'pep621', true);
  const groups = get(doc, 'dependency-groups');
  if (groups && typeof groups === 'object') for (const v of Object.values(groups)) for (const r of list(v)) pushReq(facts, text, file, r, 'pep621', true);
  for (const r of list(get(doc, 'tool', 'uv', 'dev-dependencies'))) pushReq(facts, text, file, r, 'pep621', true);
  const pdm = get(doc, 'tool', 'pdm', 'dev-dependencies');
  if (pdm && typeof pdm === 'object') for (const v of Object.values(pdm)) for (const r of list(v)) pushReq(facts, text, file, r, 'pep621', true);

  const poetryTables: [unknown, boolean][] = [
    [get(doc, 'tool', 'poetry', 'dependencies'), false],
    [get(doc, 'tool', 'poetry', 'dev-dependencies'), true],
  ];
  const pgroups = get(doc, 'tool', 'poetry', 'group');
  if (pgroups && typeof pgroups === 'object') for (const g of Object.values(pgroups)) poetryTables.push([get(g, 'dependencies'), true]);
  for (const [table, optional] of poetryTables) {
    if (!table || typeof table !== 'object') continue;
    for (const [name, v] of Object.entries(table as Record<string, unknown>)) {
      if (name.toLowerCase() === 'python') continue;
      const entries = Array.isArray(v) ? v : [v];
      for (const e of entries) {
        let spec = '';
        let extras: string[] = [];
        let direct = false;
        let opt = optional;
        if (typeof e === 'string') spec = poetryToPep440(e);
        else if (e && typeof e === 'object') {
          const o = e as Record<string, unknown>;
          if (typeof o.version === 'string') spec = poetryToPep440(o.version);
          if (Array.isArray(o.extras)) extras = o.extras.filter((x): x is string => typeof x === 'string');
          if (o.path || o.git || o.url) direct = true;
          if (o.optional === true) opt = true;
        }
        facts.deps.push({
          name: normaliseDist(name),
          rawName: name,
          extras,
          specifier: validRange(spec) ? spec : '',
          file,
          line: lineOfKey(text, `\n${name}`) + 1,
          source: 'poetry',
          optional: opt,
          ...(direct ? { direct: true } : {}),
        });
      }
    }
  }
  const dynamic = list(get(doc, 'project', 'dynamic'));
  if (dynamic.includes('dependencies')) {
    const fromFile = get(doc, 'tool', 'setuptools', 'dynamic', 'dependencies', 'file');
    const files = typeof fromFile === 'string' ? [fromFile] : list(fromFile);
    if (files.length === 0) facts.uncertain.push({ file, reason: 'dependencies are dynamic' });
  }
  if (facts.deps.length > before && !facts.manifests.includes(file)) facts.manifests.push(file);
}

function readPipfile(model: ProjectModel, file: string, facts: DependencyFacts): void {
  const text = model.text(file) ?? '';
  let doc: unknown;
  try {
    doc = parseToml(text);
  } catch {
    facts.uncertain.push({ file, reason: 'Pipfile does not parse' });
    return;
  }
  facts.manifests.push(file);
  for (const [section, optional] of [['packages', false], ['dev-packages', true]] as const) {
    const t = get(doc, section);
    if (!t || typeof t !== 'object') continue;
    for (const [name, v] of Object.entries(t as Record<string, unknown>)) {
      let spec = '';
      let extras: string[] = [];
      if (typeof v === 'string') spec = v === '*' ? '' : v;
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.version === 'string' && o.version !== '*') spec = o.version;
        if (Array.isArray(o.extras)) extras = o.extras.filter((x): x is string => typeof x === 'string');
      }
      facts.deps.push({ name: normaliseDist(name), rawName: name, extras, specifier: validRange(spec) ? spec : '', file, line: lineOfKey(text, `\n${name}`) + 1, source: 'pipfile', optional });
    }
  }
}

function readSetupCfg(model: ProjectModel, file: string, facts: DependencyFacts): void {
  const text = model.text(file) ?? '';
  const opts = iniSection(text, 'options');
  const ir = opts.get('install_requires');
  if (ir !== undefined) {
    facts.manifests.push(file);
    if (ir.trim().startsWith('file:')) facts.uncertain.push({ file, reason: 'install_requires comes from a file' });
    for (const l of ir.split('\n')) if (l.trim()) pushReq(facts, text, file, l.trim(), 'setup.cfg', false);
  }
  for (const [, v] of iniSection(text, 'options.extras_require')) for (const l of v.split('\n')) if (l.trim()) pushReq(facts, text, file, l.trim(), 'setup.cfg', true);
}

function readLocks(model: ProjectModel, facts: DependencyFacts): void {
  for (const file of [...model.read('**/poetry.lock'), ...model.read('**/uv.lock'), ...model.read('**/pdm.lock')]) {
    try {
      const doc = parseToml(model.text(file) ?? '') as { package?: { name?: unknown; version?: unknown }[] };
      for (const p of doc.package ?? []) {
        if (typeof p.name === 'string' && typeof p.version === 'string') facts.locked.set(normaliseDist(p.name), { version: p.version, file });
      }
    } catch {
      model.parseNotice(file, 'lock file does not parse as TOML');
    }
  }
  for (const file of model.read('**/Pipfile.lock')) {
    try {
      const doc = JSON.parse(model.text(file) ?? '{}') as Record<string, Record<string, { version?: string }>>;
      for (const section of ['default', 'develop']) {
        for (const [name, v] of Object.entries(doc[section] ?? {})) {
          const ver = v.version?.replace(/^==/, '');
          if (ver) facts.locked.set(normaliseDist(name), { version: ver, file });
        }
      }
    } catch {
      model.parseNotice(file, 'Pipfile.lock is not valid JSON');
    }
  }
}

function readConda(model: ProjectModel, file: string, facts: DependencyFacts): void {
  const text = model.text(file) ?? '';
  const y = parseYaml(text);
  const deps = (y.value as { dependencies?: unknown } | undefined)?.dependencies;
  if (!Array.isArray(deps)) return;
  facts.manifests.push(file);
  for (const d of deps) {
    if (typeof d === 'string') {
      // conda specs: `numpy=1.26`, `python>=3.11`: names match PyPI for the usual packages
      const m = /^([A-Za-z0-9._-]+)\s*(?:([=<>!~]=?)\s*([^\s=]+))?/.exec(d);
      if (m && m[1] !== 'python' && m[1] !== 'pip') {
        const spec = m[2] && m[3] ? `${m[2] === '=' ? '==' : m[2]}${m[3]}${m[2] === '=' && !m[3].includes('*') ? '.*' : ''}` : '';
        facts.deps.push({ name: normaliseDist(m[1]!), rawName: m[1]!, extras: [], specifier: validRange(spec) ? spec : '', file, line: lineOfKey(text, d), source: 'conda', optional: false });
      }
    } else if (d && typeof d === 'object' && Array.isArray((d as { pip?: unknown }).pip)) {
      for (const r of (d as { pip: unknown[] }).pip) {
        if (typeof r !== 'string') continue;
        if (r.startsWith('-r')) readRequirements({ model, facts, visited: new Set() }, joinPath(dirOf(file), r.replace(/^-r\s*/, '')), false);
        else pushReq(facts, text, file, r, 'conda', false);
      }
    }
  }
}

/** `pip install` arguments of Dockerfile RUN lines. */
function readDockerfiles(model: ProjectModel, facts: DependencyFacts): void {
  for (const df of model.get(dockerfiles)) {
    for (const stage of df.stages) {
      for (const run of stage.runs) {
        for (const c of run.commands) {
          let a = c.argv;
          if (a[0] === 'uv' && a[1] === 'pip') a = a.slice(1);
          if (/^python[\d.]*$/.test(a[0] ?? '') && a[1] === '-m' && a[2] === 'pip') a = a.slice(2);
          if (!/^pip[\d.]*$/.test(a[0] ?? '') || a[1] !== 'install') continue;
          for (let i = 2; i < a.length; i++) {
            const x = a[i]!;
            if (x === '-r' || x === '--requirement' || x === '-c' || x === '--constraint' || x === '-e' || x === '--editable' || x === '-i' || x === '--index-url' || x === '--extra-index-url' || x === '-f' || x === '--find-links' || x === '-t' || x === '--target' || x === '--prefix' || x === '--root') {
              i++;
              continue;
            }
            if (x.startsWith('-') || x.startsWith('.') || x.startsWith('/') || x.includes('$') || /^(git\+|https?:)/.test(x)) continue;
            const r = parseRequirement(x);
            if (!r) continue;
            facts.deps.push({
              name: normaliseDist(r.name),
              rawName: r.name,
              extras: r.extras,
              specifier: validRange(r.specifier) ? r.specifier : '',
              file: df.file,
              line: run.line,
              source: 'dockerfile',
              optional: false,
            });
            if (!facts.manifests.includes(df.file)) facts.manifests.push(df.file);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// setup.py

interface SetupPy {
  /** Literal requirement strings of install_requires, with lines. */
  requires: { text: string; line: number }[];
  extras: { text: string; line: number }[];
  /** A setup() call exists whose install_requires is not a literal list. */
  dynamic: boolean;
  hasSetupCall: boolean;
}

function literalStrings(n: PyNode): { text: string; line: number }[] | undefined {
  if (n.type !== 'list' && n.type !== 'tuple') return undefined;
  const out: { text: string; line: number }[] = [];
  for (const c of n.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type !== 'string' || c.namedChildren.some((x) => x?.type === 'interpolation')) return undefined;
    out.push({ text: c.namedChildren.filter((x) => x?.type === 'string_content').map((x) => x!.text).join(''), line: c.startPosition.row + 1 });
  }
  return out;
}

/** Reads `setup(install_requires=[...], extras_require={...})` in setup.py files only. */
export const setupPyExtractor = definePyExtractor<SetupPy | undefined>('python-setup-py', (root, ctx) => {
  if (!ctx.path.endsWith('setup.py')) return undefined;
  const out: SetupPy = { requires: [], extras: [], dynamic: false, hasSetupCall: false };
  const visit = (n: PyNode, depth: number): void => {
    if (depth > 60) return;
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      if (name === 'setup') {
        out.hasSetupCall = true;
        for (const a of n.childForFieldName('arguments')?.namedChildren ?? []) {
          if (a?.type === 'dictionary_splat') out.dynamic = true;
          if (a?.type !== 'keyword_argument') continue;
          const k = a.childForFieldName('name')?.text;
          const v = a.childForFieldName('value');
          if (!v) continue;
          if (k === 'install_requires') {
            const l = literalStrings(v);
            if (l) out.requires.push(...l);
            else out.dynamic = true;
          } else if (k === 'extras_require' && v.type === 'dictionary') {
            for (const p of v.namedChildren) {
              const val = p?.childForFieldName('value');
              const l = val ? literalStrings(val) : undefined;
              if (l) out.extras.push(...l);
            }
          }
        }
      }
    }
    for (const c of n.namedChildren) if (c) visit(c, depth + 1);
  };
  visit(root, 0);
  return out;
});

// ---------------------------------------------------------------------------------------------

/** Every declared dependency of the project (memoised per scan). */
export const pythonDependencies = defineFacts('python-dependencies', (model): DependencyFacts => {
  const facts: DependencyFacts = { deps: [], manifests: [], uncertain: [], locked: new Map(), constraints: [] };
  const ctx: ReqCtx = { model, facts, visited: new Set() };
  const reqFiles = new Set([...model.read('**/requirements*.{txt,in}'), ...model.read('**/requirements/*.{txt,in}'), ...model.read('**/*requirements.txt')]);
  for (const f of [...reqFiles].sort()) readRequirements(ctx, f, false);
  for (const f of model.read('**/pyproject.toml')) readPyproject(model, f, facts);
  for (const f of model.read('**/Pipfile')) readPipfile(model, f, facts);
  for (const f of model.read('**/setup.cfg')) readSetupCfg(model, f, facts);
  for (const f of [...model.read('**/environment.{yml,yaml}'), ...model.read('**/conda.{yml,yaml}')]) readConda(model, f, facts);
  for (const [file, s] of pyFacts(model, setupPyExtractor)) {
    if (!s || !s.hasSetupCall) continue;
    const text = model.text(file) ?? '';
    facts.manifests.push(file);
    for (const r of s.requires) pushReq(facts, text, file, r.text, 'setup.py', false);
    for (const r of s.extras) pushReq(facts, text, file, r.text, 'setup.py', true);
    // setup.py reading requirements.txt is the common dynamic case; those files are read above
    if (s.dynamic && reqFiles.size === 0) facts.uncertain.push({ file, reason: 'install_requires is computed' });
  }
  readDockerfiles(model, facts);
  readLocks(model, facts);
  return facts;
});

/** Every distribution the project declares, plus what declared extras pull in (normalised). */
export function declaredNames(facts: DependencyFacts): Set<string> {
  const out = new Set<string>();
  for (const d of facts.deps) {
    out.add(d.name);
    const extras = [...d.extras];
    for (const implied of IMPLIED_EXTRAS[d.name] ?? []) {
      const v = likelyVersion(d.specifier, facts.locked.get(d.name)?.version);
      if (v && versionIn(v, implied.versions)) extras.push(implied.extra);
    }
    for (const e of extras) for (const p of extraProvides(d.name, e)) out.add(p);
  }
  for (const name of facts.locked.keys()) out.add(name);
  return out;
}

/**
 * The declarations of `dist` that apply to `file`: those in manifests of the file's folder or a
 * folder above it first (the nearest first), then the others.
 */
export function declarationsFor(facts: DependencyFacts, dist: string, file?: string): DeclaredDep[] {
  const n = normaliseDist(dist);
  const found = facts.deps.filter((d) => d.name === n);
  if (!file) return found;
  const depth = (d: DeclaredDep) => {
    const dir = dirOf(d.file);
    return dir === '' || file.startsWith(dir + '/') ? dir.length : -1;
  };
  return found.sort((a, b) => depth(b) - depth(a));
}

/** Big enough to stand for "the newest release" when probing a specifier. */
const FUTURE = '9999.0.0';

/**
 * The version pip would install for a specifier, as far as the specifier alone tells: an exact
 * pin gives that version; a range gives its highest bound candidate (pip picks the newest release
 * allowed); '' (unpinned) gives a far-future version. Candidates are the versions the specifier
 * mentions, just below/above them and far future.
 */
export function likelyVersion(specifier: string, locked?: string): string | undefined {
  if (locked && validVersion(locked)) return locked;
  if (!specifier) return FUTURE;
  const exact = /^===?\s*([^,*]+)$/.exec(specifier);
  if (exact && validVersion(exact[1]!)) return exact[1]!;
  const mentioned = [...specifier.matchAll(/(\d+(?:\.\d+)*)/g)].map((m) => m[1]!);
  const candidates = new Set<string>([FUTURE]);
  for (const v of mentioned) {
    const parts = v.split('.').map(Number);
    candidates.add(v);
    for (let i = 0; i < parts.length; i++) {
      const up = parts.slice(0, i + 1);
      up[i] = up[i]! + 1;
      candidates.add(up.join('.'));
      const p = [...parts];
      p[i] = p[i]! + 99;
      candidates.add(p.join('.'));
      if (parts[i]! > 0) {
        const dn = [...parts.slice(0, i + 1)];
        dn[i] = dn[i]! - 1;
        candidates.add([...dn, 999].join('.'));
      }
    }
    candidates.add([...parts, 999].join('.'));
  }
  try {
    return maxSatisfying([...candidates], specifier) ?? undefined;
  } catch {
    return undefined;
  }
}

/** True when `version` is inside a PEP 440 range (false on parse errors). */
export function versionIn(version: string, range: string): boolean {
  try {
    return satisfies(version, range);
  } catch {
    return false;
  }
}

export { FUTURE as FUTURE_VERSION };
