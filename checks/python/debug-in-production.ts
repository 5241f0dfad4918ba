import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { composeFiles, DEPLOY_FILES, deployServices, expandStart, isDevOnlyPath, type DeployService } from '../../src/model/deploy/index.js';
import { platformFacts } from '../../src/model/platform/configs.js';
import { PLATFORM_FILES } from '../../src/model/platform/files.js';
import { pyNames } from '../../src/model/python/bindings.js';
import { MODULE_MAP_FILES, pythonModules } from '../../src/model/python/modules.js';
import { isAuxiliaryPath } from '../../src/model/python/reach.js';
import { pySettingsFiles, settingsClasses, type DjangoSetting } from '../../src/model/python/settings.js';
import { pyWebFiles } from '../../src/model/python/web.js';
import type { ProjectModel } from '../../src/model/project.js';
import type { SimpleCommand } from '../../src/model/shell.js';

interface StartLine {
  file: string;
  line: number;
  text: string;
  commands: SimpleCommand[];
  env: { name: string; value?: string; file: string; line: number }[];
  what: string;
}

/** True when a compose service runs with its source bind-mounted (a live-reload dev setup). */
function mountsSource(s: DeployService): boolean {
  const ctx = s.context;
  if (ctx === undefined || !s.compose) return false;
  return s.compose.volumes.some((v) => !!v.source && /^\.{1,2}(\/|$)/.test(v.source));
}

/** Start commands of the production deploy: compose (not dev by name, no source mount), Dockerfiles, Procfiles, platform files. */
function productionStarts(model: ProjectModel): StartLine[] {
  const out: StartLine[] = [];
  for (const s of model.get(deployServices)) {
    if (s.devOnly || !s.startAt || (s.kind === 'compose' && mountsSource(s))) continue;
    if (s.kind === 'dockerfile' && s.builtByCompose && model.get(composeFiles).every((f) => isDevOnlyPath(f.file))) continue;
    const steps = expandStart(model, { file: s.startAt.file, line: s.startAt.line, ...(s.dockerfile ? { dockerfile: s.dockerfile } : {}), ...(s.context !== undefined ? { context: s.context } : {}), baseDir: s.context ?? '' }, s.start);
    out.push({ file: s.startAt.file, line: s.startAt.line, text: s.startAt.text, commands: steps, env: s.env, what: `${s.kind} service \`${s.name}\`` });
  }
  for (const c of model.get(platformFacts).commands) {
    if (c.role !== 'web' && c.role !== 'worker') continue;
    out.push({ file: c.file, line: c.line, text: c.text, commands: c.commands, env: [], what: `${c.platform} ${c.key}` });
  }
  return out;
}

function devFlag(argv: readonly string[], env: Record<string, string>): string | undefined {
  const prog = (argv[0] ?? '').split('/').pop() ?? '';
  const a = argv.slice(1);
  const isPython = /^python[\d.]*$/.test(prog);
  const mod = isPython && a[0] === '-m' ? a[1] : undefined;
  const runner = mod ?? prog;
  if (['uvicorn', 'gunicorn', 'hypercorn', 'granian'].includes(runner) && a.some((x) => x === '--reload' || x.startsWith('--reload='))) return `\`${runner} --reload\` restarts the server on file changes (a file watcher per worker, one process)`;
  if (runner === 'fastapi' && a.includes('dev')) return '`fastapi dev` runs uvicorn with auto-reload on localhost';
  if (runner === 'flask' && a.includes('run')) {
    const debug = a.includes('--debug') || /^(1|true)$/i.test(env.FLASK_DEBUG ?? '');
    return debug ? '`flask run --debug` starts the Werkzeug debugger, which executes Python code sent from the browser' : '`flask run` starts the Werkzeug development server, which is not meant for production';
  }
  if (isPython && a.includes('runserver') && a.some((x) => x.endsWith('manage.py'))) return '`manage.py runserver` is Django\'s development server (single-threaded, no security review, serves DEBUG pages)';
  return undefined;
}

/** The settings module production uses: DJANGO_SETTINGS_MODULE of the deploy env, else wsgi/asgi setdefault. */
function djangoSettingsFiles(model: ProjectModel): string[] {
  const modules = new Set<string>();
  for (const s of model.get(deployServices)) {
    if (s.devOnly) continue;
    for (const e of s.env) if (e.name === 'DJANGO_SETTINGS_MODULE' && e.value && !e.value.includes('$')) modules.add(e.value);
  }
  if (!modules.size) {
    for (const [file, f] of pySettingsFiles(model)) {
      if (!/(^|\/)(wsgi|asgi)\.py$/.test(file)) continue;
      for (const d of f.djangoSettingsModule) modules.add(d.value);
    }
  }
  const map = model.get(pythonModules);
  const files = new Set<string>();
  for (const m of modules) {
    for (const file of pySettingsFiles(model).keys()) {
      if (map.moduleNames(file).some((n) => n === m || n.endsWith(`.${m}`))) files.add(file);
    }
  }
  return [...files];
}

/** The last top-level DEBUG assignment, following `from .base import *` when the module itself does not set it. */
function effectiveDebug(model: ProjectModel, file: string, depth = 0): { setting: DjangoSetting; file: string } | undefined {
  const django = pySettingsFiles(model).get(file)?.django ?? [];
  const own = django.filter((d) => d.name === 'DEBUG').pop();
  const stars = pyNames(model).get(file)?.starImports ?? [];
  // A star import after the assignment may override it: the model does not know what it sets.
  if (own && stars.some((s) => s.line > own.line)) return undefined;
  if (own) return { setting: own, file };
  if (depth > 3) return undefined;
  for (const s of stars) {
    for (const t of model.get(pythonModules).resolveModule(file, s.module, s.level)) {
      if (t.kind !== 'module') continue;
      const r = effectiveDebug(model, t.path, depth + 1);
      if (r) return r;
    }
  }
  return undefined;
}

function corsOrigins(model: ProjectModel, expr: string | undefined): boolean {
  if (!expr) return false;
  // settings.CORS_ORIGINS whose default is "*" or ["*"]
  const attr = expr.split('.').pop() ?? '';
  for (const cls of model.get(settingsClasses)) {
    for (const f of cls.allFields) {
      if (f.name !== attr || f.defaultValue === undefined) continue;
      if (f.defaultValue === '*' || /^\["\*"\]$/.test(f.defaultValue)) return true;
    }
  }
  return false;
}

export default defineCheck({
  id: 'python/debug-in-production',
  title: 'Debug mode, auto-reload or wildcard credentialed CORS in production',
  severity: 'high',
  files: [...MODULE_MAP_FILES, ...DEPLOY_FILES, ...PLATFORM_FILES],
  docs:
    'Development switches on the path the production start command runs: `uvicorn --reload` / `gunicorn --reload` / ' +
    '`fastapi dev` / `flask run --debug` / `manage.py runserver` in a Dockerfile CMD, Procfile, platform start command ' +
    'or non-development compose service (entrypoint scripts followed); `uvicorn.run(..., reload=True)` or ' +
    '`app.run(debug=True)` in a file the deploy runs as a script (`python main.py`, `python -m app.main`); ' +
    '`FLASK_DEBUG=1` (or `FLASK_ENV=development`, deprecated in Flask 2.2 and ignored since 2.3) in a production service; Django `DEBUG = True` in the settings module wsgi/asgi or the deploy\'s ' +
    'DJANGO_SETTINGS_MODULE select (through `from .base import *`). The Werkzeug debugger runs arbitrary code from the ' +
    'browser, DEBUG pages leak settings and stack traces, and reload mode runs one watched process. Also ' +
    '`CORSMiddleware(allow_origins=["*"], allow_credentials=True)`: Starlette then echoes any Origin with credentials ' +
    'allowed, so every website can make authenticated requests as the logged-in user (Django: `CORS_ALLOW_ALL_ORIGINS` ' +
    'with `CORS_ALLOW_CREDENTIALS`). Compose files named for development or bind-mounting their source are not judged.',
  fix: 'Drop the development flag from the production command (`uvicorn app.main:app --host 0.0.0.0 --port $PORT --workers 2`, `gunicorn -k uvicorn.workers.UvicornWorker`), read DEBUG from the environment defaulting to False, and list the real frontend origins in `allow_origins`.',
  effort: 10,
  example: 'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--reload"]\n# or\napp.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)',
  run(model) {
    const out: Report[] = [];
    const seen = new Set<string>();
    const push = (r: Report): void => {
      const k = `${r.file}:${r.line}:${r.key}`;
      if (seen.has(k)) return;
      seen.add(k);
      out.push(r);
    };
    for (const s of productionStarts(model)) {
      for (const c of s.commands) {
        const why = devFlag(c.argv, c.env);
        if (!why) continue;
        const step = c as SimpleCommand & { file?: string; line?: number };
        push({
          file: step.file ?? s.file,
          line: step.line ?? s.line,
          key: `start:${c.argv.slice(0, 2).join(' ')}`,
          severity: 'high',
          message: `The production start command of ${s.what} (${s.file}:${s.line}: \`${s.text.slice(0, 100)}\`) runs a development server: ${why}.`,
          fix: 'Use the production form, e.g. `uvicorn app.main:app --host 0.0.0.0 --port ${PORT:-8000} --workers 2` or `gunicorn -w 2 -k uvicorn.workers.UvicornWorker app.main:app` (Flask: `gunicorn app:app`; Django: `gunicorn project.wsgi`).',
        });
      }
      for (const e of s.env) {
        if ((e.name === 'FLASK_DEBUG' && /^(1|true|yes)$/i.test(e.value ?? '')) || (e.name === 'FLASK_ENV' && e.value === 'development')) {
          push({ file: e.file, line: e.line, key: `env:${e.name}`, message: `${s.what} sets ${e.name}=${e.value} for production: Flask turns on the interactive debugger, which runs code sent from the browser.`, fix: `Remove ${e.name} from the production environment (or set it to 0).` });
        }
      }
    }
    // `python main.py` / `python -m app.main` run the file's __main__ block.
    for (const e of model.get(pythonModules).entrypoints) {
      if (e.devOnly || !/^python/.test(e.runner)) continue;
      for (const d of pyWebFiles(model).get(e.file)?.devServer ?? []) {
        push({
          file: e.file,
          line: d.line,
          key: `code:${d.kind}`,
          message: `${e.at.file}:${e.at.line} starts production with \`${e.at.text.slice(0, 80)}\`, which runs \`${d.text}\` (${e.file}:${d.line}): ${d.kind === 'uvicorn-reload' ? 'auto-reload mode, a file watcher and a single process' : 'the Werkzeug debugger, which executes code sent from the browser'}.`,
          fix: d.kind === 'uvicorn-reload' ? 'Drop `reload=True` (read it from an env var defaulting to False), or start with `uvicorn module:app` instead of running the file.' : 'Drop `debug=True` and start with `gunicorn module:app`.',
        });
      }
    }
    // CORS: any origin with credentials.
    for (const [file, f] of pyWebFiles(model)) {
      if (isAuxiliaryPath(file)) continue;
      for (const c of f.cors) {
        if (!c.credentials) continue;
        const any = c.origins === 'any' || c.anyRegex || (c.origins === 'expr' && corsOrigins(model, c.originsExpr));
        if (!any) continue;
        push({
          file,
          line: c.line,
          key: 'cors',
          message: `CORSMiddleware at ${file}:${c.line} allows any origin${c.origins === 'expr' ? ` (${c.originsExpr} defaults to "*")` : ''} together with allow_credentials=True: Starlette answers with the caller's Origin and Allow-Credentials, so any website can send the user's cookies and read the responses.`,
          fix: 'List the frontend origins explicitly: `allow_origins=["https://app.example.com"]` (from a CORS_ORIGINS setting split on commas), keeping allow_credentials=True only for those.',
        });
      }
    }
    // Django settings used by the deploy: only when every candidate module (deploy env, wsgi, asgi) ends up with DEBUG = True.
    const candidates = djangoSettingsFiles(model);
    const debugs = candidates.map((file) => ({ file, d: effectiveDebug(model, file) }));
    const allDebug = debugs.length > 0 && debugs.every((x) => x.d?.setting.value === true && !isDevOnlyPath(x.file));
    for (const { file, d } of allDebug ? debugs : []) {
      if (d && d.setting.value === true) {
        push({
          file: d.file,
          line: d.setting.line,
          key: 'DEBUG',
          message: `\`DEBUG = True\` in ${d.file}:${d.setting.line}, the settings module the deployed app loads${d.file !== file ? ` (through ${file})` : ''}: Django serves detailed error pages with settings and source to every visitor and keeps every SQL query in memory.`,
          fix: 'DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"',
        });
      }
    }
    for (const file of candidates) {
      const settings = pySettingsFiles(model).get(file)?.django ?? [];
      const allowAll = settings.find((s) => (s.name === 'CORS_ALLOW_ALL_ORIGINS' || s.name === 'CORS_ORIGIN_ALLOW_ALL') && s.value === true);
      const creds = settings.find((s) => s.name === 'CORS_ALLOW_CREDENTIALS' && s.value === true);
      if (allowAll && creds) {
        push({ file, line: allowAll.line, key: 'cors', message: `${allowAll.name} = True with CORS_ALLOW_CREDENTIALS = True (${file}:${creds.line}): django-cors-headers reflects any Origin with credentials, so any website can act as the logged-in user.`, fix: 'Set CORS_ALLOWED_ORIGINS = ["https://app.example.com"] and remove CORS_ALLOW_ALL_ORIGINS.' });
      }
    }
    return out.map((r) => ({ ...r, severity: r.severity ?? ('high' as Severity) }));
  },
});
