import { defineCheck, type Report } from '../../src/engine/check.js';
import { COMPOSE_GLOBS, containerJoin, DOCKERFILE_GLOBS } from '../../src/model/deploy/index.js';
import { composeStacks, COMPOSE_USAGE_GLOBS, isDevService, isTestComposePath, storeOfService, type StackService, type StoreInfo } from '../../src/model/compose-extra.js';
import type { ProjectModel } from '../../src/model/project.js';

/** Stores whose loss on recreate is a deploy problem (caches and brokers are ephemeral by design). */
const PERSISTENT = new Set(['postgres', 'mysql', 'mongo', 'redis']);

function argvOf(s: StackService): string[] {
  const c = s.command;
  if (!c) return [];
  return c.form === 'list' ? c.argv : c.commands.flatMap((x) => x.argv);
}

/** Redis only persists by design when the command turns AOF or RDB snapshots on. */
function redisPersists(s: StackService): boolean {
  const argv = argvOf(s);
  return argv.some((a, i) => (a === '--appendonly' && argv[i + 1] === 'yes') || (a === '--save' && argv[i + 1] !== undefined && argv[i + 1] !== ''));
}

function isUnder(dir: string, ancestor: string): boolean {
  const a = ancestor.replace(/\/+$/, '') || '/';
  return dir === a || dir.startsWith(a === '/' ? '/' : a + '/');
}

function dataDirs(s: StackService, store: StoreInfo): string[] {
  if (store.dataDirEnv) {
    const v = s.environment.find((e) => e.name === store.dataDirEnv)?.value;
    if (v && !v.includes('$')) return [containerJoin('/', v)];
  }
  return store.dataDirs;
}

function mounted(s: StackService, dirs: string[]): boolean {
  return s.volumes.some((v) => {
    const t = v.target;
    if (!t || !t.startsWith('/')) return false;
    // an anonymous volume (no source) is what the image already does: gone with the container
    if (!v.source) return false;
    return dirs.some((d) => isUnder(d, containerJoin('/', t)));
  });
}

function report(model: ProjectModel, s: StackService, store: StoreInfo): Report | undefined {
  const dirs = dataDirs(s, store);
  if (mounted(s, dirs)) return undefined;
  if (s.tmpfs.some((t) => dirs.some((d) => isUnder(d, containerJoin('/', t))))) return undefined; // ephemeral on purpose
  const def = s.primary;
  if (isTestComposePath(def.file)) return undefined;
  const dev = isDevService(model, s);
  const vol = `${s.name.replace(/[^A-Za-z0-9_-]/g, '_')}_data`;
  const what = s.image?.value ?? s.build?.dockerfile ?? store.kind;
  return {
    file: def.file,
    line: def.image?.line ?? def.line,
    key: s.name,
    severity: dev ? 'low' : 'high',
    message:
      `Service \`${s.name}\` (${what}) keeps its ${store.kind} data in ${dirs[0]} but no named volume or bind mount covers it: ` +
      'the data lives in the container\'s anonymous volume, which `docker compose down`, `docker compose rm` or a move to another host throws away, and the next `up` starts with an empty database.' +
      (dev ? ' (A development compose file: losing local data is an annoyance, not an outage.)' : ''),
    fix: `Mount a named volume on the data directory:\n  ${s.name}:\n    volumes:\n      - ${vol}:${dirs[0]}\n\nvolumes:\n  ${vol}:\n(for a deliberately throw-away database, mount \`tmpfs: ${dirs[0]}\` so the intent is visible).`,
  };
}

export default defineCheck({
  id: 'compose/database-without-volume',
  title: 'Database service without a volume for its data',
  severity: 'high',
  files: [...COMPOSE_GLOBS, ...DOCKERFILE_GLOBS, ...COMPOSE_USAGE_GLOBS, '**/.env', '**/.env.*', '**/*.env'],
  docs:
    'A postgres, mysql/mariadb or mongo service (or redis started with `--appendonly yes` / `--save`) whose data ' +
    'directory (`/var/lib/postgresql/data`, or `PGDATA`; `/var/lib/mysql`; `/data/db`; `/data`; `/bitnami/...` for ' +
    'bitnami images) has no named volume or bind mount. The image stores it in an anonymous volume, so ' +
    '`docker compose down` and every move to a new host lose the database. Overlays and `extends` are merged ' +
    'before judging. Compose files for tests and CI (`docker-compose.test.yml`, `*ci*`, `.github/`) stay silent, ' +
    'since a throw-away database is what they want; development files (`*.dev.yml`, source mounts, `--reload`, ' +
    'dev profiles) are low. A `tmpfs` on the data directory marks a deliberately ephemeral database and is silent.',
  fix: 'Add a named volume on the data directory (`- pgdata:/var/lib/postgresql/data`) and declare it under the top-level `volumes:`.',
  effort: 5,
  example: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}',
  run(model) {
    const out: Report[] = [];
    for (const stack of model.get(composeStacks)) {
      for (const s of stack.services.values()) {
        if (s.incomplete || s.extendsBase) continue;
        const store = storeOfService(model, s);
        if (!store || !PERSISTENT.has(store.kind)) continue;
        if (store.kind === 'redis' && !redisPersists(s)) continue;
        const r = report(model, s, store);
        if (r) out.push(r);
      }
    }
    return out;
  },
});
