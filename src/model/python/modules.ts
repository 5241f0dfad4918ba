import { parse as parseToml } from 'smol-toml';
import { defineFacts, type ProjectModel } from '../project.js';
import { joinPath, type SimpleCommand } from '../shell.js';
import { DEPLOY_FILES, deployServices, dirOf, repoPathFor, shellScripts, scriptCommands, type DeployService } from '../deploy/index.js';
import { containerJoin } from '../deploy/dockerfile.js';
import { pyImports } from './imports.js';
import { iniSection } from './ini.js';

/** Re-exported: other Python facts (migrations) read INI files through the module map's reader. */
export { iniSection };

/**
 * The module map: which files are importable under which dotted names, and from which folders
 * (import roots) the deployed process imports them.
 *
 * Roots are found the way the deploy finds them: the working directory of the start command
 * (Dockerfile WORKDIR mapped back through COPY, `cd backend` in a Procfile or start script,
 * `--app-dir`/`--chdir`/`--pythonpath`), PYTHONPATH, the package config (pyproject
 * setuptools/poetry/hatch, setup.cfg `package_dir`, pytest `pythonpath`) and a `src/` layout.
 * Resolution is deliberately generous: every ancestor folder of the importing file and the repo
 * root are searched too, so a healthy repo never gets an "unresolved import" because the model
 * guessed a root wrong.
 */

/** Files the module map reads besides the Python sources; checks using it spread this into `files`. */
export const MODULE_MAP_FILES: readonly string[] = [
  '**/*.py',
  '**/pyproject.toml',
  '**/setup.cfg',
  '**/pytest.ini',
  '**/tox.ini',
  ...DEPLOY_FILES,
];

/** A folder on sys.path of some process, and why the model thinks so. */
export interface ImportRoot {
  /** Repo-relative folder ('' = repo root). */
  dir: string;
  via: 'start-command' | 'pythonpath' | 'package-config' | 'pytest' | 'src-layout';
  /** Where the evidence is written. */
  file: string;
  line: number;
}

/** A module a start command runs: `uvicorn app.main:app`, `python -m worker`, `celery -A proj`. */
export interface EntryPoint {
  /** Dotted module (`app.main`); for a script, its dotted name under its own folder. */
  module: string;
  /** `app` in `app.main:app`, when given. */
  attribute?: string;
  /** The repo file that defines it. */
  file: string;
  /** The import root it is run from. */
  root: string;
  /** The program: uvicorn, gunicorn, python, celery... */
  runner: string;
  /** The deploy service (compose service, Dockerfile, Procfile process). */
  service: string;
  /** Where the start command is written. */
  at: { file: string; line: number; text: string };
  devOnly: boolean;
}

/** Where an import lands in the repository. */
export interface ModuleTarget {
  /**
   * 'module' = a .py file, 'package' = a folder with __init__.py (path is the __init__.py),
   * 'namespace' = a folder without __init__.py (path is the folder), 'opaque' = a stub, a
   * compiled extension or a Cython source whose names the model cannot list.
   */
  kind: 'module' | 'package' | 'namespace' | 'opaque';
  path: string;
  /** The import root it was found under. */
  root: string;
}

const COMPILED = /\.(cpython-[^.]+|abi3|cp\d+[^.]*|pypy[^.]*)?\.(so|pyd)$/;

/** The module map of a project; see the file comment. */
export class ModuleMap {
  /** Roots the deploy or the package config name (not the generous fallbacks). */
  readonly roots: ImportRoot[];
  readonly entrypoints: EntryPoint[];
  /** Some file edits sys.path at run time, so a module may come from any folder. */
  readonly sysPathEdited: boolean;
  private readonly model: ProjectModel;
  /** Base names of modules and of folders holding Python code, anywhere in the repo. */
  private readonly anywhere = new Map<string, string[]>();
  /** `dir/stem` of compiled extension modules and Cython sources. */
  private readonly opaque = new Set<string>();
  private readonly rootDirs: string[];
  /** Folders with a Python file somewhere below them. */
  private readonly pyDirs = new Set<string>();

  constructor(model: ProjectModel, roots: ImportRoot[], entrypoints: EntryPoint[], sysPathEdited: boolean) {
    this.model = model;
    this.roots = roots;
    this.entrypoints = entrypoints;
    this.sysPathEdited = sysPathEdited;
    this.rootDirs = [...new Set(roots.map((r) => r.dir))];
    for (const p of model.allPaths()) {
      const isPy = p.endsWith('.py') || p.endsWith('.pyi');
      const compiled = COMPILED.test(p) || p.endsWith('.pyx');
      if (!isPy && !compiled) continue;
      const dir = dirOf(p);
      const base = p.slice(dir ? dir.length + 1 : 0);
      const stem = base.slice(0, base.indexOf('.'));
      if (compiled) this.opaque.add(dir ? `${dir}/${stem}` : stem);
      if (stem !== '__init__') this.addAnywhere(stem, dir);
      for (let d = dir; d && !this.pyDirs.has(d); d = dirOf(d)) this.pyDirs.add(d);
      // every folder above a Python file can be a package or namespace package
      let d = dir;
      while (d) {
        const parent = dirOf(d);
        const name = d.slice(parent ? parent.length + 1 : 0);
        if (!this.addAnywhere(name, parent)) break;
        d = parent;
      }
    }
  }

  private addAnywhere(name: string, parent: string): boolean {
    const list = this.anywhere.get(name);
    if (!list) {
      this.anywhere.set(name, [parent]);
      return true;
    }
    if (list.includes(parent)) return false;
    list.push(parent);
    return true;
  }

  /**
   * The folders an absolute import in `file` is looked up in: the deploy and config roots first,
   * then the importing file's own folder and each folder above it up to the repo root.
   */
  searchRoots(file: string): string[] {
    const out = [...this.rootDirs];
    let d = dirOf(file);
    for (;;) {
      if (!out.includes(d)) out.push(d);
      if (d === '') break;
      d = dirOf(d);
    }
    return out;
  }

  /** Where `dotted` would be found directly under `root` (no parent checks). */
  private lookup(root: string, dotted: string): ModuleTarget | undefined {
    const rel = joinPath(root, dotted.split('.').join('/'));
    const m = this.model;
    if (m.exists(`${rel}.py`)) return { kind: 'module', path: `${rel}.py`, root };
    if (m.exists(`${rel}/__init__.py`)) return { kind: 'package', path: `${rel}/__init__.py`, root };
    if (this.opaque.has(rel) || m.exists(`${rel}.pyi`) || m.exists(`${rel}/__init__.pyi`)) return { kind: 'opaque', path: rel, root };
    if (m.dirExists(rel)) return { kind: 'namespace', path: rel, root };
    return undefined;
  }

  /**
   * Resolves an import written in `file` to the repo modules it may load, under every plausible
   * root (so the list may hold several targets). Empty when nothing in the repo matches.
   * `level` is the number of leading dots of a relative import.
   */
  resolveModule(file: string, module: string, level = 0): ModuleTarget[] {
    if (level > 0) {
      let pkg = dirOf(file);
      for (let i = 1; i < level; i++) {
        if (pkg === '') return [];
        pkg = dirOf(pkg);
      }
      if (!module) {
        const init = joinPath(pkg, '__init__.py');
        if (this.model.exists(init)) return [{ kind: 'package', path: init, root: pkg }];
        return pkg === '' || this.model.dirExists(pkg) ? [{ kind: 'namespace', path: pkg, root: pkg }] : [];
      }
      const t = this.lookup(pkg, module);
      return t ? [t] : [];
    }
    const out: ModuleTarget[] = [];
    for (const root of this.searchRoots(file)) {
      const t = this.lookup(root, module);
      if (t && !out.some((o) => o.path === t.path)) out.push(t);
    }
    return out;
  }

  /** The absolute dotted name of a relative import written in `file` (undefined past the top). */
  absoluteName(file: string, module: string, level: number): string | undefined {
    if (level === 0) return module;
    const names = this.moduleNames(file);
    const own = names[0];
    if (own === undefined) return undefined;
    const isPkg = file.endsWith('/__init__.py') || file === '__init__.py';
    const parts = own ? own.split('.') : [];
    const drop = isPkg ? level - 1 : level;
    if (drop > parts.length) return undefined;
    const base = parts.slice(0, parts.length - drop);
    return [...base, ...(module ? module.split('.') : [])].join('.');
  }

  /**
   * Dotted names `file` is importable as, longest-root first: under each known root that contains
   * it, and under the repo root. `backend/app/main.py` with root `backend` gives `app.main`.
   */
  moduleNames(file: string): string[] {
    const noExt = file.replace(/\.pyi?$/, '').replace(/\/__init__$/, '');
    const out: string[] = [];
    const roots = [...this.rootDirs].sort((a, b) => b.length - a.length);
    if (!roots.includes('')) roots.push('');
    for (const r of roots) {
      if (r && !noExt.startsWith(r + '/')) continue;
      const rest = r ? noExt.slice(r.length + 1) : noExt;
      const name = rest.split('/').join('.');
      if (/^[A-Za-z_][\w.]*$/.test(name) && !out.includes(name)) out.push(name);
    }
    return out;
  }

  /**
   * The dotted name `fromFile` would write to import `targetFile`: under the first of its search
   * roots (deploy roots, then its own folder and the folders above) that contains the target.
   * `importNameFor('backend/main.py', 'backend/api/auth.py')` is `api.auth` when no deploy root
   * says otherwise. Undefined when no root contains it (or the path is not a valid dotted name).
   */
  importNameFor(fromFile: string, targetFile: string): string | undefined {
    const noExt = targetFile.replace(/\.pyi?$/, '').replace(/\/__init__$/, '');
    for (const r of this.searchRoots(fromFile)) {
      if (r && !noExt.startsWith(r + '/')) continue;
      const name = (r ? noExt.slice(r.length + 1) : noExt).split('/').join('.');
      if (/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(name)) return name;
    }
    return undefined;
  }

  /**
   * True when a module or package called `top` exists anywhere in the repo (any folder), whether
   * or not a root reaches it: an import of it is then first-party even if the model cannot tell
   * how it gets on sys.path (editable installs, PYTHONPATH set outside the repo).
   */
  existsAnywhere(top: string): boolean {
    return this.anywhere.has(top);
  }

  /** True when a start command, PYTHONPATH or the package config puts `dir` on sys.path. */
  isExplicitRoot(dir: string): boolean {
    return this.rootDirs.includes(dir);
  }

  /** True when some Python file (.py, .pyi, compiled) lives under `dir`. */
  hasPythonUnder(dir: string): boolean {
    return dir === '' ? this.anywhere.size > 0 : this.pyDirs.has(dir);
  }

  /** Folders that hold a module or package called `top` (repo-relative parents). */
  foldersDefining(top: string): readonly string[] {
    return this.anywhere.get(top) ?? [];
  }
}

// ---------------------------------------------------------------------------------------------
// Roots from start commands

const ASGI_RUNNERS = new Set(['uvicorn', 'gunicorn', 'hypercorn', 'daphne', 'granian', 'waitress-serve', 'uwsgi']);

interface CommandTarget {
  runner: string;
  module?: string;
  attribute?: string;
  /** A script path, relative to the command's cwd. */
  script?: string;
  /** Extra folders the command puts on sys.path, relative to its cwd. */
  extraDirs: string[];
  /** A folder to run in instead of the cwd (`--chdir`). */
  chdir?: string;
}

function optionValue(argv: string[], names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const n of names) {
      if (a === n) return argv[i + 1];
      if (a.startsWith(n + '=')) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

const MODULE_SPEC = /^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)(?::([A-Za-z_][\w.]*)(?:\(.*\))?)?$/;

/** Options of the ASGI/WSGI servers that take a value (so the value is not the app spec). */
const VALUE_OPTIONS = new Set([
  '--host', '--port', '--workers', '-w', '--bind', '-b', '--worker-class', '-k', '--log-level', '--app-dir', '--chdir',
  '--pythonpath', '--env-file', '--timeout', '-t', '--threads', '--uds', '--fd', '--root-path', '--config', '-c', '--name',
  '--access-logfile', '--error-logfile', '--log-config', '--proxy-headers', '--forwarded-allow-ips', '--limit-concurrency',
  '--backlog', '--ssl-keyfile', '--ssl-certfile', '--graceful-timeout', '--keep-alive', '--max-requests',
  '--max-requests-jitter', '--worker-connections', '--interface', '-p', '--loop', '--http', '--ws', '--lifespan',
  '--reload-dir', '--user', '--group', '--umask', '--pid', '--capture-output', '--statsd-host', '--log-file', '--worker-tmp-dir',
  '-e', '--env', '--root-path', '--h11-max-incomplete-event-size', '--timeout-keep-alive', '--listen', '--call', '--factory',
]);

function commandTarget(argv: string[]): CommandTarget | undefined {
  let a = argv;
  // python -m uvicorn ..., python3.11 -m gunicorn ...
  const prog = (p: string) => p.split('/').pop() ?? p;
  if (a.length && /^python[\d.]*$/.test(prog(a[0]!))) {
    const rest = a.slice(1).filter((x) => !/^-[BOuEsSIX]+$/.test(x));
    if (rest[0] === '-m' && rest[1]) {
      if (ASGI_RUNNERS.has(rest[1]) || rest[1] === 'celery' || rest[1] === 'flask' || rest[1] === 'fastapi') a = [rest[1], ...rest.slice(2)];
      else {
        const m = MODULE_SPEC.exec(rest[1]);
        return m ? { runner: 'python -m', module: m[1]!, extraDirs: [] } : undefined;
      }
    } else if (rest[0] && rest[0].endsWith('.py')) return { runner: 'python', script: rest[0], extraDirs: [] };
    else return undefined;
  }
  if (!a.length) return undefined;
  const runner = prog(a[0]!);
  if (ASGI_RUNNERS.has(runner)) {
    const extraDirs: string[] = [];
    const appDir = optionValue(a, ['--app-dir']);
    if (appDir) extraDirs.push(appDir);
    const pp = optionValue(a, ['--pythonpath']);
    if (pp) extraDirs.push(...pp.split(','));
    const chdir = optionValue(a, ['--chdir']);
    for (let i = 1; i < a.length; i++) {
      const x = a[i]!;
      if (x.startsWith('-')) {
        if (VALUE_OPTIONS.has(x)) i++;
        continue;
      }
      if (runner === 'granian' || runner === 'uwsgi') {
        // granian takes the target as a positional after options; uwsgi uses --module
      }
      const m = MODULE_SPEC.exec(x);
      if (m) return { runner, module: m[1]!, attribute: m[2], extraDirs, chdir };
    }
    const mod = optionValue(a, ['--module', '--wsgi-file']);
    if (mod) {
      const m = MODULE_SPEC.exec(mod);
      if (m) return { runner, module: m[1]!, attribute: m[2], extraDirs, chdir };
    }
    return undefined;
  }
  if (runner === 'celery') {
    const app = optionValue(a, ['-A', '--app']);
    const m = app ? MODULE_SPEC.exec(app) : null;
    return m ? { runner, module: m[1]!, attribute: m[2], extraDirs: [] } : undefined;
  }
  if (runner === 'fastapi' && (a[1] === 'run' || a[1] === 'dev')) {
    const path = a.slice(2).find((x) => !x.startsWith('-'));
    return { runner, script: path ?? 'main.py', extraDirs: [] };
  }
  if (runner === 'flask') {
    const app = optionValue(a, ['--app', '-A']);
    const m = app ? MODULE_SPEC.exec(app) : null;
    return m ? { runner, module: m[1]!, attribute: m[2], extraDirs: [] } : undefined;
  }
  if (runner === 'streamlit' && a[1] === 'run' && a[2]) return { runner, script: a[2], extraDirs: [] };
  return undefined;
}

function scriptPathOf(argv: string[]): string | undefined {
  const a0 = argv[0];
  if (!a0) return undefined;
  if ((a0 === 'sh' || a0 === 'bash' || a0.endsWith('/sh') || a0.endsWith('/bash')) && argv[1] && !argv[1].startsWith('-')) return argv[1];
  if (/\.(sh|bash)$/.test(a0) || a0.includes('entrypoint') || a0.startsWith('./')) return a0;
  return undefined;
}

interface Located {
  cmd: SimpleCommand;
  /** Resolves a cwd-relative path to a repo path. */
  toRepo: (p: string) => string | undefined;
  service: DeployService;
  at: { file: string; line: number; text: string };
}

/** Every start command of every service, following start scripts one level deep. */
function startCommands(model: ProjectModel): Located[] {
  const out: Located[] = [];
  const scripts = model.get(shellScripts);
  for (const svc of model.get(deployServices)) {
    const df = svc.dockerfile;
    const workdir = df?.final?.workdir ?? '/';
    const toRepoFor = (cwd: string) => (p: string): string | undefined => {
      if (df) {
        const container = containerJoin(cwd.startsWith('/') ? cwd : containerJoin(workdir, cwd), p);
        return repoPathFor(model, df, container, svc.context ?? df.dir) ?? (model.dirExists(joinPath(svc.context ?? df.dir, p)) ? joinPath(svc.context ?? df.dir, p) : undefined);
      }
      if (svc.kind === 'procfile') return cwd.startsWith('/') ? undefined : joinPath(cwd, p);
      return cwd.startsWith('/') ? undefined : joinPath(joinPath(dirOf(svc.file), cwd), p);
    };
    const at = svc.startAt ?? { file: svc.file, line: svc.line, text: '' };
    for (const cmd of svc.start) {
      const toRepo = toRepoFor(cmd.cwd);
      out.push({ cmd, toRepo, service: svc, at });
      const script = scriptPathOf(cmd.argv);
      const scriptFile = script ? toRepo(script) : undefined;
      const lines = scriptFile ? scripts.get(scriptFile) : undefined;
      if (!scriptFile || !lines) continue;
      const scriptDir = dirOf(scriptFile);
      for (const sc of scriptCommands(lines)) {
        // parseScript starts relative cwds at the script's folder; a script run by a start
        // command runs in the command's cwd instead, unless it `cd`s somewhere absolute.
        const rel = sc.cwd === scriptDir ? '' : sc.cwd.startsWith(scriptDir + '/') ? sc.cwd.slice(scriptDir.length + 1) : sc.cwd;
        const cwd = rel.startsWith('/') ? rel : joinPath(cmd.cwd, rel);
        out.push({ cmd: sc, toRepo: toRepoFor(cwd), service: svc, at: { file: scriptFile, line: sc.line, text: sc.argv.join(' ') } });
      }
    }
  }
  return out;
}

function modulePath(dotted: string): string {
  return dotted.split('.').join('/');
}

function moduleFileUnder(model: ProjectModel, root: string, dotted: string): string | undefined {
  const rel = joinPath(root, modulePath(dotted));
  if (model.exists(`${rel}.py`)) return `${rel}.py`;
  if (model.exists(`${rel}/__init__.py`)) return `${rel}/__init__.py`;
  return undefined;
}

function fromStartCommands(model: ProjectModel, roots: ImportRoot[], entries: EntryPoint[]): void {
  for (const { cmd, toRepo, service, at } of startCommands(model)) {
    const t = commandTarget(cmd.argv);
    if (!t) continue;
    const base = t.chdir ? toRepo(t.chdir) : toRepo('.');
    const candidates = [base, ...t.extraDirs.map((d) => toRepo(d))].filter((d): d is string => d !== undefined);
    const addRoot = (dir: string) => {
      if (!roots.some((r) => r.dir === dir)) roots.push({ dir, via: 'start-command', file: at.file, line: at.line });
    };
    const addEntry = (module: string, file: string, root: string) => {
      entries.push({
        module,
        ...(t.attribute ? { attribute: t.attribute } : {}),
        file,
        root,
        runner: t.runner,
        service: service.name,
        at,
        devOnly: service.devOnly,
      });
    };
    if (t.module) {
      let found = false;
      for (const dir of candidates) {
        const file = moduleFileUnder(model, dir, t.module);
        if (file) {
          addRoot(dir);
          addEntry(t.module, file, dir);
          found = true;
          break;
        }
      }
      if (!found) {
        // The cwd could not be mapped (image-only service, unusual COPY): take every folder
        // under which the module exists.
        for (const p of model.listed(`**/${modulePath(t.module)}{.py,/__init__.py}`)) {
          const dir = p.replace(new RegExp(`/?${modulePath(t.module).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.py|/__init__\\.py)$`), '');
          addRoot(dir);
          addEntry(t.module, p, dir);
        }
      }
    } else if (t.script) {
      const file = toRepo(t.script);
      if (!file || !model.exists(file)) continue;
      // the script's own folder is sys.path[0]; `fastapi run` instead climbs out of packages
      let dir = dirOf(file);
      if (t.runner === 'fastapi') while (dir && model.exists(joinPath(dir, '__init__.py'))) dir = dirOf(dir);
      addRoot(dir);
      const rest = dir ? file.slice(dir.length + 1) : file;
      addEntry(rest.replace(/\.py$/, '').replace(/\/__init__$/, '').split('/').join('.'), file, dir);
    }
    // PYTHONPATH set on the command line or in the service environment
    const pp = [cmd.env.PYTHONPATH, ...service.env.filter((e) => e.name === 'PYTHONPATH').map((e) => e.value)];
    for (const v of pp) {
      for (const part of (v ?? '').split(':')) {
        if (!part || part.includes('$')) continue;
        const dir = toRepo(part);
        if (dir !== undefined && (dir === '' || model.dirExists(dir)) && !roots.some((r) => r.dir === dir)) {
          roots.push({ dir, via: 'pythonpath', file: at.file, line: at.line });
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Roots from package configuration

function asStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function get(obj: unknown, ...keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function fromPyproject(model: ProjectModel, file: string, roots: ImportRoot[]): void {
  let doc: unknown;
  try {
    doc = parseToml(model.text(file) ?? '');
  } catch (err) {
    model.parseNotice(file, `pyproject.toml does not parse: ${(err as Error).message}`);
    return;
  }
  const base = dirOf(file);
  const add = (rel: string, via: ImportRoot['via']) => {
    const dir = joinPath(base, rel);
    if ((dir === '' || model.dirExists(dir)) && !roots.some((r) => r.dir === dir)) roots.push({ dir, via, file, line: 1 });
  };
  for (const w of asStrings(get(doc, 'tool', 'setuptools', 'packages', 'find', 'where'))) add(w, 'package-config');
  const pkgDir = get(doc, 'tool', 'setuptools', 'package-dir');
  if (pkgDir && typeof pkgDir === 'object') {
    const v = (pkgDir as Record<string, unknown>)[''];
    if (typeof v === 'string') add(v, 'package-config');
  }
  const poetryPkgs = get(doc, 'tool', 'poetry', 'packages');
  if (Array.isArray(poetryPkgs)) {
    for (const p of poetryPkgs) {
      const from = get(p, 'from');
      add(typeof from === 'string' ? from : '', 'package-config');
    }
  }
  for (const p of asStrings(get(doc, 'tool', 'hatch', 'build', 'targets', 'wheel', 'packages'))) add(dirOf(p), 'package-config');
  for (const p of asStrings(get(doc, 'tool', 'pytest', 'ini_options', 'pythonpath'))) add(p, 'pytest');
  for (const p of asStrings(get(doc, 'tool', 'mypy', 'mypy_path'))) add(p, 'package-config');
}

function fromIni(model: ProjectModel, file: string, roots: ImportRoot[]): void {
  const text = model.text(file) ?? '';
  const base = dirOf(file);
  const add = (rel: string, via: ImportRoot['via']) => {
    const dir = joinPath(base, rel.trim());
    if ((dir === '' || model.dirExists(dir)) && !roots.some((r) => r.dir === dir)) roots.push({ dir, via, file, line: 1 });
  };
  if (file.endsWith('setup.cfg')) {
    const pd = iniSection(text, 'options').get('package_dir');
    for (const l of (pd ?? '').split('\n')) {
      const m = /^\s*=\s*(\S+)/.exec(l);
      if (m) add(m[1]!, 'package-config');
    }
    const w = iniSection(text, 'options.packages.find').get('where');
    if (w) add(w, 'package-config');
  }
  for (const section of ['pytest', 'tool:pytest']) {
    const pp = iniSection(text, section).get('pythonpath');
    for (const p of (pp ?? '').split(/\s+/).filter(Boolean)) add(p, 'pytest');
  }
}

function fromSrcLayout(model: ProjectModel, roots: ImportRoot[]): void {
  for (const init of model.listed('**/src/*/__init__.py')) {
    const dir = init.slice(0, init.lastIndexOf('/src/') + 4);
    if (!roots.some((r) => r.dir === dir)) roots.push({ dir, via: 'src-layout', file: init, line: 1 });
  }
  for (const init of model.listed('src/*/__init__.py')) {
    if (!roots.some((r) => r.dir === 'src')) roots.push({ dir: 'src', via: 'src-layout', file: init, line: 1 });
  }
}

/** The project's module map (memoised per scan). */
export const pythonModules = defineFacts('python-modules', (model): ModuleMap => {
  const roots: ImportRoot[] = [];
  const entries: EntryPoint[] = [];
  fromStartCommands(model, roots, entries);
  for (const f of model.read('**/pyproject.toml')) fromPyproject(model, f, roots);
  for (const f of [...model.read('**/setup.cfg'), ...model.read('**/pytest.ini'), ...model.read('**/tox.ini')]) fromIni(model, f, roots);
  fromSrcLayout(model, roots);
  let edited = false;
  for (const [, f] of pyImports(model)) if (f.editsSysPath) edited = true;
  return new ModuleMap(model, roots, entries, edited);
});
