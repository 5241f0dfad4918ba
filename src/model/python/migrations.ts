import { parse as parseToml } from 'smol-toml';
import { defineFacts, type ProjectModel } from '../project.js';
import { joinPath } from '../shell.js';
import { applyOps, type MigratedSchema, type SchemaOp } from '../sql/schema.js';
import { parseSqlScript, sqlMigrations } from '../sql/migrations.js';
import { definePyExtractor, pyFacts } from './files.js';
import { iniSection } from './modules.js';
import type { PyNode } from './parse.js';
import { saTypeFamily, readColumnCall } from './orm.js';
import { assignmentOf, callArgs, callName, lastName, lineOf, literalValue, nodesOfType, statements, stringValue } from './pyast.js';

/**
 * Alembic: configuration (alembic.ini or `[tool.alembic]`), the migration environment (env.py),
 * revisions and their chain, and the schema ops each revision's `upgrade()` performs. Together
 * with the SQL migrations this gives the schema the database has after a deploy's migrations.
 */

/** Files read for Alembic configuration besides Python sources. */
export const ALEMBIC_FILES = ['**/alembic.ini', '**/*.ini', '**/pyproject.toml', '**/*.sql', '**/*.py'] as const;

export interface AlembicRevision {
  file: string;
  revision: string;
  /** Parents: none for the first revision, two for a merge. */
  down: string[];
  line: number;
  downLine: number;
  ops: SchemaOp[];
}

/** What an env.py does with the database URL. */
export interface AlembicEnv {
  /** Calls `config.set_main_option("sqlalchemy.url", ...)` or passes `url=` computed at run time. */
  setsUrl: boolean;
  /** A literal database URL written in env.py itself. */
  literalUrl?: { value: string; line: number };
  /** Uses the async API (`async_engine_from_config`, `run_sync`). */
  async: boolean;
}

export interface PyAlembicFile {
  revision?: { id: string; down: string[]; line: number; downLine: number };
  ops: SchemaOp[];
  env?: AlembicEnv;
}

const CALL_NODES = ['call'];

const OP_HINT = /\bop\.|batch_op|revision\s*[:=]/;

function tableArg(n: PyNode | undefined): string | undefined {
  return stringValue(n);
}

function readOpCall(call: PyNode, batchTable: string | undefined, file: string, out: SchemaOp[]): void {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const recv = fn.childForFieldName('object')?.text ?? '';
  const isOp = recv === 'op' || (batchTable !== undefined && recv !== 'sa');
  if (!isOp) return;
  const args = callArgs(call).positional;
  const kw = callArgs(call).keywords;
  const line = lineOf(call);
  // In a batch block the table comes from the `with`, and arguments shift by one.
  const shift = batchTable !== undefined && recv !== 'op' ? 0 : 1;
  const table = batchTable !== undefined && recv !== 'op' ? batchTable : tableArg(args[0] ?? kw.get('table_name'));
  const opaque = (detail: string): void => {
    out.push({ op: 'opaque', ...(table ? { table } : {}), file, line, detail });
  };
  switch (method) {
    case 'create_table': {
      const name = tableArg(args[0] ?? kw.get('table_name'));
      if (!name) return opaque('op.create_table with a computed name');
      const columns = args
        .slice(1)
        .flatMap((a) => (a.type === 'call' ? [readColumnCall(a, '', file)] : []))
        .filter((c): c is NonNullable<typeof c> => !!c && !!c.name);
      // Table-level sa.PrimaryKeyConstraint("id")
      for (const a of args.slice(1)) {
        if (a.type === 'call' && lastName(callName(a) ?? '') === 'PrimaryKeyConstraint') {
          for (const p of callArgs(a).positional) {
            const n = stringValue(p);
            const c = columns.find((x) => x.name === n);
            if (c) {
              c.primaryKey = true;
              c.nullable = false;
            }
          }
        }
      }
      out.push({ op: 'create-table', table: name, columns, file, line });
      if (args.slice(1).some((a) => a.type === 'list_splat' || (a.type !== 'call' && a.type !== 'comment'))) opaque('op.create_table with computed columns');
      return;
    }
    case 'add_column': {
      const colNode = args[shift] ?? kw.get('column');
      const col = colNode?.type === 'call' ? readColumnCall(colNode, '', file) : undefined;
      if (!table) return opaque('op.add_column on a computed table');
      if (!col || !col.name) return opaque('op.add_column with a computed column');
      out.push({ op: 'add-column', table, column: col, file, line });
      return;
    }
    case 'drop_column': {
      const col = stringValue(args[shift] ?? kw.get('column_name'));
      if (table && col) out.push({ op: 'drop-column', table, column: col, file, line });
      else opaque('op.drop_column with computed names');
      return;
    }
    case 'alter_column': {
      const col = stringValue(args[shift] ?? kw.get('column_name'));
      if (!table || !col) return opaque('op.alter_column with computed names');
      const t = kw.get('type_');
      if (t) out.push({ op: 'alter-type', table, column: col, type: t.text.slice(0, 80), family: saTypeFamily(t), file, line });
      const n = literalValue(kw.get('nullable'));
      if (typeof n === 'boolean') out.push({ op: 'set-nullable', table, column: col, nullable: n, file, line });
      const to = stringValue(kw.get('new_column_name'));
      if (to) out.push({ op: 'rename-column', table, column: col, to, file, line });
      return;
    }
    case 'drop_table':
      if (table) out.push({ op: 'drop-table', table, file, line });
      return;
    case 'rename_table': {
      const to = stringValue(args[1] ?? kw.get('new_table_name'));
      if (table && to) out.push({ op: 'rename-table', table, to, file, line });
      else opaque('op.rename_table with computed names');
      return;
    }
    case 'execute': {
      const sqlNode = args[0] ?? kw.get('sqltext');
      // Data migrations (UPDATE/INSERT) do not change the schema: skip the SQL parser for them.
      if (!/\b(CREATE|ALTER|DROP|RENAME)\s+(TABLE|COLUMN)\b|\bALTER\s+TABLE\b/i.test(sqlNode?.text ?? '')) return;
      const sql = stringValue(sqlNode);
      if (sql === undefined) {
        // sa.text("...") / a variable: read what we can.
        const inner = sqlNode?.type === 'call' ? stringValue(callArgs(sqlNode).positional[0]) : undefined;
        if (inner === undefined) return opaque('op.execute with computed SQL');
        out.push(...relocate(parseSqlScript(file, inner, '', 0).ops, line));
        return;
      }
      out.push(...relocate(parseSqlScript(file, sql, '', 0).ops, line));
      return;
    }
    default:
      return;
  }
}

/** SQL embedded in `op.execute("...")`: every op and column points at the call's line. */
function relocate(ops: SchemaOp[], line: number): SchemaOp[] {
  return ops.map((o) => {
    if (o.op === 'create-table') return { ...o, line, columns: o.columns.map((c) => ({ ...c, line })) };
    if (o.op === 'add-column') return { ...o, line, column: { ...o.column, line } };
    return { ...o, line };
  });
}

function readUpgrade(def: PyNode, file: string): SchemaOp[] {
  const out: SchemaOp[] = [];
  const loops = new Set<number>();
  for (const call of nodesOfType(def, CALL_NODES)) {
    const fnNode = call.childForFieldName('function');
    if (fnNode?.type !== 'attribute') continue;
    const recv = fnNode.childForFieldName('object')?.text ?? '';
    // Where the call sits: in a loop (names the model cannot list), in `with op.batch_alter_table("t") as b:`.
    let batch: { alias: string; table: string } | undefined;
    let loop: PyNode | undefined;
    for (let p = call.parent; p && p.id !== def.id; p = p.parent) {
      if ((p.type === 'for_statement' || p.type === 'while_statement') && !loop) loop = p;
      if (p.type === 'with_statement' && !batch) {
        const item = p.namedChildren.find((c) => c?.type === 'with_clause')?.namedChildren[0];
        const value = item?.childForFieldName('value') ?? item?.namedChildren[0];
        const inner = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
        const alias = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.text ?? value.namedChildren[1]?.text : undefined;
        if (inner?.type === 'call' && /batch_alter_table$/.test(callName(inner) ?? '')) {
          const args = callArgs(inner);
          batch = { alias: alias ?? '', table: stringValue(args.positional[0]) ?? stringValue(args.keywords.get('table_name')) ?? '' };
        }
      }
    }
    const isOp = recv === 'op' || (batch !== undefined && recv === batch.alias);
    if (!isOp) continue;
    if (loop) {
      if (!loops.has(loop.id)) out.push({ op: 'opaque', file, line: lineOf(loop), detail: 'migration ops in a loop' });
      loops.add(loop.id);
      continue;
    }
    readOpCall(call, recv === 'op' ? undefined : batch!.table, file, out);
  }
  return out;
}

function revisionIds(n: PyNode | undefined): string[] | undefined {
  const v = literalValue(n);
  if (v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return undefined;
}

function readEnv(root: PyNode): AlembicEnv {
  const env: AlembicEnv = { setsUrl: false, async: false };
  for (const n of nodesOfType(root, CALL_NODES)) {
    const fn = callName(n) ?? '';
    const last = lastName(fn);
    const args = callArgs(n);
    if (last === 'set_main_option' || last === 'set_section_option') {
      const key = stringValue(args.positional[last === 'set_section_option' ? 1 : 0]);
      const value = args.positional[last === 'set_section_option' ? 2 : 1];
      if (key === 'sqlalchemy.url' && value) {
        const lit = stringValue(value);
        if (lit !== undefined && /:\/\//.test(lit)) env.literalUrl = { value: lit, line: lineOf(n) };
        else env.setsUrl = true;
      }
    } else if (last === 'configure' || last === 'create_engine' || last === 'create_async_engine') {
      const url = args.keywords.get('url') ?? (last !== 'configure' ? args.positional[0] : undefined);
      if (url) {
        const lit = stringValue(url);
        if (lit !== undefined && /:\/\//.test(lit)) env.literalUrl = { value: lit, line: lineOf(n) };
        else env.setsUrl = true;
      }
      if (last === 'create_async_engine') env.async = true;
    } else if (last === 'engine_from_config' || last === 'async_engine_from_config') {
      if (last === 'async_engine_from_config') env.async = true;
      // `engine_from_config({"sqlalchemy.url": settings.DATABASE_URL})` or `url=`
      if (args.keywords.has('url')) env.setsUrl = true;
      const first = args.positional[0];
      if (first?.type === 'dictionary' && /sqlalchemy\.url/.test(first.text)) env.setsUrl = true;
    } else if (last === 'run_sync') env.async = true;
  }
  return env;
}

export const pyAlembicExtractor = definePyExtractor<PyAlembicFile>('python-alembic', (root, ctx) => {
  const out: PyAlembicFile = { ops: [] };
  const isEnv = ctx.path.endsWith('env.py') && /\balembic\b|context\.configure/.test(ctx.source);
  if (isEnv) out.env = readEnv(root);
  if (!/(^|\/)versions\/[^/]+\.py$/.test(ctx.path) && !/\bfrom alembic import\b|\bimport alembic\b/.test(ctx.source)) return out;
  if (!OP_HINT.test(ctx.source)) return out;
  let rev: string | undefined;
  let revLine = 0;
  let down: string[] | undefined;
  let downLine = 0;
  let upgrade: PyNode | undefined;
  for (const s of statements(root)) {
    const a = assignmentOf(s);
    if (a) {
      const name = a.childForFieldName('left')?.text;
      const right = a.childForFieldName('right') ?? undefined;
      if (name === 'revision') {
        rev = stringValue(right);
        revLine = lineOf(a);
      } else if (name === 'down_revision') {
        down = revisionIds(right);
        downLine = lineOf(a);
      }
    } else if (s.type === 'function_definition' && s.childForFieldName('name')?.text === 'upgrade') upgrade = s;
  }
  if (rev !== undefined && down !== undefined) {
    out.revision = { id: rev, down, line: revLine, downLine };
    if (upgrade) out.ops = readUpgrade(upgrade, ctx.path);
  }
  return out;
});

export function pyAlembicFiles(model: ProjectModel): Map<string, PyAlembicFile> {
  return pyFacts(model, pyAlembicExtractor);
}

/** An Alembic setup: config, script folder, env.py and revisions. */
export interface AlembicSetup {
  /** alembic.ini or pyproject.toml holding the config; undefined when only a script folder exists. */
  config?: string;
  /** `sqlalchemy.url` in the config, with its line. */
  url?: { value: string; line: number };
  /** The script folder (`script_location`), repo-relative. */
  scriptDir: string;
  scriptDirExists: boolean;
  scriptLocationLine?: number;
  envPy?: string;
  env?: AlembicEnv;
  versionsDir: string;
  revisions: AlembicRevision[];
  /** Revisions nothing points to as a parent. */
  heads: AlembicRevision[];
  /** Parents that no revision file defines. */
  missingParents: { revision: AlembicRevision; parent: string }[];
}

function keyLine(text: string, key: string): number {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => new RegExp(`^\\s*${key.replace(/\./g, '\\.')}\\s*[=:]`).test(l));
  return i < 0 ? 1 : i + 1;
}

/** `package:folder` names a folder inside an importable package: find the package in the repo. */
function packageFolder(model: ProjectModel, spec: string): string | undefined {
  const [pkg, folder] = spec.split(':', 2) as [string, string];
  const pkgPath = pkg.replace(/\./g, '/');
  const init = model.listed(`**/${pkgPath}/__init__.py`).concat(model.listed(`${pkgPath}/__init__.py`))[0];
  if (!init) return undefined;
  return joinPath(init.slice(0, init.lastIndexOf('/')), folder);
}

/** Line of the `script_location = <value>` holding this value. */
function lineOfValue(text: string, value: string): number {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => /^\s*script_location\s*[=:]/.test(l) && l.includes(value));
  return i < 0 ? 1 : i + 1;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Every Alembic setup in the repository. */
export const alembicSetups = defineFacts('python-alembic-setups', (model): AlembicSetup[] => {
  const files = pyAlembicFiles(model);
  const configs: { file: string; scriptDir: string; line?: number; url?: { value: string; line: number } }[] = [];
  for (const file of model.read('**/*.ini')) {
    const text = model.text(file) ?? '';
    const sections = [...text.matchAll(/^\s*\[([^\]\n]+)\]/gm)].map((m) => m[1]!.trim());
    const base = dirOf(file);
    // `[alembic]`, plus named sections of a multi-database setup (`alembic --name tenant`).
    const found: { sec: Map<string, string>; loc?: string }[] = [];
    for (const name of sections) {
      const sec = iniSection(text, name);
      const loc = sec.get('script_location');
      if (loc) found.push({ sec, loc });
    }
    if (!found.length) {
      // Without script_location the ini sits in its script folder (Flask-Migrate's migrations/alembic.ini).
      if (!file.endsWith('alembic.ini') || !sections.includes('alembic') || !model.exists(joinPath(base, 'env.py'))) continue;
      found.push({ sec: iniSection(text, 'alembic') });
    }
    for (const { sec, loc } of found) {
      const rel = (loc ?? '.').replace(/%\(here\)s\/?/g, '').replace(/^\.\/?/, '');
      const scriptDir = rel.includes(':') ? packageFolder(model, rel) : joinPath(base, rel);
      if (scriptDir === undefined) continue;
      const c: (typeof configs)[number] = { file, scriptDir: scriptDir.replace(/\/$/, '') };
      if (loc) c.line = lineOfValue(text, loc);
      const url = sec.get('sqlalchemy.url') ?? iniSection(text, 'alembic').get('sqlalchemy.url');
      if (url) c.url = { value: url, line: keyLine(text, 'sqlalchemy.url') };
      configs.push(c);
    }
  }
  for (const file of model.read('**/pyproject.toml')) {
    const text = model.text(file) ?? '';
    if (!text.includes('tool.alembic')) continue;
    try {
      const doc = parseToml(text) as { tool?: { alembic?: { script_location?: unknown } } };
      const loc = doc.tool?.alembic?.script_location;
      if (typeof loc === 'string') configs.push({ file, scriptDir: joinPath(dirOf(file), loc.replace(/%\(here\)s\/?/g, '')), line: keyLine(text, 'script_location') });
    } catch {
      model.parseNotice(file, 'pyproject.toml did not parse as TOML; its [tool.alembic] section was not read');
    }
  }
  // Script folders without a config: an env.py that is an Alembic environment.
  const dirs = new Set(configs.map((c) => c.scriptDir));
  for (const [file, f] of files) {
    if (f.env && !dirs.has(dirOf(file))) {
      dirs.add(dirOf(file));
      configs.push({ file: '', scriptDir: dirOf(file) });
    }
  }
  // Revision files outside every known script folder: their `versions/` parent is a script folder too.
  for (const [file, f] of files) {
    if (!f.revision) continue;
    const dir = dirOf(file);
    if (!/(^|\/)versions$/.test(dir)) continue;
    const scriptDir = dirOf(dir);
    if (!dirs.has(scriptDir)) {
      dirs.add(scriptDir);
      configs.push({ file: '', scriptDir });
    }
  }
  const out: AlembicSetup[] = [];
  for (const c of configs) {
    const versionsDir = joinPath(c.scriptDir, 'versions');
    const revisions: AlembicRevision[] = [];
    for (const [file, f] of files) {
      if (!file.startsWith(`${versionsDir}/`) || !f.revision) continue;
      revisions.push({ file, revision: f.revision.id, down: f.revision.down, line: f.revision.line, downLine: f.revision.downLine, ops: f.ops });
    }
    const ids = new Set(revisions.map((r) => r.revision));
    const parents = new Set(revisions.flatMap((r) => r.down));
    const envPy = joinPath(c.scriptDir, 'env.py');
    const setup: AlembicSetup = {
      scriptDir: c.scriptDir,
      scriptDirExists: model.dirExists(c.scriptDir),
      versionsDir,
      revisions,
      heads: revisions.filter((r) => !parents.has(r.revision)),
      missingParents: revisions.flatMap((r) => r.down.filter((p) => !ids.has(p)).map((parent) => ({ revision: r, parent }))),
    };
    if (c.file) setup.config = c.file;
    if (c.url) setup.url = c.url;
    if (c.line) setup.scriptLocationLine = c.line;
    if (model.exists(envPy)) {
      setup.envPy = envPy;
      const env = files.get(envPy)?.env;
      if (env) setup.env = env;
    }
    out.push(setup);
  }
  return out;
});

/** Revisions in the order `alembic upgrade head` applies them (parents first; ties by file). */
export function revisionOrder(revisions: readonly AlembicRevision[]): AlembicRevision[] {
  const byId = new Map(revisions.map((r) => [r.revision, r]));
  const done = new Set<string>();
  const out: AlembicRevision[] = [];
  const visit = (r: AlembicRevision, depth: number): void => {
    if (done.has(r.revision) || depth > 10_000) return;
    done.add(r.revision);
    for (const p of r.down) {
      const parent = byId.get(p);
      if (parent) visit(parent, depth + 1);
    }
    out.push(r);
  };
  for (const r of [...revisions].sort((a, b) => (a.file < b.file ? -1 : 1))) visit(r, 0);
  return out;
}

/** Where the migrations the model read come from. */
export interface MigrationSources {
  schema: MigratedSchema;
  /** SQL files and Alembic revision files that define at least one table. */
  files: string[];
  kinds: ('sql' | 'alembic')[];
}

/** The schema after every SQL migration (natural file order) and every Alembic revision (chain order). */
export const migratedSchema = defineFacts('migrated-schema', (model): MigrationSources => {
  const ops: SchemaOp[] = [];
  const kinds = new Set<'sql' | 'alembic'>();
  const files = new Set<string>();
  for (const f of model.get(sqlMigrations)) {
    ops.push(...f.ops);
    kinds.add('sql');
    files.add(f.file);
  }
  for (const s of model.get(alembicSetups)) {
    for (const r of revisionOrder(s.revisions)) {
      if (!r.ops.length) continue;
      ops.push(...r.ops);
      kinds.add('alembic');
      files.add(r.file);
    }
  }
  return { schema: applyOps(ops), files: [...files], kinds: [...kinds] };
});
