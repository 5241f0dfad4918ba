import { defineFacts, type ProjectModel } from '../project.js';
import type { ColumnDef, ColumnFamily } from '../sql/types.js';
import { normaliseTable } from '../sql/types.js';
import { definePyExtractor, pyFacts } from './files.js';
import type { PyNode } from './parse.js';
import {
  argAt,
  assignmentOf,
  callArgs,
  callName,
  classBases,
  dottedName,
  lastName,
  lineOf,
  literalValue,
  statements,
  stringValue,
  unwrapDecorated,
  nodesOfType,
  forEachStatement,
} from './pyast.js';

/**
 * ORM models: SQLAlchemy declarative classes (`Column`, 2.0 `Mapped[]`/`mapped_column`),
 * Flask-SQLAlchemy `db.Model`, SQLModel `table=True`, and Core `Table(...)`; plus the engines the
 * code creates and whether it calls `metadata.create_all`.
 */

const SA_FAMILIES: [RegExp, ColumnFamily][] = [
  [/^(Integer|BigInteger|SmallInteger|INTEGER|BIGINT|SMALLINT|INT|Identity)$/, 'integer'],
  [/^(UUID|Uuid|GUID|UUIDType)$/, 'uuid'],
  [/^(String|VARCHAR|CHAR|NVARCHAR|NCHAR|Unicode|Text|TEXT|UnicodeText|CITEXT|AutoString|CLOB|EmailType|URLType)$/, 'string'],
  [/^(Numeric|DECIMAL|NUMERIC|Float|FLOAT|REAL|Double|DOUBLE|DOUBLE_PRECISION|Money)$/, 'numeric'],
  [/^(Boolean|BOOLEAN)$/, 'boolean'],
  [/^(DateTime|TIMESTAMP|DATETIME|ArrowType)$/, 'datetime'],
  [/^(Date|DATE)$/, 'date'],
  [/^(Time|TIME)$/, 'time'],
  [/^(Interval|INTERVAL)$/, 'interval'],
  [/^(JSON|JSONB|JSONType)$/, 'json'],
  [/^(LargeBinary|BYTEA|BLOB|BINARY|VARBINARY|PickleType)$/, 'binary'],
  [/^(Enum|ENUM|ChoiceType)$/, 'enum'],
  [/^(ARRAY|Array)$/, 'array'],
];

/** Family of an SQLAlchemy type expression (`sa.Integer()`, `String(200)`, `postgresql.UUID(as_uuid=True)`). */
export function saTypeFamily(n: PyNode | undefined): ColumnFamily {
  if (!n) return 'unknown';
  const name = n.type === 'call' ? callName(n) : dottedName(n);
  if (!name) return 'unknown';
  const last = lastName(name);
  for (const [re, f] of SA_FAMILIES) if (re.test(last)) return f;
  return 'unknown';
}

const PY_FAMILIES: [RegExp, ColumnFamily][] = [
  [/^int$/, 'integer'],
  [/^(uuid\.)?UUID$/, 'uuid'],
  [/^str$/, 'string'],
  [/^(float|(decimal\.)?Decimal)$/, 'numeric'],
  [/^bool$/, 'boolean'],
  [/^(datetime\.)?datetime$/, 'datetime'],
  [/^(datetime\.)?date$/, 'date'],
  [/^(datetime\.)?time$/, 'time'],
  [/^(datetime\.)?timedelta$/, 'interval'],
  [/^(dict|Dict\[.*\]|dict\[.*\])$/, 'json'],
  [/^bytes$/, 'binary'],
];

/** Strips `Optional[...]`, `X | None`, `Union[X, None]`; tells whether None was allowed. */
export function unwrapOptional(t: string): { inner: string; optional: boolean } {
  let s = t.trim().replace(/^["']|["']$/g, '');
  let optional = false;
  const opt = /^(typing\.)?Optional\[(.*)\]$/.exec(s);
  if (opt) return { inner: opt[2]!.trim(), optional: true };
  const union = /^(typing\.)?Union\[(.*)\]$/.exec(s);
  if (union) {
    const parts = union[2]!.split(',').map((p) => p.trim());
    if (parts.includes('None')) {
      optional = true;
      s = parts.filter((p) => p !== 'None').join(' | ');
    }
  }
  const pipes = s.split('|').map((p) => p.trim());
  if (pipes.includes('None')) {
    optional = true;
    s = pipes.filter((p) => p !== 'None').join(' | ');
  }
  return { inner: s, optional };
}

function pyFamily(t: string): ColumnFamily {
  for (const [re, f] of PY_FAMILIES) if (re.test(t)) return f;
  return 'unknown';
}

/** A column read from `Column(...)`, `mapped_column(...)`, SQLModel `Field(...)` or an annotation. */
export interface OrmColumn extends ColumnDef {
  /** The Python attribute name (may differ from the database name). */
  attr: string;
  /** `ForeignKey("users.id")` target. */
  foreignKey?: string;
}

const COLUMN_CALLS = /^(Column|mapped_column)$/;

/**
 * Reads `Column("name", Type, ForeignKey(...), primary_key=True, nullable=False)`. The database
 * name is the first string argument when given, else `attr`. Returns undefined when `call` is
 * not a column constructor.
 */
export function readColumnCall(call: PyNode, attr: string, file: string): OrmColumn | undefined {
  const fn = callName(call);
  if (!fn || !COLUMN_CALLS.test(lastName(fn))) return undefined;
  const args = callArgs(call);
  let name = attr;
  let typeNode: PyNode | undefined;
  let fk: string | undefined;
  for (const [i, a] of args.positional.entries()) {
    const s = stringValue(a);
    if (i === 0 && s !== undefined) {
      name = s;
      continue;
    }
    if (a.type === 'call') {
      const cn = lastName(callName(a) ?? '');
      if (cn === 'ForeignKey') {
        fk = stringValue(callArgs(a).positional[0]) ?? dottedName(callArgs(a).positional[0]);
        continue;
      }
      if (cn === 'Sequence' || cn === 'Identity' || cn === 'Computed' || cn === 'CheckConstraint') continue;
    }
    typeNode ??= a;
  }
  typeNode ??= args.keywords.get('type_');
  const pkNode = args.keywords.get('primary_key');
  const pk = literalValue(pkNode) === true;
  const col: OrmColumn = {
    attr,
    name,
    type: typeNode?.text.slice(0, 80) ?? '',
    family: saTypeFamily(typeNode),
    primaryKey: pk,
    hasDefault: args.keywords.has('default') || args.keywords.has('server_default') || args.keywords.has('insert_default') || (pk && literalValue(args.keywords.get('autoincrement')) !== false),
    file,
    line: lineOf(call),
  };
  const nullable = literalValue(args.keywords.get('nullable'));
  if (typeof nullable === 'boolean') col.nullable = nullable;
  else if (pk) col.nullable = false;
  if (fk) col.foreignKey = fk;
  return col;
}

export interface OrmClass {
  name: string;
  line: number;
  bases: string[];
  /** `__tablename__` when a literal; undefined when absent, `null` when computed. */
  tablename?: string | null;
  abstract: boolean;
  /** `class X(SQLModel, table=True)`. */
  sqlmodelTable: boolean;
  columns: OrmColumn[];
  /**
   * Plain annotated fields (`name: str`, `id: int | None = Field(primary_key=True)`): columns when
   * the class is, or feeds, an SQLModel table.
   */
  annotated: OrmColumn[];
  /** Attributes the model could not read as columns or relationships (custom descriptors). */
  unreadable: number;
}

export interface CoreTable {
  name: string;
  line: number;
  columns: OrmColumn[];
}

/** An engine the code creates: `create_async_engine(settings.DATABASE_URL)`. */
export interface EngineCall {
  fn: 'create_engine' | 'create_async_engine' | 'engine_from_config' | 'async_engine_from_config';
  line: number;
  /** The URL argument: a literal, or the expression as written. */
  url?: { literal?: string; expr?: string };
}

export interface PyOrmFile {
  classes: OrmClass[];
  tables: CoreTable[];
  /** Names bound to `declarative_base()` / `registry().generate_base()` / `SQLAlchemy()`. */
  declarativeBases: string[];
  /** Names bound to Flask-SQLAlchemy's base: `Model = db.Model`. */
  modelAliases: string[];
  /** Lines calling `metadata.create_all` / `db.create_all()` / `SQLModel.metadata.create_all`. */
  createAll: number[];
  engines: EngineCall[];
}

const CALL_HINT = /create_all|create_engine|create_async_engine|engine_from_config|Table\(/;

const ORM_HINT = /sqlalchemy|sqlmodel|Column|mapped_column|create_engine|create_async_engine|engine_from_config|\.Model\b|create_all/;

function readMappedAnnotation(typeText: string): { inner: string; optional: boolean } | undefined {
  const m = /^(?:\w+\.)*Mapped\[(.*)\]$/s.exec(typeText.trim());
  if (!m) return undefined;
  return unwrapOptional(m[1]!);
}

function readOrmClass(cls: PyNode, file: string): OrmClass | undefined {
  const name = cls.childForFieldName('name')?.text;
  if (!name) return undefined;
  const { bases, keywords } = classBases(cls);
  const out: OrmClass = { name, line: lineOf(cls), bases, abstract: false, sqlmodelTable: literalValue(keywords.get('table')) === true, columns: [], annotated: [], unreadable: 0 };
  for (const raw of statements(cls.childForFieldName('body'))) {
    const { def } = unwrapDecorated(raw);
    if (raw.type === 'decorated_definition' && def.type === 'function_definition') {
      // @declared_attr def __tablename__(cls): computed name.
      if (def.childForFieldName('name')?.text === '__tablename__') out.tablename = null;
      continue;
    }
    const a = assignmentOf(def);
    if (!a) continue;
    const left = a.childForFieldName('left');
    if (left?.type !== 'identifier') continue;
    const attr = left.text;
    const right = a.childForFieldName('right');
    const typeText = a.childForFieldName('type')?.text;
    if (attr === '__tablename__') {
      const v = stringValue(right);
      out.tablename = v ?? null;
      continue;
    }
    if (attr === '__abstract__') {
      out.abstract = literalValue(right) === true;
      continue;
    }
    if (attr.startsWith('__')) continue;
    const rfn = right?.type === 'call' ? lastName(callName(right) ?? '') : '';
    if (/^(relationship|Relationship|relation|backref|association_proxy|column_property|synonym|hybrid_property|query_property|deferred)$/.test(rfn)) {
      if (rfn === 'deferred' && right) {
        const inner = callArgs(right).positional[0];
        const col = inner?.type === 'call' ? readColumnCall(inner, attr, file) : undefined;
        if (col) out.columns.push(col);
      }
      continue;
    }
    const mapped = typeText ? readMappedAnnotation(typeText) : undefined;
    if (right?.type === 'call' && COLUMN_CALLS.test(rfn)) {
      const col = readColumnCall(right, attr, file);
      if (!col) continue;
      if (mapped) {
        if (col.family === 'unknown' && !col.type) {
          col.family = pyFamily(mapped.inner);
          col.type = mapped.inner;
        }
        if (col.nullable === undefined) col.nullable = col.primaryKey ? false : mapped.optional;
      }
      out.columns.push(col);
      continue;
    }
    if (mapped && !right) {
      // `name: Mapped[str]` alone is a NOT NULL column in 2.0 declarative (unless it is a relationship type).
      if (/^(List|list|Set|set)\[|^["']/.test(mapped.inner) || /^[A-Z]\w*$/.test(mapped.inner) && pyFamily(mapped.inner) === 'unknown') continue;
      out.columns.push({ attr, name: attr, type: mapped.inner, family: pyFamily(mapped.inner), primaryKey: false, nullable: mapped.optional, hasDefault: false, file, line: lineOf(a) });
      continue;
    }
    if (typeText) {
      // SQLModel: `id: int | None = Field(default=None, primary_key=True)`, `name: str`.
      const { inner, optional } = unwrapOptional(typeText);
      if (/^(ClassVar|List|list)\b/.test(inner)) continue;
      let pk = false;
      let hasDefault = right !== null && right !== undefined;
      const dbName = attr;
      let family = pyFamily(inner);
      let type = inner;
      let fk: string | undefined;
      let nullable: boolean | undefined = optional;
      if (right?.type === 'call' && rfn === 'Field') {
        const args = callArgs(right);
        const saCol = args.keywords.get('sa_column');
        if (saCol?.type === 'call') {
          const col = readColumnCall(saCol, attr, file);
          if (col) {
            out.annotated.push(col);
            continue;
          }
        }
        pk = literalValue(args.keywords.get('primary_key')) === true;
        const sat = args.keywords.get('sa_type');
        if (sat) {
          family = saTypeFamily(sat);
          type = sat.text;
        }
        const n = literalValue(args.keywords.get('nullable'));
        if (typeof n === 'boolean') nullable = n;
        const fkv = stringValue(args.keywords.get('foreign_key'));
        if (fkv) fk = fkv;
        hasDefault = args.keywords.has('default') || args.keywords.has('default_factory') || pk || argAt(args, 'default', 0) !== undefined;
      }
      if (pk) nullable = false;
      const col: OrmColumn = { attr, name: dbName, type, family, primaryKey: pk, nullable, hasDefault, file, line: lineOf(a) };
      if (fk) col.foreignKey = fk;
      out.annotated.push(col);
      continue;
    }
    if (right?.type === 'call' && /Column$/i.test(rfn)) out.unreadable++;
  }
  return out;
}

function readCoreTable(call: PyNode, file: string): CoreTable | undefined {
  const args = callArgs(call);
  const name = stringValue(args.positional[0]);
  if (!name) return undefined;
  const columns: OrmColumn[] = [];
  for (const a of args.positional.slice(1)) {
    if (a.type !== 'call') continue;
    const c = readColumnCall(a, '', file);
    if (c && c.name) columns.push(c);
  }
  return { name, line: lineOf(call), columns };
}

function urlArg(call: PyNode): EngineCall['url'] {
  const args = callArgs(call);
  const n = argAt(args, 'url', 0);
  if (!n) return undefined;
  const lit = stringValue(n);
  return lit !== undefined ? { literal: lit } : { expr: n.text.slice(0, 200) };
}

export const pyOrmExtractor = definePyExtractor<PyOrmFile>('python-orm', (root, ctx) => {
  const out: PyOrmFile = { classes: [], tables: [], declarativeBases: [], modelAliases: [], createAll: [], engines: [] };
  if (!ORM_HINT.test(ctx.source)) return out;
  forEachStatement(
    root,
    (st) => {
      const def = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
      if (def?.type === 'class_definition') {
        const c = readOrmClass(def, ctx.path);
        if (c && (c.columns.length || c.tablename !== undefined || c.sqlmodelTable || c.bases.length)) {
          // Annotated fields matter only for SQLModel hierarchies; keep memory small elsewhere.
          if (!/sqlmodel|SQLModel/.test(ctx.source)) c.annotated = [];
          out.classes.push(c);
        }
        return;
      }
      const a = assignmentOf(st);
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      if (left?.type === 'identifier' && right?.type === 'call') {
        const fn = lastName(callName(right) ?? '');
        if (fn === 'declarative_base' || fn === 'generate_base' || fn === 'SQLAlchemy' || fn === 'automap_base') out.declarativeBases.push(left.text);
      } else if (left?.type === 'identifier' && right?.type === 'attribute' && /^\w+\.Model$/.test(right.text)) {
        // `Model = db.Model`: an alias of Flask-SQLAlchemy's base.
        out.modelAliases.push(left.text);
      }
    },
    { classes: true },
  );
  if (!CALL_HINT.test(ctx.source)) return out;
  for (const n of nodesOfType(root, ['call'])) {
    const fn = callName(n) ?? '';
    const last = lastName(fn);
    if (last === 'create_all' && /(metadata\.create_all|^db\.create_all|\.create_all)$/.test(fn)) out.createAll.push(lineOf(n));
    else if (last === 'run_sync') {
      // `await conn.run_sync(Base.metadata.create_all)`
      if (/create_all/.test(n.text)) out.createAll.push(lineOf(n));
    } else if (last === 'create_engine' || last === 'create_async_engine' || last === 'engine_from_config' || last === 'async_engine_from_config') {
      const e: EngineCall = { fn: last, line: lineOf(n) };
      const u = last.endsWith('from_config') ? undefined : urlArg(n);
      if (u) e.url = u;
      out.engines.push(e);
    } else if (last === 'Table' && n.parent?.type === 'assignment') {
      const t = readCoreTable(n, ctx.path);
      if (t) out.tables.push(t);
    }
  }
  return out;
});

export function pyOrmFiles(model: ProjectModel): Map<string, PyOrmFile> {
  return pyFacts(model, pyOrmExtractor);
}

/** A mapped table with its columns (inherited mixin columns included). */
export interface OrmTable {
  name: string;
  className: string;
  file: string;
  line: number;
  columns: OrmColumn[];
  /** Some base class could not be read, so columns may be missing from the list. */
  incomplete: boolean;
  /** Flask-SQLAlchemy or SQLModel derived the name from the class name. */
  derivedName: boolean;
}

/** Flask-SQLAlchemy 3's `camel_to_snake_case`: `UserProfile` → `user_profile`. */
export function camelToSnake(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z\d]+)/g, '$1_$2')
    .toLowerCase();
}

/** Alembic revisions, env.py and Django migrations. */
const MIGRATION_SCRIPT = /(^|\/)(versions|migrations|alembic)\/([^/]+\/)*[^/]+\.py$|(^|\/)env\.py$/;

const ROOT_BASES = /^(DeclarativeBase|DeclarativeBaseNoMeta|AsyncAttrs|MappedAsDataclass|SQLModel|object|Generic)$/;

export const ormTables = defineFacts('python-orm-tables', (model): OrmTable[] => {
  const files = pyOrmFiles(model);
  const classes = new Map<string, { cls: OrmClass; file: string }[]>();
  const bases = new Set<string>();
  const flaskAliases = new Set<string>();
  for (const [file, f] of files) {
    // Models written inside migration scripts are snapshots for data migrations, not the app's models.
    if (MIGRATION_SCRIPT.test(file)) continue;
    for (const c of f.classes) classes.set(c.name, [...(classes.get(c.name) ?? []), { cls: c, file }]);
    for (const b of f.declarativeBases) bases.add(b);
    for (const b of f.modelAliases) flaskAliases.add(b);
  }
  // Classes subclassing DeclarativeBase directly are declarative roots too.
  for (const list of classes.values()) for (const { cls } of list) if (cls.bases.some((b) => /(^|\.)(DeclarativeBase|DeclarativeBaseNoMeta)$/.test(b))) bases.add(cls.name);

  type Verdict = { mapped: boolean; flask: boolean; sqlmodel: boolean };
  const memo = new Map<OrmClass, Verdict>();
  const verdict = (c: OrmClass, depth = 0): Verdict => {
    const m = memo.get(c);
    if (m) return m;
    const v: Verdict = { mapped: false, flask: false, sqlmodel: c.sqlmodelTable };
    memo.set(c, v);
    if (depth > 20) return v;
    for (const b of c.bases) {
      const last = lastName(b);
      if (bases.has(b) || bases.has(last)) v.mapped = true;
      else if ((/(^|\.)Model$/.test(b) && b !== 'Model' && b.split('.').length === 2) || flaskAliases.has(b)) {
        v.mapped = true;
        v.flask = true;
      } else if (last === 'SQLModel' && c.sqlmodelTable) v.mapped = true;
      else
        for (const p of classes.get(last) ?? []) {
          if (p.cls === c) continue;
          const pv = verdict(p.cls, depth + 1);
          if (pv.mapped) {
            v.mapped = true;
            v.flask ||= pv.flask;
          }
          if (pv.sqlmodel) v.sqlmodel = true;
        }
    }
    if (v.sqlmodel && c.sqlmodelTable) v.mapped = true;
    return v;
  };

  /** Columns of non-table ancestors (mixins, abstract bases, SQLModel base schemas). */
  const inherited = (c: OrmClass, seen: Set<OrmClass>, sqlmodel: boolean): { columns: OrmColumn[]; incomplete: boolean } => {
    const columns: OrmColumn[] = [];
    let incomplete = false;
    for (const b of c.bases) {
      const last = lastName(b);
      if (bases.has(b) || bases.has(last) || ROOT_BASES.test(last) || /(^|\.)Model$/.test(b)) continue;
      const parents = classes.get(last);
      if (!parents) {
        // A base from outside the repo (a library mixin) may add columns.
        if (!/^(ABC|Protocol|Enum|str|int|Base\w*Model|BaseModel)$/.test(last)) incomplete = true;
        continue;
      }
      for (const p of parents) {
        if (seen.has(p.cls)) continue;
        seen.add(p.cls);
        const up = inherited(p.cls, seen, sqlmodel);
        columns.push(...up.columns, ...(sqlmodel ? p.cls.annotated : []), ...p.cls.columns);
        incomplete ||= up.incomplete || p.cls.unreadable > 0;
      }
    }
    return { columns, incomplete };
  };

  const out: OrmTable[] = [];
  for (const list of classes.values()) {
    for (const { cls, file } of list) {
      if (cls.abstract || cls.tablename === null) continue;
      const v = verdict(cls);
      if (!v.mapped) continue;
      const sqlmodel = v.sqlmodel && cls.sqlmodelTable;
      const up = inherited(cls, new Set([cls]), sqlmodel);
      const cols = new Map<string, OrmColumn>();
      for (const c of [...up.columns, ...(sqlmodel ? cls.annotated : []), ...cls.columns]) cols.set(c.attr || c.name, c);
      const columns = [...cols.values()];
      let name = cls.tablename;
      let derived = false;
      if (name === undefined) {
        // Flask-SQLAlchemy names a model with a primary key; SQLModel uses the lower-cased class name.
        if (v.sqlmodel && cls.sqlmodelTable) name = cls.name.toLowerCase();
        else if (v.flask && columns.some((c) => c.primaryKey)) name = camelToSnake(cls.name);
        else continue; // single-table inheritance or a plain base
        derived = true;
      }
      // Joined-table inheritance: a mapped parent table's columns live in the parent's table.
      out.push({ name: normaliseTable(name), className: cls.name, file, line: cls.line, columns, incomplete: up.incomplete || cls.unreadable > 0, derivedName: derived });
    }
  }
  for (const [file, f] of files) {
    if (MIGRATION_SCRIPT.test(file)) continue;
    for (const t of f.tables) out.push({ name: normaliseTable(t.name), className: t.name, file, line: t.line, columns: t.columns, incomplete: false, derivedName: false });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
});
