import { defineCheck, type Report } from '../../src/engine/check.js';
import { ENV_READ_FILES } from '../../src/model/env-reads.js';
import type { ProjectModel } from '../../src/model/project.js';
import {
  composeFiles,
  containerPathFor,
  deployServices,
  DEPLOY_FILES,
  dirOf,
  expandStart,
  imageBuilds,
  imageCarries,
  isDevCompose,
  isDevOnlyPath,
  isDevServerCommand,
  isMigrationCommand,
  MIGRATE_IN_CODE,
  migrationTools,
  PACKAGE_JSON_GLOBS,
  releaseMigration,
  RELEASE_CONFIG_GLOBS,
  type DeployService,
  type Dockerfile,
  type MigrationTool,
  type StartStep,
} from '../../src/model/deploy/index.js';

/** The steps a deploy service runs at start, scripts and npm scripts followed. */
function steps(model: ProjectModel, s: DeployService): StartStep[] {
  return expandStart(model, { file: s.startAt?.file ?? s.file, line: s.startAt?.line ?? s.line, baseDir: dirOf(s.file), ...(s.dockerfile ? { dockerfile: s.dockerfile, context: s.context ?? s.dockerfile.dir } : {}) }, s.start);
}

/**
 * A Procfile is a Heroku-style deploy only when its web process starts a real server; `make run`
 * or `manage.py runserver` under honcho/foreman is a developer's process list.
 */
const SERVERS = new Set(['gunicorn', 'uvicorn', 'daphne', 'hypercorn', 'waitress-serve', 'uwsgi', 'node', 'npm', 'yarn', 'pnpm', 'bun', 'java', 'bundle', 'puma', 'fastapi', 'granian']);
function runsProductionServer(s: DeployService): boolean {
  return s.start.some((c) => SERVERS.has(c.argv[0] ?? '') && !isDevServerCommand(c.argv) && !(c.argv[0] === 'npm' && c.argv.includes('dev')));
}

const migrates = (st: StartStep[]) => st.find((x) => isMigrationCommand(x.argv));

function migratesInCode(model: ProjectModel): boolean {
  return ENV_READ_FILES.flatMap((g) => model.read(g)).some((f) => !/(^|\/)(tests?|__tests__|spec)\//.test(f) && MIGRATE_IN_CODE.test(model.text(f) ?? ''));
}

function toolFor(tools: MigrationTool[], df: Dockerfile, context: string): MigrationTool | undefined {
  return tools.find((t) => imageCarries(df, t.marker, context));
}

/** The command to paste: migrations first (in the directory that holds their config), then the server. */
function fixFor(model: ProjectModel, t: MigrationTool, df: Dockerfile, context: string, server: string): string {
  const wd = df.final?.workdir ?? '/';
  const at = containerPathFor(model, df, t.marker, context);
  const dir = at ? at.slice(0, at.lastIndexOf('/')) || '/' : wd;
  const migrate = dir === wd ? t.command : `cd ${dir} && ${t.command} && cd ${wd}`;
  const cmd = `${migrate} && exec ${server}`;
  return (
    `Run the migrations before the server starts. Either replace the CMD with\n` +
    `CMD ["sh", "-c", ${JSON.stringify(cmd)}]\n` +
    `or add an entrypoint script (\`set -e\`, \`${t.command}\`, then \`exec "$@"\`) and use it as the ENTRYPOINT. ` +
    `With several replicas, run it once as a release step (platform pre-deploy command or a one-shot job) instead.`
  );
}

export default defineCheck({
  id: 'docker/migrations-not-run',
  title: 'Production start path never applies database migrations',
  severity: 'critical',
  files: [...DEPLOY_FILES, ...PACKAGE_JSON_GLOBS, ...RELEASE_CONFIG_GLOBS, ...ENV_READ_FILES],
  docs:
    'The project keeps schema migrations (Alembic or Flask-Migrate with alembic.ini, Django migrations, Prisma ' +
    'migrations, Knex, TypeORM or Sequelize migration files) but the production start path never applies them: the ' +
    'Dockerfile CMD/ENTRYPOINT (and the scripts and npm scripts it runs), the compose `command:`, or the Procfile. On ' +
    'a fresh database the tables do not exist and every request fails; after a schema change new code runs against ' +
    'the old schema. Critical when a development path (Dockerfile.dev, docker-compose.dev.yml) does run them, which ' +
    'is the usual way this slips through; high when nothing in the repository runs them. Silent when migrations run ' +
    'elsewhere: a one-shot compose service (e.g. one the app `depends_on` with `service_completed_successfully`), a ' +
    'Procfile `release:` line, a platform release or pre-deploy command, a deploy workflow, a Kubernetes Job, or code ' +
    'that migrates at startup (`alembic.command.upgrade`, `call_command("migrate")`, `migrationsRun: true`).',
  fix: 'Run the migration command before the server in the production entrypoint, or as a release/pre-deploy step.',
  effort: 20,
  example: '# alembic.ini exists\nCMD ["gunicorn", "app.main:app"]   # no alembic upgrade head anywhere on this path',
  run(model) {
    const tools = model.get(migrationTools);
    if (tools.length === 0 || releaseMigration(model) || migratesInCode(model)) return [];
    const services = model.get(deployServices);
    const prod = services.filter((s) => !s.devOnly && !(s.kind === 'compose' && model.get(composeFiles).some((cf) => cf.file === s.file && isDevCompose(cf))));
    const dev = services.filter((s) => !prod.includes(s));
    // A production compose file with any service that migrates (a one-shot `migrate` service) covers its images.
    const coveredCompose = new Set(prod.filter((s) => s.kind === 'compose' && migrates(steps(model, s))).map((s) => s.file));
    if (prod.some((s) => s.kind === 'procfile' && migrates(steps(model, s)))) return [];
    // Name a development Dockerfile before the compose file that builds it (closer to what to copy).
    const devHit = dev
      .map((s) => ({ s, hit: migrates(steps(model, s)) }))
      .sort((a, b) => Number(a.s.kind !== 'dockerfile') - Number(b.s.kind !== 'dockerfile'))
      .find((x) => x.hit);
    const devNote = devHit ? `, while ${devHit.s.file} does (${devHit.hit!.file}:${devHit.hit!.line})` : '';

    const out: Report[] = [];
    const done = new Set<string>();
    for (const b of model.get(imageBuilds)) {
      const df = b.dockerfile;
      if (isDevOnlyPath(df.file) || done.has(df.file) || !df.start) continue;
      if (b.composeServices.some((c) => !c.dev && coveredCompose.has(c.file))) continue;
      const tool = toolFor(tools, df, b.context);
      if (!tool) continue;
      done.add(df.file);
      const st = expandStart(model, { file: df.file, line: df.start.line, dockerfile: df, context: b.context, baseDir: df.dir }, df.start.commands);
      if (migrates(st)) continue;
      const server = df.start.argv.join(' ');
      out.push({
        file: df.file,
        line: df.start.line,
        key: `dockerfile:${tool.tool}`,
        severity: devHit ? 'critical' : 'high',
        message:
          `The image built from ${df.file} starts with \`${server}\` and never runs \`${tool.command}\` (${tool.tool}, ${tool.marker})${devNote}. ` +
          `On a fresh database the tables do not exist and requests fail; after a schema change the new code runs against the old schema.`,
        fix: fixFor(model, tool, df, b.context, server),
      });
    }
    // Production compose services that override the image's command without migrating.
    for (const s of prod) {
      const c = s.compose;
      if (s.kind !== 'compose' || !c || !s.dockerfile || (!c.command && !c.entrypoint) || coveredCompose.has(s.file)) continue;
      const tool = toolFor(tools, s.dockerfile, s.context ?? s.dockerfile.dir);
      if (!tool || migrates(steps(model, s))) continue;
      const at = c.entrypoint ?? c.command!;
      out.push({
        file: s.file,
        line: at.line,
        key: `compose:${s.name}`,
        severity: devHit ? 'critical' : 'high',
        message: `Service \`${s.name}\` in ${s.file} starts with \`${at.text}\` and never runs \`${tool.command}\` (${tool.marker})${devNote}; the database schema is never created or updated by this deploy.`,
        fix:
          `Add a one-shot service that runs \`${tool.command}\` and make \`${s.name}\` wait for it:\n` +
          `  migrate:\n    build: <same as ${s.name}>\n    command: ${tool.command}\n` +
          `  ${s.name}:\n    depends_on:\n      migrate:\n        condition: service_completed_successfully`,
      });
    }
    // Heroku-style Procfiles: a `release:` line is where migrations belong.
    for (const s of prod) {
      if (s.kind !== 'procfile' || s.name !== 'web' || !runsProductionServer(s)) continue;
      const base = dirOf(s.file);
      const tool = tools.find((t) => base === '' || t.marker.startsWith(base + '/'));
      if (!tool) continue;
      out.push({
        file: s.file,
        line: s.line,
        key: `procfile:${tool.tool}`,
        severity: devHit ? 'critical' : 'high',
        message: `${s.file} starts \`web: ${s.startAt?.text ?? ''}\` but no process runs \`${tool.command}\` (${tool.marker})${devNote}; the platform deploys new code against an old or empty schema.`,
        fix: `Add a release process, which the platform runs before each new release goes live:\nrelease: ${tool.dir && tool.dir !== base ? `cd ${tool.dir.slice(base ? base.length + 1 : 0)} && ` : ''}${tool.command}`,
      });
    }
    return out;
  },
});
