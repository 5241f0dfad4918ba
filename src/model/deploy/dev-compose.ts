import { joinPath } from '../shell.js';
import type { ComposeFile, ComposeService } from './compose.js';
import { isDevOnlyPath } from './files.js';

/** Start commands that only make sense on a developer machine. */
export function isDevServerCommand(argv: readonly string[]): boolean {
  const a = argv.join(' ');
  return (
    argv.includes('--reload') ||
    argv.includes('runserver') ||
    argv.includes('--debug') ||
    /(^|\/)(nodemon|ts-node-dev|tsx watch)\b/.test(a) ||
    /^(npm|yarn|pnpm|bun) (run )?(dev|start:dev|watch)\b/.test(a) ||
    /^flask run\b/.test(a) ||
    /^(next|vite|nuxt) dev\b/.test(a)
  );
}

/** True when the service bind-mounts its own source tree (live code reload): `.:/app`, `./backend:/code`. */
function mountsSource(cf: ComposeFile, svc: ComposeService): boolean {
  if (!svc.build) return false;
  return svc.volumes.some((v) => {
    if (!v.source || !/^\.{1,2}(\/|$)/.test(v.source)) return false;
    const src = joinPath(cf.dir, v.source);
    const ctx = svc.build!.context;
    return src === ctx || (src === '' ? true : ctx.startsWith(src + '/'));
  });
}

/**
 * A compose file meant for local development: named so (`docker-compose.dev.yml`,
 * `compose.override.yaml`, CI folders), or one whose app service runs a dev server or mounts its
 * own source tree. Rules about production secrets lower or drop their findings there.
 */
export function isDevCompose(cf: ComposeFile): boolean {
  if (isDevOnlyPath(cf.file)) return true;
  return cf.services.some((s) => mountsSource(cf, s) || [s.command, s.entrypoint].some((c) => c?.commands.some((x) => isDevServerCommand(x.argv))));
}
