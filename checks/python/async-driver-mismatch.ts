import { defineCheck, type Report } from '../../src/engine/check.js';
import { DEPLOY_FILES, deployServices, envFiles } from '../../src/model/deploy/index.js';
import { pyOrmFiles, type EngineCall } from '../../src/model/python/orm.js';
import { isAuxiliaryPath } from '../../src/model/python/reach.js';
import { fieldEnvNames, pySettingsFiles, settingsClasses } from '../../src/model/python/settings.js';
import type { ProjectModel } from '../../src/model/project.js';

/** A value the URL may take, and where it is written. */
interface UrlValue {
  value: string;
  where: string;
}

const SYNC_DIALECTS = /^(postgresql|postgres|mysql|mariadb|sqlite|mssql|oracle)$/;
const ASYNC_DRIVER = /^(asyncpg|psycopg|psycopg_async|aiosqlite|aiomysql|asyncmy|aioodbc|oracledb_async|pysqlite_async)$/;
const ASYNC_ONLY = /^(asyncpg|psycopg_async|aiosqlite|aiomysql|asyncmy|aioodbc|oracledb_async)$/;

/** `postgresql+asyncpg://...` → { dialect, driver }; undefined for anything that is not a URL literal. */
function scheme(url: string): { dialect: string; driver?: string } | undefined {
  const m = /^([a-z][a-z0-9]*)(?:\+([a-z0-9_]+))?:\/\//i.exec(url.trim());
  if (!m) return undefined;
  return { dialect: m[1]!.toLowerCase(), ...(m[2] ? { driver: m[2].toLowerCase() } : {}) };
}

/** Sync driver SQLAlchemy picks for a bare dialect. */
const DEFAULT_DRIVER: Record<string, string> = { postgresql: 'psycopg2', postgres: 'psycopg2', mysql: 'mysqldb', mariadb: 'mysqldb', sqlite: 'pysqlite', mssql: 'pyodbc', oracle: 'cx_oracle' };

function isSyncUrl(url: string): string | undefined {
  const s = scheme(url);
  if (!s || !SYNC_DIALECTS.test(s.dialect)) return undefined;
  if (!s.driver) return DEFAULT_DRIVER[s.dialect];
  return ASYNC_DRIVER.test(s.driver) ? undefined : s.driver;
}

function isAsyncOnlyUrl(url: string): string | undefined {
  const s = scheme(url);
  return s?.driver && ASYNC_ONLY.test(s.driver) ? s.driver : undefined;
}

/**
 * The values an engine URL expression documents: a settings field's default, the env files and
 * deploy environments that set its variable, an `os.getenv("X", default)`. Undefined when the
 * expression transforms the value (`.replace(...)`, f-strings, a validator) or is unknown.
 */
function urlValues(model: ProjectModel, file: string, e: EngineCall): { values: UrlValue[]; source: string } | undefined {
  if (e.url?.literal !== undefined) return { values: [{ value: e.url.literal, where: `${file}:${e.line}` }], source: 'a literal URL' };
  const expr = e.url?.expr;
  if (!expr) return undefined;
  let varNames: string[] = [];
  const values: UrlValue[] = [];
  let source = `\`${expr}\``;
  const attr = /^(?:[A-Za-z_]\w*(?:\(\))?\.)+([A-Za-z_]\w*)$/.exec(expr);
  const getenv = /^(?:os\.)?(?:getenv|environ\.get)\(\s*["']([A-Za-z_]\w*)["']\s*(?:,\s*["']([^"']*)["'])?\s*\)$|^(?:os\.)?environ\[\s*["']([A-Za-z_]\w*)["']\s*\]$/.exec(expr);
  if (getenv) {
    varNames = [getenv[1] ?? getenv[3]!];
    if (getenv[2]) values.push({ value: getenv[2], where: `${file}:${e.line}` });
  } else if (attr) {
    const field = attr[1]!;
    for (const cls of model.get(settingsClasses)) {
      const f = cls.allFields.find((x) => x.name === field);
      if (!f) continue;
      // A validator or property may rewrite the URL (e.g. swapping in +asyncpg): stay silent.
      if (cls.validatedFields.some((v) => v === field) || cls.properties.includes(field)) return undefined;
      varNames.push(...fieldEnvNames(cls, f));
      if (f.defaultValue !== undefined) values.push({ value: f.defaultValue, where: `${cls.file}:${f.line}` });
      source = `\`${expr}\` (${cls.name}.${f.name})`;
    }
    if (!varNames.length) return undefined;
  } else if (/^[A-Za-z_]\w*$/.test(expr)) {
    // DATABASE_URL = os.getenv("DATABASE_URL", "...") at module level of the same file.
    const lines = model.lines(file);
    const idx = lines.findIndex((l) => new RegExp(`^${expr}\\s*(:[^=]+)?=\\s*`).test(l));
    if (idx < 0) return undefined;
    const read = pySettingsFiles(model).get(file)?.reads.find((r) => r.line === idx + 1);
    const rhs = lines[idx]!.replace(/^[^=]+=\s*/, '');
    if (read && /^(os\.)?(getenv|environ)/.test(rhs) && !/\)\s*\.\w+\(/.test(rhs)) {
      varNames = [read.name];
      if (read.defaultValue !== undefined) values.push({ value: read.defaultValue, where: `${file}:${idx + 1}` });
    } else {
      const lit = /^["']([^"']+)["']\s*$/.exec(rhs);
      if (!lit) return undefined;
      values.push({ value: lit[1]!, where: `${file}:${idx + 1}` });
    }
  } else return undefined;
  const upper = new Set(varNames.map((n) => n.toUpperCase()));
  for (const f of model.get(envFiles)) for (const en of f.entries) if (upper.has(en.name.toUpperCase()) && en.value) values.push({ value: en.value, where: `${f.file}:${en.line}` });
  for (const s of model.get(deployServices)) {
    if (s.devOnly) continue;
    for (const en of s.env) if (upper.has(en.name.toUpperCase()) && en.value) values.push({ value: en.value, where: `${en.file}:${en.line}` });
  }
  return { values, source };
}

export default defineCheck({
  id: 'python/async-driver-mismatch',
  title: 'Async engine fed a sync database URL (or the reverse)',
  severity: 'high',
  files: ['**/*.py', ...DEPLOY_FILES],
  docs:
    '`create_async_engine(url)` needs an asyncio driver in the URL (`postgresql+asyncpg://`, `postgresql+psycopg://`, ' +
    '`sqlite+aiosqlite://`, `mysql+aiomysql://`; psycopg 3 serves both sync and asyncio since the SQLAlchemy 2.0 `postgresql+psycopg` dialect). With `postgresql://` SQLAlchemy loads psycopg2 and raises ' +
    '"The asyncio extension requires an async driver to be used. The loaded \'psycopg2\' is not async." on the first ' +
    'connection (and `postgres://`, as Heroku-style platforms hand it out, is not even a dialect since SQLAlchemy 1.4). ' +
    'The reverse, `create_engine("postgresql+asyncpg://...")`, fails with "greenlet_spawn has not been called". The URL ' +
    'is judged from a literal, or from every documented value of the variable it comes from: the settings field\'s ' +
    'default, the env files, the deploy services\' environment, the `os.getenv` default. Reported only when every ' +
    'known value has the wrong driver, and never when a validator, property or `.replace()` rewrites the URL.',
  fix: 'Put the async driver in the URL everywhere it is set (`postgresql+asyncpg://user:pass@host/db`), or rewrite it once in the settings (`url.replace("postgresql://", "postgresql+asyncpg://", 1)`) and install the driver.',
  effort: 15,
  example: 'engine = create_async_engine(settings.DATABASE_URL)\n# .env.example: DATABASE_URL=postgresql://app:app@db:5432/app',
  run(model) {
    const out: Report[] = [];
    for (const [file, f] of pyOrmFiles(model)) {
      if (isAuxiliaryPath(file)) continue;
      for (const e of f.engines) {
        if (e.fn !== 'create_async_engine' && e.fn !== 'create_engine') continue;
        const r = urlValues(model, file, e);
        if (!r) continue;
        const judged = r.values.filter((v) => scheme(v.value));
        if (!judged.length) continue;
        if (e.fn === 'create_async_engine') {
          const wrong = judged.map((v) => ({ ...v, driver: isSyncUrl(v.value) }));
          if (wrong.some((w) => !w.driver)) continue;
          const w = wrong[0]!;
          const dialect = scheme(w.value)!.dialect;
          out.push({
            file,
            line: e.line,
            key: `async:${e.url?.expr ?? 'literal'}`,
            message:
              `\`create_async_engine\` at ${file}:${e.line} gets ${r.source}, which is ${wrong.map((x) => `\`${x.value.replace(/:[^:@/]*@/, ':***@').slice(0, 60)}\` (${x.where})`).slice(0, 3).join(', ')}: ` +
              (dialect === 'postgres' ? 'SQLAlchemy has no `postgres` dialect (NoSuchModuleError) and the default driver would not be async anyway' : `the sync driver ${w.driver} is not async, so the first connection raises "The asyncio extension requires an async driver to be used"`) +
              '.',
            fix: `Use an async driver in the URL: \`${dialect === 'sqlite' ? 'sqlite+aiosqlite' : dialect === 'mysql' || dialect === 'mariadb' ? 'mysql+aiomysql' : 'postgresql+asyncpg'}://...\` in ${wrong.map((x) => x.where).slice(0, 3).join(', ')} (and add the driver to the requirements).`,
          });
        } else {
          const wrong = judged.map((v) => ({ ...v, driver: isAsyncOnlyUrl(v.value) }));
          if (wrong.some((w) => !w.driver)) continue;
          out.push({
            file,
            line: e.line,
            key: `sync:${e.url?.expr ?? 'literal'}`,
            message: `\`create_engine\` at ${file}:${e.line} gets ${r.source}, which names the asyncio-only driver ${wrong[0]!.driver} (${wrong[0]!.where}): a sync engine cannot drive it and the first query fails with "greenlet_spawn has not been called".`,
            fix: 'Use `create_async_engine` (with AsyncSession) for this URL, or give the sync engine a sync driver (`postgresql+psycopg://` or `postgresql+psycopg2://`).',
          });
        }
      }
    }
    return out;
  },
});
