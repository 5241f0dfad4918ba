import { defineCheck, type Report } from '../../src/engine/check.js';
import { composeFiles } from '../../src/model/deploy/compose.js';
import { repoPathFor, stageChain } from '../../src/model/deploy/container-paths.js';
import { isDevCompose } from '../../src/model/deploy/dev-compose.js';
import { dockerfiles } from '../../src/model/deploy/dockerfile.js';
import { DEPLOY_FILES, isDevOnlyPath } from '../../src/model/deploy/files.js';
import { obj, platformConfigs, platformFacts } from '../../src/model/platform/configs.js';
import { PLATFORM_FILES } from '../../src/model/platform/files.js';
import { packageScript, programOf, pythonTarget, startPaths, type PythonTarget, type StartPath } from '../../src/model/platform/start-paths.js';
import { isKnownImport } from '../../src/model/python/distributions.js';
import { followName, offeredNames } from '../../src/model/python/imports.js';
import { MODULE_MAP_FILES, pythonModules, type ModuleTarget } from '../../src/model/python/modules.js';
import { isStdlib } from '../../src/model/python/stdlib.js';
import type { ProjectModel } from '../../src/model/project.js';
import { joinPath, type SimpleCommand } from '../../src/model/shell.js';

/** Build output: a start command may run it although git has none of it. */
const BUILD_DIRS = /^(dist|build|out|\.next|lib|target|\.output)(\/|$)/;

export default defineCheck({
  id: 'platform/start-target-missing',
  title: 'Start command runs a module, attribute, script or file that does not exist',
  severity: 'critical',
  files: [...new Set([...MODULE_MAP_FILES, ...DEPLOY_FILES, ...PLATFORM_FILES, '**/package.json'])],
  docs:
    'A start or release command (Procfile line, railway/nixpacks/render/fly/heroku.yml command, compose `command`, ' +
    'Dockerfile CMD) names something the repository does not have: `uvicorn app.main:app` where no `app/main.py` is ' +
    'importable from the folder the process starts in, a `module:attribute` whose module defines no such attribute, ' +
    '`celery -A` or `python -m` of a missing module, `npm start` without a start script or package.json, `node ' +
    'server.js`, `./start.sh` or `cd backend` for a file or folder that is not there. The process exits on its first ' +
    'start (`ModuleNotFoundError`, `Attribute "app" not found in module`, `Missing script: "start"`, `No such file`) and ' +
    'the platform restarts it in a loop. Python modules are resolved the way the deploy imports them (working directory, ' +
    '`--app-dir`/`--chdir`, the image WORKDIR), generously: anything importable from a plausible root is accepted.',
  fix: 'Point the command at the module, attribute or file that exists (or `cd` into the folder that holds it first).',
  effort: 10,
  example: 'web: uvicorn app.main:app --host 0.0.0.0 --port $PORT   # but the code is in backend/app/main.py',
  run(model) {
    const out: Report[] = [];
    const hasPython = model.listed('**/*.py').length > 0;
    for (const sp of model.get(startPaths)) {
      for (const c of sp.commands) {
        const r = checkCommand(model, sp, c, hasPython);
        if (!r) continue;
        out.push({ ...r, file: sp.file, line: sp.line, ...(sp.devOnly ? { severity: 'high' as const } : {}) });
        break; // the first failing step stops the start; later ones are not reached
      }
    }
    out.push(...imagesWithoutCommand(model));
    return out;
  },
});

/** Base images whose own default command is a REPL or shell that exits at once without a TTY. */
const NO_SERVER_CMD = /^(?:docker\.io\/)?(?:library\/)?(python|node|ruby|golang|alpine|debian|ubuntu|busybox|openjdk|eclipse-temurin|amazoncorretto|php|rust|bun|oven\/bun|denoland\/deno)(:|@|$)/;

/**
 * An image that is deployed (a production compose service, or a platform building the Dockerfile)
 * with no CMD/ENTRYPOINT of its own, no command where it is used, and a base image whose default
 * command is a REPL: the container starts `python3` or `node`, which exits, and restarts forever.
 */
function imagesWithoutCommand(model: ProjectModel): Report[] {
  const out: Report[] = [];
  const dfs = new Map(model.get(dockerfiles).map((d) => [d.file, d]));
  const uses: { file: string; line: number; dockerfile: string; what: string; key: string }[] = [];
  const dev = new Map(model.get(composeFiles).map((cf) => [cf.file, isDevCompose(cf)]));
  for (const cf of model.get(composeFiles)) {
    if (dev.get(cf.file)) continue;
    for (const s of cf.services) {
      if (!s.build || s.build.remote || s.command || s.entrypoint) continue;
      // A container meant to keep running: it serves ports, restarts or is health-checked. (A one-shot
      // build or asset container that just exits is a legitimate pattern.)
      const longRunning = s.ports.length > 0 || s.expose.length > 0 || s.restart !== undefined || s.healthcheck !== undefined;
      if (!longRunning) continue;
      uses.push({ file: cf.file, line: s.line, dockerfile: s.build.dockerfile, what: `compose service \`${s.name}\``, key: `image:${s.name}` });
    }
  }
  for (const c of model.get(platformConfigs)) {
    const cmds = model.get(platformFacts).commands.filter((x) => x.file === c.file && (x.role === 'web' || x.role === 'worker') && x.text);
    if (cmds.length) continue;
    if (c.platform !== 'fly' && c.platform !== 'railway') continue;
    const build = obj(obj(c.doc.value)?.build) ?? {};
    // Railway on Nixpacks/Railpack, Fly on a prebuilt image or buildpacks: no Dockerfile involved.
    if (typeof build.builder === 'string' && (c.platform === 'fly' || build.builder.toUpperCase() !== 'DOCKERFILE')) continue;
    if (typeof build.image === 'string') continue;
    const named = typeof build.dockerfile === 'string' ? build.dockerfile : typeof build.dockerfilePath === 'string' ? build.dockerfilePath : undefined;
    const df = named ? joinPath(c.dir, named) : defaultDockerfile(model, c.dir);
    if (df) uses.push({ file: c.file, line: 1, dockerfile: df, what: `${c.file}`, key: `image:${c.file}` });
  }
  for (const u of uses) {
    const df = dfs.get(u.dockerfile);
    if (!df?.final || df.start || isDevOnlyPath(df.file)) continue;
    const chain = stageChain(df);
    if (chain.some((st) => st.cmd || st.entrypoint)) continue;
    const base = chain[0]?.resolvedImage ?? '';
    const m = NO_SERVER_CMD.exec(base);
    if (!m) continue;
    out.push({
      file: u.file,
      line: u.line,
      key: u.key,
      severity: 'high',
      message: `${u.what} runs the image built from ${df.file}, which has no CMD or ENTRYPOINT, and sets no command itself: the container runs the \`${base}\` default (a ${m[1]} REPL or shell), which exits at once without a terminal, so the service restarts in a loop and never serves.`,
      fix: `Add the start command to ${df.file}, e.g. \`CMD ["gunicorn", "app.main:app", "--bind", "0.0.0.0:8000"]\`, or set \`command:\` where the image is used.`,
    });
  }
  return out;
}

function defaultDockerfile(model: ProjectModel, dir: string): string | undefined {
  const p = joinPath(dir, 'Dockerfile');
  return model.exists(p) ? p : undefined;
}

type Problem = Omit<Report, 'file' | 'line'>;

function describe(sp: StartPath): string {
  return `${sp.key} (\`${sp.text}\`)`;
}

function checkCommand(model: ProjectModel, sp: StartPath, c: SimpleCommand, hasPython: boolean): Problem | undefined {
  const inImage = sp.dockerfile !== undefined;
  const cwdKnown = !c.cwd.startsWith('/') && !c.cwd.includes('$');
  // In an image the cwd is a container path; its repo folder is the build context.
  const runDir = inImage || !cwdKnown ? sp.dir : joinPath(sp.dir, c.cwd);

  if (!inImage && cwdKnown && c.argv[0] === 'cd' && c.argv.length === 2) {
    const target = c.argv[1]!;
    if (/[$`~]/.test(target) || target.startsWith('/') || target === '-') return undefined;
    const dir = joinPath(runDir, target);
    if (dir === '' || model.dirExists(dir)) return undefined;
    return {
      key: `${sp.name}:cd:${dir}`,
      message: `${describe(sp)} changes into \`${target}\`, but there is no folder \`${dir}\` in the repository: the shell stops at \`cd\` and the ${sp.role} process never starts.`,
      fix: `Fix the folder name in the command, or drop the \`cd ${target} &&\` if the code is at \`${sp.dir || 'the repository root'}\`.`,
    };
  }

  const py = pythonTarget(c);
  if (py) return checkPython(model, sp, py, runDir, hasPython);

  if (inImage || !cwdKnown) return undefined;
  const script = packageScript(c);
  if (script) return checkScript(model, sp, script, runDir);
  return checkFile(model, sp, c, runDir);
}

function checkPython(model: ProjectModel, sp: StartPath, t: PythonTarget, runDir: string, hasPython: boolean): Problem | undefined {
  if (!hasPython || isStdlib(t.module)) return undefined;
  const where = t.appDir ? joinPath(runDir, t.appDir) : runDir;
  const whereName = where ? `\`${where}/\`` : 'the repository root';
  if (t.malformed) {
    return {
      key: `${sp.name}:${t.arg}:form`,
      message: `${describe(sp)}: ${t.malformed}. It exits with \`Error loading ASGI app. Import string "${t.arg}" must be in format "<module>:<attribute>"\`.`,
      fix: `Name the application object: \`${t.runner} ${t.module}:app\` (use the variable your module assigns the app to).`,
    };
  }
  const map = model.get(pythonModules);
  if (map.sysPathEdited) return undefined;
  const dirs = searchDirs(model, sp, where);
  const find = (dotted: string) => dirs.map((d) => lookup(model, d, dotted)).filter((x): x is ModuleTarget => x !== undefined);
  let targets = find(t.module);
  let attribute = t.attribute;
  if (targets.length === 0 && t.runner === 'celery' && t.module.includes('.') && !attribute) {
    // `celery -A proj.celery` is also the attribute `celery` of module `proj`.
    const parent = t.module.slice(0, t.module.lastIndexOf('.'));
    const parentTargets = find(parent);
    if (parentTargets.length) {
      targets = parentTargets;
      attribute = t.module.slice(t.module.lastIndexOf('.') + 1);
    }
  }
  const rel = t.module.split('.').join('/');
  if (targets.length === 0) {
    const top = t.module.split('.')[0]!;
    const elsewhere = model
      .listed(`**/${rel}{.py,/__init__.py}`)
      .concat(model.listed(`${rel}{.py,/__init__.py}`))
      .filter((p, i, a) => a.indexOf(p) === i);
    // A module whose package is nowhere in the repo may be installed (a dependency, `pip install .`).
    if (elsewhere.length === 0 && (!map.existsAnywhere(top) || isKnownImport(top))) return undefined;
    const expected = `${where ? `${where}/` : ''}${rel}.py`;
    if (elsewhere.length) {
      const found = elsewhere[0]!;
      const root = found.slice(0, found.length - (found.endsWith('__init__.py') ? `${rel}/__init__.py`.length : `${rel}.py`.length)).replace(/\/$/, '');
      const fixDir = relativeFrom(runDir, root);
      return {
        key: `${sp.name}:${t.module}:module`,
        message:
          `${describe(sp)} imports \`${t.module}\` from ${whereName}, but \`${expected}\` does not exist there; the module is ` +
          `\`${found}\`. The ${sp.role} process exits with \`ModuleNotFoundError: No module named '${top}'\`.`,
        fix: fixFor(sp, t, fixDir),
      };
    }
    return {
      key: `${sp.name}:${t.module}:module`,
      message:
        `${describe(sp)} imports \`${t.module}\`, but no such module is in the repository (expected \`${expected}\`) and ` +
        `it is not a known package: the ${sp.role} process exits with \`ModuleNotFoundError\` on every start.`,
      fix: `Change \`${t.arg}\` to the module that holds the ${t.runner === 'celery' ? 'Celery app' : t.runner === 'python -m' ? 'entry point' : 'application'}, or add \`${expected}\`.`,
    };
  }
  if (!attribute) return undefined;
  const results = targets.map((tg) => followName(model, tg, attribute!));
  if (results.some((r) => r.kind !== 'missing')) return undefined;
  const file = targets[0]!.path;
  const offered = offeredNames(model, targets[0]!).filter((n) => !n.startsWith('_'));
  const likely = offered.filter((n) => /^(app|application|api|server|create_app|celery|asgi|wsgi|get_app|make_app)$/i.test(n) || n.toLowerCase().includes('app'));
  const hint = likely.length ? ` It defines ${likely.slice(0, 4).map((n) => `\`${n}\``).join(', ')}.` : '';
  return {
    key: `${sp.name}:${t.module}:${attribute}`,
    message:
      `${describe(sp)} loads \`${attribute}\` from \`${t.module}\` (${file}), but that module defines no \`${attribute}\`` +
      `${t.defaultAttribute ? ' (gunicorn looks for `application` when no `:attribute` is given)' : ''}: the process exits with ` +
      `\`Attribute "${attribute}" not found in module "${t.module}"\`.${hint}`,
    fix: likely[0] ? `Use \`${t.module}:${likely[0]}\` in the command.` : `Define \`${attribute}\` in ${file}, or name the variable that holds the app: \`${t.module}:<name>\`.`,
  };
}

/**
 * Folders the process imports from: its working directory (and, generously, the folders above
 * it), PYTHONPATH and package-config roots, and for a container the roots the module map derived
 * from this very command (WORKDIR mapped back through COPY).
 */
function searchDirs(model: ProjectModel, sp: StartPath, where: string): string[] {
  const out: string[] = [];
  for (let d = where; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    out.push(d);
    if (d === '') break;
  }
  for (const r of model.get(pythonModules).roots) {
    // In an image, the roots found for this command or for the image's own CMD apply.
    const own = (r.file === sp.file && r.line === sp.line) || r.file === sp.dockerfile;
    if (r.via !== 'start-command' || (sp.dockerfile && own)) out.push(r.dir);
  }
  const df = sp.dockerfile ? model.get(dockerfiles).find((d) => d.file === sp.dockerfile) : undefined;
  const wd = df?.final ? repoPathFor(model, df, df.final.workdir) : undefined;
  if (wd !== undefined) out.push(wd);
  return [...new Set(out)];
}

/** Where `dotted` is found directly under `root`, as the module map would report it. */
function lookup(model: ProjectModel, root: string, dotted: string): ModuleTarget | undefined {
  const rel = joinPath(root, dotted.split('.').join('/'));
  if (model.exists(`${rel}.py`)) return { kind: 'module', path: `${rel}.py`, root };
  if (model.exists(`${rel}/__init__.py`)) return { kind: 'package', path: `${rel}/__init__.py`, root };
  if (model.exists(`${rel}.pyi`) || model.exists(`${rel}.pyx`) || model.listed(`${rel}.*.{so,pyd}`).length) return { kind: 'opaque', path: rel, root };
  if (model.dirExists(rel)) return { kind: 'namespace', path: rel, root };
  return undefined;
}

function fixFor(sp: StartPath, t: PythonTarget, dir: string): string {
  if (sp.dockerfile) return `Copy the code so that \`${t.module}\` is importable from the image's WORKDIR, or run the command from the folder that holds \`${t.module.split('.')[0]}\`.`;
  if (t.runner === 'uvicorn') return `Add \`--app-dir ${dir}\` to the command (or prefix it with \`cd ${dir} &&\`).`;
  if (t.runner === 'gunicorn') return `Add \`--chdir ${dir}\` to the command (or prefix it with \`cd ${dir} &&\`).`;
  return `Prefix the command with \`cd ${dir} &&\` so \`${t.module}\` is importable.`;
}

/** Path of `to` relative to `from` (both repo folders). */
function relativeFrom(from: string, to: string): string {
  const a = from ? from.split('/') : [];
  const b = to ? to.split('/') : [];
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  return [...up, ...b.slice(i)].join('/') || '.';
}

function checkScript(model: ProjectModel, sp: StartPath, s: { manager: string; script: string }, runDir: string): Problem | undefined {
  const pkgPath = joinPath(runDir, 'package.json');
  const run = s.script === 'start' || s.script === 'test' ? `${s.manager} ${s.script}` : `${s.manager} run ${s.script}`;
  if (!model.exists(pkgPath)) {
    return {
      key: `${sp.name}:package.json`,
      message: `${describe(sp)} runs \`${run}\` in ${runDir ? `\`${runDir}/\`` : 'the repository root'}, which has no package.json: ${s.manager} exits with \`ENOENT: no such file or directory, open '.../package.json'\`.`,
      fix: `Run it where the package is (\`cd <package folder> && ${run}\`), or use \`${s.manager} --prefix <folder> ${s.script === 'start' ? 'start' : `run ${s.script}`}\`.`,
    };
  }
  let scripts: Record<string, unknown> = {};
  try {
    const pkg = JSON.parse(model.text(pkgPath) ?? '') as { scripts?: Record<string, unknown> };
    scripts = pkg.scripts && typeof pkg.scripts === 'object' ? pkg.scripts : {};
  } catch {
    return undefined;
  }
  if (typeof scripts[s.script] === 'string') return undefined;
  // `npm start` with no start script runs `node server.js`.
  if (s.script === 'start' && s.manager === 'npm' && model.exists(joinPath(runDir, 'server.js'))) return undefined;
  const names = Object.keys(scripts);
  return {
    key: `${sp.name}:script:${s.script}`,
    message: `${describe(sp)} runs \`${run}\`, but ${pkgPath} has no \`${s.script}\` script${names.length ? ` (it has ${names.slice(0, 6).map((n) => `\`${n}\``).join(', ')})` : ''}: ${s.manager} exits with \`Missing script: "${s.script}"\`.`,
    fix: `Add \`"${s.script}": "node <entry file>"\` to the scripts of ${pkgPath}, or run one of the scripts it has.`,
  };
}

function checkFile(model: ProjectModel, sp: StartPath, c: SimpleCommand, runDir: string): Problem | undefined {
  const { prog, args } = programOf(c);
  const argv0 = c.argv[0] ?? '';
  let file: string | undefined;
  let exts: string[] = [''];
  if (argv0.startsWith('-')) return undefined;
  if ((argv0.startsWith('./') || argv0.includes('/')) && !argv0.startsWith('/')) file = argv0;
  else if (/^(ba|da|z)?sh$/.test(prog)) file = args.find((a) => !a.startsWith('-'));
  else if (/^(python|python3(\.\d+)?)$/.test(prog) && args[0] && !args[0].startsWith('-')) file = args[0];
  else if (prog === 'node' || prog === 'nodejs') {
    file = args.find((a) => !a.startsWith('-'));
    exts = ['', '.js', '.mjs', '.cjs', '/index.js'];
  }
  if (!file || /[$`*?{}]/.test(file) || file.startsWith('/')) return undefined;
  const path = joinPath(runDir, file);
  if (BUILD_DIRS.test(path.slice(runDir ? runDir.length + 1 : 0)) || /(^|\/)(node_modules|\.venv|venv)\//.test(path)) return undefined;
  if (exts.some((e) => model.exists(path + e) || (e === '' && model.dirExists(path)))) return undefined;
  return {
    key: `${sp.name}:file:${path}`,
    message: `${describe(sp)} runs \`${file}\`, but \`${path}\` is not in the repository: the ${sp.role} process fails with \`No such file or directory\` on every start.`,
    fix: `Commit \`${path}\`, or change the command to the file that starts the app.`,
  };
}
