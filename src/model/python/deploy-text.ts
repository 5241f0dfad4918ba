import { DEPLOY_FILES, isDevOnlyPath } from '../deploy/index.js';
import { PLATFORM_FILES } from '../platform/files.js';
import { defineFacts, type ProjectModel } from '../project.js';

/**
 * The text of every file that can start or configure a deployed process (Dockerfiles, compose
 * files, Procfiles, scripts, platform files, Kubernetes/Helm manifests, supervisord and systemd
 * units), line by line, for lexical questions such as "does anything run `celery worker`?" or
 * "does the deploy run `alembic upgrade`?". Structured facts (deploy services, platform
 * commands) answer the common cases; this catches the long tail without guessing structure.
 */

/** Deploy descriptions outside the deploy and platform models. */
export const MANIFEST_GLOBS = [
  '**/{k8s,kube,kubernetes,deploy,deployment,deployments,helm,charts,manifests,infra,ops,.do,.aws,copilot}/**/*.{yml,yaml,json,tf,tfvars}',
  '**/*.tf',
  '**/values*.{yml,yaml}',
  '**/{app,serverless,template,cloudbuild,appspec,skaffold}.{yml,yaml}',
  '**/.platform.app.yaml',
  '**/zappa_settings.{json,yml,yaml}',
  '**/.github/workflows/*.{yml,yaml}',
  '**/.gitlab-ci.yml',
  '**/.ebextensions/*.config',
  '**/supervisord*.conf',
  '**/supervisor/**/*.conf',
  '**/*.service',
] as const;

export const DEPLOY_TEXT_GLOBS: readonly string[] = [...DEPLOY_FILES, ...PLATFORM_FILES, ...MANIFEST_GLOBS];

export interface DeployTextLine {
  file: string;
  line: number;
  text: string;
  /** A commented-out line (`#` or `//`). */
  comment: boolean;
  /** The file is for development or tests by its name. */
  devOnly: boolean;
}

const MAX_BYTES = 512 * 1024;

export const deployText = defineFacts('python-deploy-text', (model): DeployTextLine[] => {
  const files = new Set(DEPLOY_TEXT_GLOBS.flatMap((g) => model.read(g)));
  const out: DeployTextLine[] = [];
  for (const file of [...files].sort()) {
    if (/(^|\/)\.env[^/]*$|\.env$|dockerignore$|package\.json$|\.python-version$|\.nvmrc$|runtime\.txt$/.test(file)) continue;
    const text = model.text(file) ?? '';
    if (text.length > MAX_BYTES) continue;
    const devOnly = isDevOnlyPath(file);
    text.split(/\r?\n/).forEach((t, i) => {
      if (t.trim()) out.push({ file, line: i + 1, text: t, comment: /^\s*(#|\/\/)/.test(t), devOnly });
    });
  }
  return out;
});

/** Deploy lines matching `re`. */
export function findInDeploy(model: ProjectModel, re: RegExp): DeployTextLine[] {
  return model.get(deployText).filter((l) => re.test(l.text));
}
