/**
 * The platform description files: where a PaaS (Railway, Nixpacks, Render, Fly, Heroku) reads
 * how to build and start the app, and the runtime pins each platform honours.
 */
export const RAILWAY_GLOBS = ['**/railway.json', '**/railway.toml'] as const;
export const NIXPACKS_GLOBS = ['**/nixpacks.toml', '**/nixpacks.json'] as const;
export const RENDER_GLOBS = ['**/render.yaml', '**/render.yml'] as const;
export const FLY_GLOBS = ['**/fly.toml', '**/fly.*.toml'] as const;
export const HEROKU_GLOBS = ['**/app.json', '**/heroku.yml'] as const;
/** Runtime pins: Heroku/Render `runtime.txt`, pyenv, nvm, asdf, package.json engines, requires-python. */
export const RUNTIME_GLOBS = [
  '**/runtime.txt',
  '**/.python-version',
  '**/.nvmrc',
  '**/.node-version',
  '**/.tool-versions',
  '**/package.json',
  '**/pyproject.toml',
  '**/Pipfile',
] as const;

/** Every file the platform model reads; checks that use it spread this into `files`. */
export const PLATFORM_FILES: readonly string[] = [
  ...RAILWAY_GLOBS,
  ...NIXPACKS_GLOBS,
  ...RENDER_GLOBS,
  ...FLY_GLOBS,
  ...HEROKU_GLOBS,
  ...RUNTIME_GLOBS,
];
