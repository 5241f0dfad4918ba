import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { DEPLOY_FILES, deployServices, envFiles, isTemplateEnvFile } from '../../src/model/deploy/index.js';
import type { EnvRead } from '../../src/model/env-reads.js';
import { PLATFORM_FILES } from '../../src/model/platform/files.js';
import { MANIFEST_GLOBS } from '../../src/model/python/deploy-text.js';
import { isAuxiliaryPath } from '../../src/model/python/reach.js';
import { pythonEnvReads } from '../../src/model/python/settings.js';
import type { ProjectModel } from '../../src/model/project.js';

/** Deployment docs: a variable they list is documented (report 003 keeps its list in a markdown file). */
const DOC_GLOBS = ['**/{README,readme,Readme}*.md', '**/docs/**/*.md', '**/*{ENV,Env,env,DEPLOY,Deploy,deploy,CONFIG,Config,config,SETUP,Setup,setup,INSTALL,Install,install,VARIABLES,Variables,variables}*.md'] as const;

/** Set by the OS, the container runtime or the hosting platform: never something to document. */
const AMBIENT = /^(HOME|PATH|PWD|USER|USERNAME|HOSTNAME|SHELL|LANG|LC_[A-Z]+|TZ|TERM|TMPDIR|TEMP|TMP|PORT|PYTHON[A-Z_]*|VIRTUAL_ENV|CI|GITHUB_[A-Z_]+|GITLAB_[A-Z_]+|RAILWAY_[A-Z_]+|RENDER(_[A-Z_]+)?|IS_PULL_REQUEST|FLY_[A-Z_]+|HEROKU_[A-Z_]+|DYNO|SOURCE_VERSION|VERCEL(_[A-Z_]+)?|K_SERVICE|K_REVISION|K_CONFIGURATION|GAE_[A-Z_]+|GOOGLE_CLOUD_PROJECT|KUBERNETES_[A-Z_]+|AWS_LAMBDA_[A-Z_]+|AWS_EXECUTION_ENV|AWS_REGION|AWS_DEFAULT_REGION|LAMBDA_TASK_ROOT|WEBSITE_[A-Z_]+|PYTEST_[A-Z_]+|DJANGO_SETTINGS_MODULE|FLASK_APP|FLASK_ENV|WERKZEUG_[A-Z_]+|SERVER_SOFTWARE|GUNICORN_CMD_ARGS|WEB_CONCURRENCY|UVICORN_[A-Z_]+|CELERY_[A-Z_]+|DEBUG|TESTING)$/;

interface Provided {
  names: Set<string>;
  /** Upper-cased names, for pydantic's case-insensitive matching. */
  upper: Set<string>;
  manifests: string[];
}

function provided(model: ProjectModel): Provided {
  const names = new Set<string>();
  for (const f of model.get(envFiles)) for (const e of [...f.entries, ...f.commented]) names.add(e.name);
  for (const s of model.get(deployServices)) for (const e of s.env) names.add(e.name);
  const manifests = [...new Set([...MANIFEST_GLOBS, ...PLATFORM_FILES, ...DOC_GLOBS].flatMap((g) => model.read(g)))];
  return { names, upper: new Set([...names].map((n) => n.toUpperCase())), manifests };
}

function mentioned(model: ProjectModel, p: Provided, name: string): boolean {
  if (p.names.has(name) || p.upper.has(name.toUpperCase())) return true;
  const word = new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[^A-Za-z0-9_]/g, '')}([^A-Za-z0-9_]|$)`, 'i');
  return p.manifests.some((f) => word.test(model.text(f) ?? ''));
}

/** How the read fails when the variable is missing. */
function severityOf(r: EnvRead): { severity: Severity; effect: string } | undefined {
  const settingsField = r.via.includes('.') && !r.via.startsWith('os.') && r.via !== 'decouple.config' && r.via !== 'environ.Env';
  if (!r.hasDefault) {
    if (settingsField) return { severity: 'critical', effect: `\`${r.via.split('.')[0]}()\` raises a pydantic ValidationError ("Field required"), so the app does not start` };
    if (r.via === 'os.environ[]') return { severity: 'critical', effect: '`os.environ[...]` raises KeyError' };
    if (r.via === 'decouple.config') return { severity: 'critical', effect: 'python-decouple raises UndefinedValueError' };
    if (r.via === 'environ.Env') return { severity: 'critical', effect: 'django-environ raises ImproperlyConfigured' };
    return { severity: 'low', effect: `\`${r.via}\` returns None and the code runs without it` };
  }
  if (r.guarded) return { severity: 'high', effect: 'its code default is refused by a validator, so the app does not start' };
  return undefined;
}

function templateFor(model: ProjectModel, root: string): string {
  const templates = model.get(envFiles).filter((f) => isTemplateEnvFile(f.file));
  const near = templates.filter((t) => root === t.dir || root.startsWith(t.dir ? `${t.dir}/` : '')).sort((a, b) => b.dir.length - a.dir.length)[0];
  return near?.file ?? (root ? `${root}/.env.example` : '.env.example');
}

export default defineCheck({
  id: 'python/settings-not-provided',
  title: 'Setting the code requires that no env file or deploy config provides',
  severity: 'high',
  files: ['**/*.py', ...DEPLOY_FILES, ...PLATFORM_FILES, ...MANIFEST_GLOBS, ...DOC_GLOBS],
  docs:
    'A variable the Python code requires (a pydantic `BaseSettings` field without default, `os.environ["X"]`, ' +
    'python-decouple `config("X")` or django-environ `env("X")` without default; names derived with `env_prefix`, ' +
    '`alias`/`validation_alias` and pydantic\'s case-insensitivity; `Field(env=...)` counts for pydantic 1 only, pydantic-settings 2.0 ignores it) that appears in no env file (`.env.example`, ' +
    '`.env.production`...), in no Dockerfile `ENV`, Procfile or compose entry, in no platform or Kubernetes ' +
    'manifest, and in no README or deployment doc. Whoever deploys has no way to learn it exists until the app crashes at start: critical for reads that ' +
    'raise, high when a validator refuses the code default, low for `os.getenv` without default (often an optional integration). ' +
    'One report per variable: services built by a compose file are compose/env-not-passed\'s (it reports, per service, ' +
    'every variable the compose service does not pass, whether or not .env.example documents it), so this rule judges ' +
    'only code deployed without compose (Procfile, Railway, Render, Fly, a bare Dockerfile, Kubernetes) and reports ' +
    'the variable once, at the line that reads it. Variables with a usable code default are not reported here (an ' +
    'insecure placeholder default is env/insecure-default-secret\'s). Tests, scripts and docs are not deployed code.',
  fix: 'Document the variable in .env.example (`NAME=` with a comment) and set it where the app is deployed (platform variables, Dockerfile ENV for non-secrets, the Kubernetes manifest).',
  effort: 10,
  example: '# app/config.py\nclass Settings(BaseSettings):\n    encryption_key: str   # no default\n# .env.example and railway.json never mention ENCRYPTION_KEY',
  run(model) {
    const services = model.get(deployServices);
    const templates = model.get(envFiles);
    const p = provided(model);
    // Without any env file or deploy description there is nothing to check against (a library, a script).
    if (!services.length && !templates.length && !p.manifests.length) return [];
    const composeContexts = services.filter((s) => s.kind === 'compose' && s.context !== undefined).map((s) => s.context!);
    const byName = new Map<string, { read: EnvRead; severity: Severity; effect: string }>();
    for (const r of model.get(pythonEnvReads)) {
      if (isAuxiliaryPath(r.file) || AMBIENT.test(r.name.toUpperCase())) continue;
      if (composeContexts.some((c) => c === '' || r.file.startsWith(`${c}/`))) continue;
      const s = severityOf(r);
      if (!s) continue;
      const prev = byName.get(r.name.toUpperCase());
      if (prev && (prev.severity === 'critical' || s.severity !== 'critical')) continue;
      byName.set(r.name.toUpperCase(), { read: r, ...s });
    }
    const out: Report[] = [];
    for (const { read: r, severity, effect } of byName.values()) {
      if (mentioned(model, p, r.name)) continue;
      const template = templateFor(model, r.root);
      out.push({
        file: r.file,
        line: r.line,
        key: r.name,
        severity,
        message:
          `\`${r.name}\` is read at ${r.file}:${r.line} (${r.via}${r.hasDefault ? '' : ', no default'}) but no env file, deploy config or platform manifest provides or documents it: ` +
          `on a fresh deploy ${effect}, and nothing tells whoever deploys that the variable exists.`,
        fix: `Add \`${r.name}=\` to ${template} with a comment saying what it is, and set ${r.name} in the deploy environment (the platform's variables, or the manifest that starts this service).`,
        effort: 10,
      });
    }
    return out;
  },
});
