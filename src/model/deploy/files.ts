import { globMatcher } from '../project.js';

/**
 * The file patterns the deploy model reads. A check that uses deploy facts spreads
 * `DEPLOY_FILES` (or the narrower lists) into its own `files`, so the engine reads them.
 */
export const DOCKERFILE_GLOBS = [
  '**/{Dockerfile,Containerfile,dockerfile}',
  '**/{Dockerfile,Containerfile,dockerfile}.*',
  '**/*.{Dockerfile,dockerfile,Containerfile}',
] as const;

export const COMPOSE_GLOBS = [
  '**/docker-compose*.{yml,yaml}',
  '**/compose.{yml,yaml}',
  '**/compose.*.{yml,yaml}',
  '**/compose-*.{yml,yaml}',
] as const;

export const ENV_FILE_GLOBS = ['**/.env', '**/.env.*', '**/*.env'] as const;

export const PROCFILE_GLOBS = ['**/Procfile', '**/Procfile.*'] as const;

export const DOCKERIGNORE_GLOBS = ['**/.dockerignore', '**/*.dockerignore'] as const;

/** Shell scripts a start command may run (entrypoints, start scripts). */
export const SCRIPT_GLOBS = ['**/*.sh', '**/*.bash', '**/docker-entrypoint*', '**/*entrypoint*', '**/start', '**/run'] as const;

export const DEPLOY_FILES: readonly string[] = [
  ...DOCKERFILE_GLOBS,
  ...COMPOSE_GLOBS,
  ...ENV_FILE_GLOBS,
  ...PROCFILE_GLOBS,
  ...DOCKERIGNORE_GLOBS,
  ...SCRIPT_GLOBS,
];

/** Suffixes that look like a Dockerfile name but are something else (docs, BuildKit ignore files, source and test files about Dockerfiles such as dockerfile.test.ts). */
const NOT_DOCKERFILE = /\.(md|txt|rst|dockerignore|bak|orig|swp|json|ya?ml|sh|[cm]?[jt]sx?|py|go|rs|rb|java|kt|php|cs|html|lock|snap|log)$/i;

export function isDockerfilePath(p: string): boolean {
  return DOCKERFILE_GLOBS.some((g) => globMatcher(g)(p)) && !NOT_DOCKERFILE.test(p);
}

export function isComposePath(p: string): boolean {
  return COMPOSE_GLOBS.some((g) => globMatcher(g)(p));
}

/** Names that match `.env.*` but are not env files: patches, docs, scripts, encrypted copies (safe to commit). */
const NOT_ENV_FILE = /\.(patch|diff|md|rst|txt|orig|bak|swp|sh|py|js|ts|json|ya?ml|toml|lock|gpg|age|enc|vault|asc|sops)$/i;

export function isEnvFilePath(p: string): boolean {
  return ENV_FILE_GLOBS.some((g) => globMatcher(g)(p)) && !NOT_ENV_FILE.test(p);
}

/** Directory part of a repo path ('' for the root). */
export function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Base name of a repo path. */
export function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * True for files meant for local development or tests only, judged by name: `docker-compose.dev.yml`,
 * `compose.test.yaml`, `Dockerfile.local`, anything under `.github/` or a `test(s)/` folder. Rules
 * use this to lower or drop findings that only matter in production.
 */
export function isDevOnlyPath(p: string): boolean {
  const lower = p.toLowerCase();
  if (/(^|\/)(\.github|\.gitlab|\.circleci|tests?|e2e|dev|fixtures?|contrib)\//.test(lower)) return true;
  if (/(^|\/)[^/]*(devcontainer|example|sample|demo-data)[^/]*\//.test(lower)) return true;
  const base = baseOf(lower);
  return /(^|[._-])(dev|develop|development|test|tests|testing|local|ci|e2e|debug|override|devcontainer)([._-]|$)/.test(base);
}
