import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { DEPENDENCY_FILES, pythonDependencies, type DeclaredDep } from '../../src/model/python/deps.js';
import { DEPLOY_TEXT_GLOBS, deployText, findInDeploy } from '../../src/model/python/deploy-text.js';
import { resolvedImports } from '../../src/model/python/imports.js';
import { MODULE_MAP_FILES } from '../../src/model/python/modules.js';
import { isAuxiliaryPath } from '../../src/model/python/reach.js';
import type { ProjectModel } from '../../src/model/project.js';

/**
 * Infrastructure packages that do nothing unless the code or the deploy sets them up: task
 * queues need an app and a worker process, schedulers need jobs. Alembic is left to
 * python/migrations-not-initialized, which says more about it.
 */
interface Infra {
  /** Distribution names (normalised). */
  dists: string[];
  /** Import names that count as using it. */
  imports: string[];
  /** A deploy command that runs it. */
  runs?: RegExp;
  what: string;
  setup: string;
  severity: Severity;
}

const INFRA: Infra[] = [
  {
    dists: ['celery'],
    imports: ['celery'],
    runs: /\bcelery\b/,
    what: 'background jobs and scheduled tasks never run',
    setup: 'create the app and tasks (`celery_app = Celery("app", broker=os.environ["REDIS_URL"])` in app/worker.py, `@celery_app.task` functions), then run `celery -A app.worker worker --loglevel=info` as its own process (a compose service or a Procfile `worker:` line)',
    severity: 'high',
  },
  { dists: ['rq'], imports: ['rq'], runs: /\brq\s+worker\b/, what: 'queued jobs never run', setup: 'enqueue jobs with `Queue(connection=Redis.from_url(...))` and run `rq worker` as its own process', severity: 'high' },
  { dists: ['dramatiq'], imports: ['dramatiq'], runs: /\bdramatiq\b/, what: 'actors never run', setup: 'define `@dramatiq.actor` functions and run `dramatiq app.tasks` as its own process', severity: 'high' },
  { dists: ['huey'], imports: ['huey'], runs: /\bhuey_consumer\b/, what: 'tasks never run', setup: 'create `huey = RedisHuey(...)` with `@huey.task()` functions and run `huey_consumer app.huey`', severity: 'high' },
  { dists: ['arq'], imports: ['arq'], runs: /\barq\b/, what: 'jobs never run', setup: 'define `WorkerSettings` with functions and run `arq app.worker.WorkerSettings`', severity: 'high' },
  { dists: ['taskiq'], imports: ['taskiq'], runs: /\btaskiq\s+worker\b/, what: 'tasks never run', setup: 'create a broker with tasks and run `taskiq worker app.broker:broker`', severity: 'high' },
  { dists: ['apscheduler'], imports: ['apscheduler'], what: 'scheduled jobs never run', setup: 'create a scheduler, add jobs and start it from the app\'s startup (or remove the dependency)', severity: 'medium' },
  { dists: ['django-celery-beat'], imports: ['django_celery_beat'], what: 'periodic tasks are never scheduled', setup: 'add "django_celery_beat" to INSTALLED_APPS, migrate, and run `celery -A proj beat -S django`', severity: 'medium' },
];

const WORKER = /\bcelery\b[^\n]*\bworker\b|\bworker\b[^\n]*\bcelery\b/;

function importedTops(model: ProjectModel): Map<string, { file: string; line: number }> {
  const out = new Map<string, { file: string; line: number }>();
  for (const [file, imps] of model.get(resolvedImports)) {
    for (const i of imps) {
      if (i.origin === 'local') continue;
      if (!out.has(i.top)) out.set(i.top, { file, line: i.line });
    }
  }
  return out;
}

/** Text of all Python sources (for `INSTALLED_APPS` strings and such). */
function mentionedInPython(model: ProjectModel, word: string): boolean {
  const re = new RegExp(`["']${word}["']`);
  return model.read('**/*.py').some((f) => re.test(model.text(f) ?? ''));
}

function pin(d: DeclaredDep): string {
  return `${d.rawName}${d.specifier}`;
}

export default defineCheck({
  id: 'python/unused-infra-dependency',
  title: 'Task queue or scheduler declared but never set up',
  severity: 'high',
  files: [...MODULE_MAP_FILES, ...DEPENDENCY_FILES, ...DEPLOY_TEXT_GLOBS],
  docs:
    'A task queue or scheduler (Celery, RQ, Dramatiq, Huey, arq, taskiq, APScheduler, django-celery-beat) is in the ' +
    'dependencies but no code imports it, so there is no app, no task and no worker: whatever the team expects to run ' +
    'in the background (emails, alerts, expiries) silently never happens. Also a Celery app that the code does define ' +
    'while no deploy file (Dockerfile, compose, Procfile, platform or Kubernetes manifest, supervisord) starts a ' +
    '`celery worker`: `.delay()` calls queue forever. A worker that is only commented out in compose is named in the ' +
    'message. Alembic is judged by python/migrations-not-initialized; dev-only and optional dependency groups are ' +
    'not judged.',
  fix: 'Either set it up (an app module, tasks, and a worker process in the deploy) or remove the dependency so nobody relies on background work that does not exist.',
  effort: 180,
  example: '# requirements.txt\ncelery==5.3.6\n# no `from celery import Celery` anywhere; the compose worker is commented out',
  run(model) {
    const deps = model.get(pythonDependencies);
    if (deps.uncertain.length && !deps.deps.length) return [];
    const imported = importedTops(model);
    const hasDeploy = model.get(deployText).some((l) => !l.comment);
    const out: Report[] = [];
    for (const infra of INFRA) {
      const d = deps.deps.find((x) => infra.dists.includes(x.name) && !x.optional && x.source !== 'dockerfile' && !isAuxiliaryPath(x.file));
      if (!d) continue;
      const usedBy = infra.imports.map((i) => imported.get(i)).find((x) => x && !isAuxiliaryPath(x.file));
      const runs = infra.runs ? findInDeploy(model, infra.runs).filter((l) => !l.comment) : [];
      const commented = infra.runs ? findInDeploy(model, infra.runs).filter((l) => l.comment) : [];
      if (infra.dists[0] === 'django-celery-beat' && mentionedInPython(model, 'django_celery_beat')) continue;
      if (!usedBy && !runs.length) {
        out.push({
          file: d.file,
          line: d.line,
          key: d.name,
          severity: infra.severity,
          message:
            `\`${pin(d)}\` is declared (${d.file}:${d.line}) but no code imports ${infra.imports[0]} and no deploy file runs it: ${infra.what}.` +
            (commented.length ? ` The process is commented out at ${commented[0]!.file}:${commented[0]!.line} (\`${commented[0]!.text.trim().slice(0, 60)}\`).` : ''),
          fix: `To use it, ${infra.setup}. Otherwise remove ${d.rawName} from ${d.file}.`,
        });
        continue;
      }
      // Celery is set up in code but no deploy runs a worker.
      if (infra.dists[0] === 'celery' && usedBy && hasDeploy && !findInDeploy(model, WORKER).some((l) => !l.comment)) {
        const worker = findInDeploy(model, WORKER).find((l) => l.comment);
        out.push({
          file: usedBy.file,
          line: usedBy.line,
          key: 'celery-worker',
          message:
            `${usedBy.file}:${usedBy.line} sets up Celery, but no Dockerfile, compose service, Procfile, platform or Kubernetes file starts a \`celery worker\`: tasks sent with \`.delay()\` wait in the broker forever.` +
            (worker ? ` The worker is commented out at ${worker.file}:${worker.line}.` : ''),
          fix: 'Add a worker process next to the web one, e.g. a Procfile line `worker: celery -A app.worker worker --loglevel=info` or a compose service with `command: celery -A app.worker worker --loglevel=info`.',
          effort: 30,
        });
      }
    }
    return out;
  },
});
