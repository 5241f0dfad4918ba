import { defineFacts, type ProjectModel } from '../project.js';
import { dirOf } from './files.js';
import { packageJsons } from './package-json.js';
import { shellScripts } from './scripts.js';

/** A schema-migration tool the project uses, found from files in the listing. */
export interface MigrationTool {
  tool: 'alembic' | 'flask-migrate' | 'django' | 'prisma' | 'knex' | 'typeorm' | 'sequelize';
  /** The file that shows it (alembic.ini, manage.py, schema.prisma, knexfile.js...). */
  marker: string;
  /** Directory the migration command runs in. */
  dir: string;
  /** The command that applies pending migrations. */
  command: string;
}

const has = (model: ProjectModel, glob: string) => model.listed(glob).length > 0;

function nodeTools(model: ProjectModel): MigrationTool[] {
  const out: MigrationTool[] = [];
  for (const pkg of model.get(packageJsons).values()) {
    const deps = new Set([...pkg.dependencies, ...pkg.devDependencies]);
    const d = pkg.dir ? `${pkg.dir}/` : '';
    const knexfile = model.listed(`${d}knexfile.{js,ts,cjs,mjs}`)[0];
    if (deps.has('knex') && knexfile) out.push({ tool: 'knex', marker: knexfile, dir: pkg.dir, command: 'npx knex migrate:latest' });
    const typeormMigration = model.listed(`${d}**/migrations/*.{ts,js}`).find((f) => /\/\d{10,}-[^/]+$/.test(f));
    if (deps.has('typeorm') && typeormMigration) out.push({ tool: 'typeorm', marker: typeormMigration, dir: pkg.dir, command: 'npx typeorm migration:run -d <your data source file>' });
    const seqMigration = model.listed(`${d}**/migrations/*.{js,cjs}`)[0];
    if ((deps.has('sequelize-cli') || model.exists(`${d}.sequelizerc`)) && seqMigration)
      out.push({ tool: 'sequelize', marker: seqMigration, dir: pkg.dir, command: 'npx sequelize-cli db:migrate' });
  }
  return out;
}

function compute(model: ProjectModel): MigrationTool[] {
  const out: MigrationTool[] = [];
  for (const ini of model.listed('**/alembic.ini')) {
    const dir = dirOf(ini);
    const flask = /(^|\/)migrations$/.test(dir);
    out.push(
      flask
        ? { tool: 'flask-migrate', marker: ini, dir: dirOf(dir), command: 'flask db upgrade' }
        : { tool: 'alembic', marker: ini, dir, command: 'alembic upgrade head' },
    );
  }
  for (const manage of model.listed('**/manage.py')) {
    const dir = dirOf(manage);
    if (has(model, `${dir ? dir + '/' : ''}**/migrations/0001_*.py`)) out.push({ tool: 'django', marker: manage, dir, command: 'python manage.py migrate --noinput' });
  }
  for (const schema of model.listed('**/schema.prisma')) {
    const dir = dirOf(schema);
    if (has(model, `${dir ? dir + '/' : ''}migrations/**/migration.sql`)) {
      out.push({ tool: 'prisma', marker: schema, dir: dirOf(dir), command: 'npx prisma migrate deploy' });
    }
  }
  return [...out, ...nodeTools(model)];
}

/** Migration tools in the project (a tool counts only when migration files exist, not just the dependency). */
export const migrationTools = defineFacts('deploy-migration-tools', compute);

/** True when a command applies migrations (any tool), from its argv. */
export function isMigrationCommand(argv: readonly string[]): boolean {
  const a = argv.map((x) => x.split('/').pop() ?? x);
  const s = a.join(' ');
  if (a.includes('alembic') && a.includes('upgrade')) return true;
  if (/\bflask\b.*\bdb upgrade\b/.test(s)) return true;
  if ((a.includes('manage.py') || a.includes('django-admin')) && a.includes('migrate')) return true;
  if (a.some((x) => x === 'prisma') && (/\bmigrate deploy\b/.test(s) || /\bdb push\b/.test(s) || /\bmigrate dev\b/.test(s))) return true;
  if (a.some((x) => x === 'knex') && /\bmigrate:(latest|up)\b/.test(s)) return true;
  if (a.some((x) => x.startsWith('typeorm')) && /\bmigration:run\b/.test(s)) return true;
  if (a.some((x) => x === 'sequelize' || x === 'sequelize-cli') && /\bdb:migrate\b/.test(s)) return true;
  if (a[0] === 'node-pg-migrate' || (a[0] === 'drizzle-kit' && /\b(migrate|push)\b/.test(s))) return true;
  // `npm run migrate`, `make migrate`, `python migrate.py`, `python -m app.migrate`: a step named for it.
  if (['npm', 'yarn', 'pnpm', 'make', 'just', 'python', 'python3', 'node'].includes(a[0] ?? '')) {
    return a.slice(1).some((x) => /(^|[^a-z])(migrate|migrations?|db:migrate|prestart)([^a-z]|$)/i.test(x));
  }
  return false;
}

/**
 * Code that applies migrations at startup (so no start command needs to): alembic's
 * `command.upgrade(...)`, Django's `call_command("migrate")`, knex `migrate.latest()`,
 * TypeORM `migrationsRun: true` / `runMigrations()`, umzug, drizzle's migrator.
 */
export const MIGRATE_IN_CODE = /\bcommand\.upgrade\(|call_command\(\s*["']migrate["']|\bmigrate\.latest\(|migrationsRun\s*:\s*true|\.runMigrations\(|new Umzug\(|\/migrator["']/;

/** Files where a platform, CI deploy job or cluster manifest may run migrations as a release step. */
export const RELEASE_CONFIG_GLOBS = [
  '**/{fly.toml,render.yaml,render.yml,railway.json,railway.toml,app.json,heroku.yml,nixpacks.toml,app.yaml,Procfile}',
  '.github/workflows/*.{yml,yaml}',
  '**/{k8s,kubernetes,helm,charts,deploy,deployment,deployments,manifests,infra,.do}/**/*.{yml,yaml}',
] as const;

const RELEASE_SIGNATURES = [
  'alembic upgrade', 'flask db upgrade', 'manage.py migrate', 'prisma migrate deploy', 'prisma db push', 'knex migrate:latest',
  'migration:run', 'db:migrate', 'node-pg-migrate up', 'drizzle-kit migrate',
];

/**
 * A release step outside the start path that applies migrations: a platform release or
 * pre-deploy command, a deploy workflow, a Kubernetes Job or Helm hook. Returns where.
 */
export function releaseMigration(model: ProjectModel): { file: string } | undefined {
  const scripts = model.get(shellScripts);
  const migratingScripts = [...scripts].filter(([, lines]) => lines.some((l) => l.commands.some((c) => isMigrationCommand(c.argv)))).map(([f]) => f);
  for (const g of RELEASE_CONFIG_GLOBS) {
    for (const f of model.read(g)) {
      const t = model.text(f) ?? '';
      // A release step may call a script that migrates: `docker compose run backend bash scripts/prestart.sh`.
      const callsScript = [...t.matchAll(/[\w./-]+\.sh\b/g)].some((m) => {
        const name = m[0].replace(/^\.\//, '');
        return migratingScripts.some((s) => s === name || s.endsWith('/' + name));
      });
      if (!callsScript && !RELEASE_SIGNATURES.some((s) => t.includes(s))) continue;
      // a test workflow migrating its throwaway database is not a release step
      if (f.startsWith('.github/') && !/deploy|release|production|prod\b/i.test(f + t)) continue;
      return { file: f };
    }
  }
  return undefined;
}
