import { defineCheck, type Report } from '../../src/engine/check.js';
import { isMigrationCommand, migrationTools, releaseMigration, RELEASE_CONFIG_GLOBS, type MigrationTool } from '../../src/model/deploy/migrations.js';
import { procfiles } from '../../src/model/deploy/procfile.js';
import {
  NODE_DEPLOY_FILES,
  NODE_MODEL_FILES,
  composeServicesFor,
  dockerfilesFor,
  expandCommands,
  expandScript,
  nodeGraph,
  nodeRuntime,
  type NodePackage,
  type ScriptStep,
} from '../../src/model/node/index.js';
import { PRISMA_FILES } from '../../src/model/node/prisma/index.js';
import { platformFacts, type PlatformCommand } from '../../src/model/platform/configs.js';
import { PLATFORM_FILES } from '../../src/model/platform/files.js';
import type { ProjectModel } from '../../src/model/project.js';

const NODE_TOOLS = new Set<MigrationTool['tool']>(['prisma', 'knex', 'typeorm', 'sequelize']);
/** Scripts a platform runs during the build; migrating there (Render, Vercel) is a valid release step. */
const BUILD_SCRIPTS = ['build', 'postinstall', 'heroku-postbuild', 'vercel-build', 'render-build'];

export default defineCheck({
  id: 'node/migrations-not-run',
  title: 'npm start path never applies database migrations',
  severity: 'critical',
  files: [...NODE_MODEL_FILES, ...NODE_DEPLOY_FILES, ...PLATFORM_FILES, ...PRISMA_FILES, ...RELEASE_CONFIG_GLOBS],
  docs:
    'A Node package keeps Prisma, Knex, TypeORM or Sequelize migrations, and is deployed without a Dockerfile, compose ' +
    'file or Procfile — through `npm start` (what Heroku, Railway, Render and Nixpacks run by default) or a platform ' +
    'start command (railway.json, render.yaml, nixpacks.toml) — but neither that start path (with its pre-hooks and the ' +
    'scripts it calls), nor the build, nor a platform release/pre-deploy command, nor code at startup ' +
    '(`migrationsRun: true`, `knex.migrate.latest()`, umzug, drizzle migrate) runs `prisma migrate deploy` or its ' +
    'equivalent. The first deploy runs against an empty database; later deploys run new code against the old schema. ' +
    'Critical when a development script does run them (the usual way this slips through), high otherwise. Dockerfile, ' +
    'compose and Procfile start paths are docker/migrations-not-run\'s, so each miss is reported once.',
  fix: 'Apply migrations before the server starts: a `prestart` script, a platform pre-deploy/release command, or the build step.',
  effort: 15,
  example: '"scripts": { "start": "node dist/index.js", "migrate:dev": "prisma migrate dev" }   // prisma/migrations/ exists',
  run(model) {
    const tools = model.get(migrationTools).filter((t) => NODE_TOOLS.has(t.tool));
    if (tools.length === 0 || releaseMigration(model)) return [];
    const graph = model.get(nodeGraph);
    const runtime = model.get(nodeRuntime);
    const out: Report[] = [];
    for (const pkg of graph.packages) {
      if (pkg.kind === 'frontend') continue;
      const tool = tools.find((t) => t.dir === pkg.dir || (pkg.dir === '' ? true : t.dir.startsWith(pkg.dir + '/')));
      if (!tool || coveredByDockerRule(model, pkg)) continue;
      // Migrations applied from code the server runs.
      if ([...(runtime.get(pkg.dir)?.files ?? [])].some((f) => (graph.program.files.get(f)?.migrationsInCode.length ?? 0) > 0)) continue;
      const web = platformCommands(model, pkg, 'web')[0];
      const start = web ? expandCommands(pkg, web.commands, web.key, web.line) : expandScript(pkg, 'start');
      if (start.length === 0) continue;
      const build = [...BUILD_SCRIPTS.flatMap((s) => expandScript(pkg, s)), ...platformCommands(model, pkg, 'build').flatMap((c) => expandCommands(pkg, c.commands))];
      if ([...start, ...build].some((s) => isMigrationCommand(s.argv))) continue;
      out.push(report(pkg, tool, web, start, devMigration(pkg)));
    }
    return out;
  },
});

/** A Dockerfile, a production compose service or a Procfile deploys the package: the docker rule's case. */
function coveredByDockerRule(model: ProjectModel, pkg: NodePackage): boolean {
  if (dockerfilesFor(model, pkg).length > 0 || composeServicesFor(model, pkg).length > 0) return true;
  return model.get(procfiles).some((p) => {
    const dir = p.file.includes('/') ? p.file.slice(0, p.file.lastIndexOf('/')) : '';
    return dir === pkg.dir || dir === '';
  });
}

function platformCommands(model: ProjectModel, pkg: NodePackage, role: PlatformCommand['role']): PlatformCommand[] {
  return model
    .get(platformFacts)
    .commands.filter((c) => c.role === role && c.platform !== 'heroku' && !c.dockerfile && (c.dir === pkg.dir || c.dir === ''));
}

/** A script outside the production path that migrates (`"migrate:dev": "prisma migrate dev"`). */
function devMigration(pkg: NodePackage): ScriptStep | undefined {
  for (const name of pkg.scripts.keys()) {
    if (name === 'start' || BUILD_SCRIPTS.includes(name)) continue;
    const hit = expandScript(pkg, name).find((s) => isMigrationCommand(s.argv));
    if (hit) return hit;
  }
  return undefined;
}

function report(pkg: NodePackage, tool: MigrationTool, web: PlatformCommand | undefined, start: ScriptStep[], dev: ScriptStep | undefined): Report {
  const where = web ? `${web.file}:${web.line} (${web.key})` : `${pkg.manifest}:${pkg.scripts.get('start')!.line}`;
  const startText = web ? web.text : pkg.scripts.get('start')!.command;
  const devNote = dev ? `, while the "${dev.script}" script does (${pkg.manifest}:${dev.line}: \`${dev.argv.join(' ')}\`)` : '';
  const command = tool.command.replace(/^npx /, '');
  const fix = web
    ? web.platform === 'render'
      ? `Add \`preDeployCommand: npx ${command}\` to the service in ${web.file} (or prefix the start command with \`npx ${command} && \`).`
      : web.platform === 'railway'
        ? `Add \`"preDeployCommand": "npx ${command}"\` under "deploy" in ${web.file} (or prefix the start command with \`npx ${command} && \`).`
        : `Prefix the start command in ${web.file} with \`npx ${command} && \`.`
    : `Add \`"prestart": "${command}"\` to "scripts" in ${pkg.manifest} (npm runs it before every \`npm start\`)` +
      `${tool.tool === 'prisma' ? '; keep `prisma` in "dependencies" if the deploy prunes devDependencies' : ''}.`;
  return {
    file: web ? web.file : pkg.manifest,
    line: web ? web.line : pkg.scripts.get('start')!.line,
    key: `${tool.tool}:${pkg.dir}`,
    severity: dev ? 'critical' : 'high',
    message:
      `${pkg.dir || 'The app'} keeps ${tool.tool} migrations (${tool.marker}), but its production start path \`${startText}\` (${where}) ` +
      `never runs \`${tool.command}\`${start.length > 1 ? ' in any of the commands it expands to' : ''}, and no build, release or pre-deploy step does${devNote}. ` +
      'The first deploy runs against an empty database; later deploys run new code against the old schema.',
    fix,
  };
}
