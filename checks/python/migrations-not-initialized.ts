import { defineCheck, type Report } from '../../src/engine/check.js';
import { DEPENDENCY_FILES, pythonDependencies, type DeclaredDep } from '../../src/model/python/deps.js';
import { DEPLOY_TEXT_GLOBS, findInDeploy } from '../../src/model/python/deploy-text.js';
import { ALEMBIC_FILES, alembicSetups, type AlembicRevision, type AlembicSetup } from '../../src/model/python/migrations.js';
import { ormTables, pyOrmFiles } from '../../src/model/python/orm.js';
import { isAuxiliaryPath } from '../../src/model/python/reach.js';
import { pySettingsFiles, pythonEnvReads } from '../../src/model/python/settings.js';
import { sqlMigrations } from '../../src/model/sql/migrations.js';
import type { ProjectModel } from '../../src/model/project.js';

const UPGRADE = /\balembic\b[^\n#]*\bupgrade\b|\bflask\s+db\s+upgrade\b/;
const DB_URL_VAR = /^(DATABASE_URL|DB_URL|DATABASE_URI|DB_URI|SQLALCHEMY_DATABASE_URI|SQLALCHEMY_DATABASE_URL|POSTGRES_URL|POSTGRES_DSN|PG_DSN|DB_DSN)$/i;

function dep(model: ProjectModel, names: string[]): DeclaredDep | undefined {
  return model.get(pythonDependencies).deps.find((d) => names.includes(d.name) && !d.optional && !isAuxiliaryPath(d.file));
}

function pin(d: DeclaredDep): string {
  return `${d.rawName}${d.specifier}`;
}

/** Lines of the deploy that run `alembic upgrade` (comments and dev files excluded). */
function upgradeRuns(model: ProjectModel) {
  return findInDeploy(model, UPGRADE).filter((l) => !l.comment && !l.devOnly);
}

function setupProblems(model: ProjectModel, s: AlembicSetup, appReadsDbUrl: string | undefined): Report[] {
  const out: Report[] = [];
  const cfgLine = s.scriptLocationLine ?? 1;
  if (s.config && !s.scriptDirExists) {
    out.push({
      file: s.config,
      line: cfgLine,
      key: 'script-location',
      message: `${s.config}:${cfgLine} points Alembic at \`${s.scriptDir}\`, which does not exist: every \`alembic\` command fails with "Path doesn't exist", so no migration runs on deploy.`,
      fix: `Run \`alembic init ${s.scriptDir.split('/').pop()}\` next to ${s.config}, or fix \`script_location\` to the folder that holds env.py and versions/.`,
      effort: 20,
    });
    return out;
  }
  if (s.scriptDirExists && !s.envPy) {
    const at = s.config ?? `${s.scriptDir}/`;
    out.push({
      file: s.config ?? s.revisions[0]?.file ?? s.scriptDir,
      line: s.config ? cfgLine : 1,
      key: 'env-py',
      message: `The Alembic folder \`${s.scriptDir}\` (${at}) has no env.py: \`alembic upgrade\` fails with "No such file or directory: ${s.scriptDir}/env.py" and the schema is never created.`,
      fix: `Add ${s.scriptDir}/env.py (copy it from \`alembic init\`'s template) that sets \`target_metadata = Base.metadata\` and reads the database URL from the environment.`,
      effort: 30,
    });
  }
  if (s.scriptDirExists && s.revisions.length === 0) {
    const run = upgradeRuns(model)[0];
    if (run) {
      out.push({
        file: run.file,
        line: run.line,
        key: 'no-revisions',
        message: `${run.file}:${run.line} runs \`${run.text.trim().slice(0, 80)}\` but ${s.versionsDir}/ holds no revision: the command succeeds and creates no table, so the app's first query fails with "relation does not exist".`,
        fix: 'Generate the first revision and commit it: `alembic revision --autogenerate -m "initial schema"` (with `target_metadata = Base.metadata` in env.py).',
        effort: 30,
      });
    }
  }
  if (s.heads.length > 1 && !findInDeploy(model, /\bupgrade\s+heads\b/).length) {
    // The head with the shortest history is the stray branch; report there.
    const byId = new Map(s.revisions.map((r) => [r.revision, r]));
    const depth = (id: string, seen = new Set<string>()): number => {
      const r = byId.get(id);
      if (!r || seen.has(id) || seen.size > 10_000) return 0;
      seen.add(id);
      return 1 + Math.max(0, ...r.down.map((d) => depth(d, seen)));
    };
    const orphan = new Set(s.missingParents.map((m) => m.revision.revision));
    const rooted = s.heads.filter((h) => !orphan.has(h.revision));
    const [other, first] = [...(rooted.length >= 2 ? rooted : s.heads)].sort((a, b) => depth(a.revision) - depth(b.revision) || (a.file < b.file ? 1 : -1)) as [AlembicRevision, AlembicRevision];
    out.push({
      file: other.file,
      line: other.line,
      key: 'multiple-heads',
      message: `Alembic revisions in ${s.versionsDir}/ have ${s.heads.length} heads (${s.heads.map((h) => `\`${h.revision}\``).join(', ')}; ${first.file} and ${other.file} both descend from no later revision): \`alembic upgrade head\` stops with "Multiple head revisions are present".`,
      fix: `Merge them: \`alembic merge -m "merge heads" ${s.heads.map((h) => h.revision).join(' ')}\`, commit the merge revision, and re-run \`alembic heads\` (it must print one).`,
      effort: 15,
    });
  }
  for (const m of s.missingParents) {
    out.push({
      file: m.revision.file,
      line: m.revision.downLine,
      key: `missing-parent:${m.revision.revision}`,
      message: `Revision \`${m.revision.revision}\` (${m.revision.file}) says \`down_revision = "${m.parent}"\`, but no revision file defines \`${m.parent}\`: Alembic fails with "Can't locate revision identified by '${m.parent}'" before migrating anything.`,
      fix: `Point down_revision at the real parent (\`alembic history\` lists them), or restore the missing revision file.`,
      effort: 20,
    });
  }
  // A hardcoded URL that env.py never replaces, while the app itself reads the URL from the environment.
  if (appReadsDbUrl && s.envPy && s.env && !s.env.setsUrl) {
    const envText = model.text(s.envPy) ?? '';
    const envReadsUrl = /environ|getenv|settings|get_url|config\(|attributes/.test(envText);
    const literal = s.env.literalUrl ?? (s.url && /^[a-z][\w+]*:\/\//i.test(s.url.value) && !s.url.value.includes('%(') && !s.url.value.includes('${') ? { value: s.url.value, line: s.url.line } : undefined);
    const file = s.env.literalUrl ? s.envPy : s.config;
    if (literal && file && !envReadsUrl) {
      out.push({
        file,
        line: literal.line,
        key: 'hardcoded-url',
        message: `Alembic connects to the hardcoded \`${literal.value.replace(/:[^:@/]*@/, ':***@')}\` (${file}:${literal.line}) and ${s.envPy} never replaces it, while the app reads ${appReadsDbUrl}: on deploy the migrations run against that address, not the deployed database, and fail or migrate the wrong one.`,
        fix: `In ${s.envPy}: \`config.set_main_option("sqlalchemy.url", os.environ["${appReadsDbUrl}"])\` (or import the app's settings), and leave \`sqlalchemy.url\` empty in alembic.ini.`,
        effort: 15,
      });
    }
  }
  return out;
}

/** Django apps with model classes but no migrations package, listed in INSTALLED_APPS. */
function djangoProblems(model: ProjectModel): Report[] {
  if (!dep(model, ['django'])) return [];
  const installed = [...pySettingsFiles(model).values()].flatMap((f) => f.django ?? []).filter((s) => s.name === 'INSTALLED_APPS').map((s) => s.text).join('\n');
  if (!installed) return [];
  const out: Report[] = [];
  for (const [file, f] of pyOrmFiles(model)) {
    if (!file.endsWith('models.py') || isAuxiliaryPath(file)) continue;
    const model0 = f.classes.find((c) => c.bases.some((b) => b === 'models.Model' || b.endsWith('.models.Model')));
    if (!model0) continue;
    const dir = file.slice(0, file.lastIndexOf('/'));
    const app = dir.split('/').pop() ?? '';
    if (!app || !new RegExp(`["'](?:[\\w.]+\\.)?${app}(?:\\.apps\\.\\w+)?["']`).test(installed)) continue;
    if (model.exists(`${dir}/migrations/__init__.py`) || model.dirExists(`${dir}/migrations`)) continue;
    out.push({
      file,
      line: model0.line,
      key: `django:${app}`,
      message: `Django app \`${app}\` defines models (\`${model0.name}\` at ${file}:${model0.line}) and is in INSTALLED_APPS, but has no migrations/ folder: \`manage.py migrate\` creates none of its tables.`,
      fix: `Run \`python manage.py makemigrations ${app}\` and commit ${dir}/migrations/.`,
      effort: 15,
    });
  }
  return out;
}

export default defineCheck({
  id: 'python/migrations-not-initialized',
  title: 'Database migrations declared but not set up, or not runnable',
  severity: 'high',
  files: [...ALEMBIC_FILES, ...DEPENDENCY_FILES, ...DEPLOY_TEXT_GLOBS],
  docs:
    'Alembic (or Flask-Migrate) is a dependency but the project has no alembic.ini (nor `[tool.alembic]` in pyproject.toml, read since Alembic 1.16), no env.py and no versions/ folder, ' +
    'so nothing creates or evolves the schema the ORM models expect; or the setup exists but cannot work on deploy: ' +
    '`script_location` names a missing folder, env.py is missing, versions/ is empty while the deploy runs `alembic ' +
    'upgrade` (it succeeds and creates nothing), the revisions have two heads ("Multiple head revisions are present") or ' +
    'a `down_revision` no file defines ("Can\'t locate revision"), or the URL is hardcoded in alembic.ini/env.py while ' +
    'the app reads DATABASE_URL (the migrations run against localhost). For Django: an app in INSTALLED_APPS with ' +
    'models and no migrations/ folder. Whether the deploy runs the migrations at all is docker/migrations-not-run\'s.',
  fix: 'Initialise and commit the migrations: `alembic init alembic`, point env.py at the models and at DATABASE_URL, `alembic revision --autogenerate -m "initial"`, and run `alembic upgrade head` before the server starts.',
  effort: 120,
  example: '# requirements.txt\nalembic==1.13.1\n# ...but no alembic.ini, no alembic/env.py, no versions/',
  run(model) {
    const out: Report[] = [];
    const all = model.get(alembicSetups);
    const setups = all.filter((s) => !isAuxiliaryPath(s.scriptDir + '/'));
    const alembic = dep(model, ['alembic', 'flask-migrate', 'flask-alembic']);
    if (alembic && all.length === 0) {
      const tables = model.get(ormTables).filter((t) => !isAuxiliaryPath(t.file));
      const sql = model.get(sqlMigrations);
      out.push({
        file: alembic.file,
        line: alembic.line,
        key: alembic.name,
        message:
          `\`${pin(alembic)}\` is declared (${alembic.file}:${alembic.line}) but Alembic was never initialised: no alembic.ini, no env.py, no versions/. ` +
          (sql.length
            ? `The schema exists only as SQL scripts (${sql[0]!.file}${sql.length > 1 ? ', ...' : ''}) that no migration tool applies or versions`
            : tables.length
              ? `The ${tables.length} ORM table${tables.length > 1 ? 's' : ''} (${tables.slice(0, 3).map((t) => `\`${t.name}\``).join(', ')}${tables.length > 3 ? ', ...' : ''}) have no migration that creates them`
              : 'Nothing creates or migrates the schema') +
          ', so a fresh database has no tables and schema changes cannot be rolled out.',
        fix: `From the service folder: \`alembic init alembic\`; in alembic/env.py set \`target_metadata = Base.metadata\` and \`config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])\`; then \`alembic revision --autogenerate -m "initial schema"\`, commit, and run \`alembic upgrade head\` on deploy. (Or remove ${alembic.rawName} from ${alembic.file} if the schema is managed elsewhere.)`,
        effort: 120,
      });
    }
    const dbVar = model
      .get(pythonEnvReads)
      .find((r) => DB_URL_VAR.test(r.name) && !isAuxiliaryPath(r.file) && !/(^|\/)env\.py$/.test(r.file))?.name;
    for (const s of setups) out.push(...setupProblems(model, s, dbVar));
    out.push(...djangoProblems(model));
    return out;
  },
});
