import { registerEnvReadSource, type EnvRead } from '../env-reads.js';
import { defineFacts, type ProjectModel } from '../project.js';
import { definePyExtractor, pyFacts } from './files.js';
import type { PyNode } from './parse.js';
import {
  argAt,
  assignmentOf,
  callArgs,
  callName,
  classBases,
  dottedName,
  isTestPath,
  lastName,
  lineOf,
  literalValue,
  statements,
  stringValue,
  unwrapDecorated,
  walk,
  nodesOfType,
  forEachStatement,
  type PyLiteral,
} from './pyast.js';

/**
 * Configuration the Python code reads: pydantic `BaseSettings` classes (v1 and pydantic-settings
 * v2), direct environment reads (`os.getenv`, `os.environ[...]`, python-decouple, django-environ)
 * and Django settings modules. Every read is registered into the cross-language env-read registry.
 */

/** One field of a settings class. */
export interface SettingsField {
  name: string;
  line: number;
  /** The annotation as written (`str`, `Optional[int]`). */
  type?: string;
  /** True when the class supplies a value (literal, `Field(default=...)`, factory, v1 Optional). */
  hasDefault: boolean;
  /** The literal default, as text (`"redis://localhost"` → `redis://localhost`, `True` → `true`). */
  defaultValue?: string;
  /** Explicit environment names (`Field(alias=)`, `validation_alias=`, v1 `env=`); empty when derived from the name. */
  aliases: string[];
}

export interface SettingsClass {
  name: string;
  file: string;
  line: number;
  bases: string[];
  /** Where `BaseSettings` came from in this file: pydantic 1's or pydantic-settings'. */
  flavour: 'pydantic-v1' | 'pydantic-settings' | 'unknown';
  /** `env_prefix` from `class Config` or `model_config`, when a literal. */
  envPrefix?: string;
  caseSensitive?: boolean;
  fields: SettingsField[];
  /** Fields a validator refuses (the validator body raises). */
  guardedFields: string[];
  /** Fields any validator may rewrite (`@field_validator("database_url")`). */
  validatedFields: string[];
  /** `@property` / `@computed_field` names. */
  properties: string[];
}

/** A direct environment read in code. */
export interface RawEnvRead {
  name: string;
  line: number;
  hasDefault: boolean;
  defaultValue?: string;
  /** `os.getenv`, `os.environ[]`, `os.environ.get`, `decouple.config`, `environ.Env`. */
  via: string;
  /** True for forms that raise when the variable is missing (`os.environ["X"]`, decouple without default). */
  raises: boolean;
  scope: 'module' | 'function';
}

/** A module-level `NAME = value` in a Django settings module. */
export interface DjangoSetting {
  name: string;
  line: number;
  value?: PyLiteral;
  /** The right-hand side as written (first 200 characters). */
  text: string;
  /** The value comes from an env read on that line. */
  fromEnv: boolean;
}

export interface PySettingsFile {
  classes: SettingsClass[];
  reads: RawEnvRead[];
  /** Set for files that look like Django settings modules. */
  django?: DjangoSetting[];
  /** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")` values. */
  djangoSettingsModule: { value: string; line: number }[];
  /** Names bound at module level to an instance of a local class: `settings = Settings()`. */
  instances: { name: string; className: string; line: number }[];
}

const PLACEHOLDER_NONE = undefined;

function literalText(v: PyLiteral | undefined): string | undefined {
  if (v === undefined || v === null) return PLACEHOLDER_NONE;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

function isOptionalType(t: string | undefined): boolean {
  if (!t) return false;
  return /^Optional\[/.test(t) || /\|\s*None\b|\bNone\s*\|/.test(t) || /^Union\[.*\bNone\b.*\]$/.test(t);
}

/** Names an alias expression provides: a string, `AliasChoices("A", "B")`; AliasPath is nested JSON, not a variable. */
function aliasNames(n: PyNode | undefined): string[] {
  if (!n) return [];
  const s = stringValue(n);
  if (s !== undefined) return [s];
  if (n.type === 'call' && lastName(callName(n) ?? '') === 'AliasChoices') {
    return callArgs(n).positional.flatMap((a) => {
      const v = stringValue(a);
      return v !== undefined ? [v] : [];
    });
  }
  const lit = literalValue(n);
  if (Array.isArray(lit)) return lit.filter((x): x is string => typeof x === 'string');
  return [];
}

interface ClassConfig {
  envPrefix?: string;
  caseSensitive?: boolean;
}

function readConfigCall(n: PyNode, out: ClassConfig): void {
  // model_config = SettingsConfigDict(env_prefix="APP_") or a dict literal.
  if (n.type === 'call') {
    const args = callArgs(n);
    const p = stringValue(args.keywords.get('env_prefix'));
    if (p !== undefined) out.envPrefix = p;
    const cs = literalValue(args.keywords.get('case_sensitive'));
    if (typeof cs === 'boolean') out.caseSensitive = cs;
  } else if (n.type === 'dictionary') {
    for (const pair of n.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const k = stringValue(pair.childForFieldName('key'));
      const v = pair.childForFieldName('value');
      if (k === 'env_prefix') {
        const p = stringValue(v);
        if (p !== undefined) out.envPrefix = p;
      } else if (k === 'case_sensitive') {
        const cs = literalValue(v);
        if (typeof cs === 'boolean') out.caseSensitive = cs;
      }
    }
  }
}

function readFieldDefault(value: PyNode, field: SettingsField, flavour: SettingsClass['flavour']): void {
  if (value.type === 'ellipsis') return; // required
  const name = value.type === 'call' ? lastName(callName(value) ?? '') : '';
  if (name === 'Field') {
    const args = callArgs(value);
    const d = argAt(args, 'default', 0);
    if (d && d.type !== 'ellipsis') {
      field.hasDefault = true;
      const t = literalText(literalValue(d));
      if (t !== undefined) field.defaultValue = t;
    }
    if (args.keywords.has('default_factory')) field.hasDefault = true;
    const aliases = [
      ...aliasNames(args.keywords.get('validation_alias')),
      ...aliasNames(args.keywords.get('alias')),
      // pydantic 1 reads `env=`; pydantic-settings 2 ignores it (the prefixed field name applies).
      ...(flavour !== 'pydantic-settings' ? aliasNames(args.keywords.get('env')) : []),
    ];
    // pydantic 1 ignores `alias` for the environment name (it warns); only `env` counts there.
    field.aliases = flavour === 'pydantic-v1' ? aliasNames(args.keywords.get('env')) : [...new Set(aliases)];
    return;
  }
  field.hasDefault = true;
  const t = literalText(literalValue(value));
  if (t !== undefined) field.defaultValue = t;
}

/** Field names a validator mentions: decorator string arguments, or attribute uses in a model validator. */
function validatorInfo(def: PyNode, decorators: PyNode[]): { fields: string[]; all: boolean; raises: boolean } | undefined {
  let fields: string[] = [];
  let all = false;
  let isValidator = false;
  for (const d of decorators) {
    const name = lastName((d.type === 'call' ? callName(d) : dottedName(d)) ?? '');
    if (name === 'validator' || name === 'field_validator') {
      isValidator = true;
      if (d.type === 'call') {
        for (const a of callArgs(d).positional) {
          const s = stringValue(a);
          if (s === '*') all = true;
          else if (s !== undefined) fields.push(s);
        }
      }
    } else if (name === 'model_validator' || name === 'root_validator') {
      isValidator = true;
      all = true;
    }
  }
  if (!isValidator) return undefined;
  let raises = false;
  const attrs = new Set<string>();
  const body = def.childForFieldName('body');
  if (body) {
    walk(body, (n) => {
      if (n.type === 'raise_statement') raises = true;
      else if (n.type === 'attribute') {
        const a = n.childForFieldName('attribute');
        if (a) attrs.add(a.text);
      } else if (n.type === 'string') {
        const s = stringValue(n);
        if (s) attrs.add(s);
      }
    }, VALIDATOR_NODES);
  }
  if (all) fields = [...attrs];
  return { fields, all, raises };
}

function readSettingsClass(cls: PyNode, file: string, flavour: SettingsClass['flavour'], full: boolean): SettingsClass | undefined {
  const name = cls.childForFieldName('name')?.text;
  if (!name) return undefined;
  const { bases } = classBases(cls);
  const out: SettingsClass = {
    name,
    file,
    line: lineOf(cls),
    bases,
    flavour,
    fields: [],
    guardedFields: [],
    validatedFields: [],
    properties: [],
  };
  // Name and bases are enough for classes in files that never mention settings: they only link hierarchies.
  if (!full) return out;
  const cfg: ClassConfig = {};
  for (const raw of statements(cls.childForFieldName('body'))) {
    const { def, decorators } = unwrapDecorated(raw);
    if (def.type === 'class_definition' && def.childForFieldName('name')?.text === 'Config') {
      for (const s of statements(def.childForFieldName('body'))) {
        const a = assignmentOf(s);
        const key = a?.childForFieldName('left')?.text;
        const right = a?.childForFieldName('right');
        if (key === 'env_prefix') {
          const p = stringValue(right);
          if (p !== undefined) cfg.envPrefix = p;
        } else if (key === 'case_sensitive') {
          const cs = literalValue(right);
          if (typeof cs === 'boolean') cfg.caseSensitive = cs;
        }
      }
      continue;
    }
    if (def.type === 'function_definition') {
      const fname = def.childForFieldName('name')?.text ?? '';
      const decoNames = decorators.map((d) => lastName((d.type === 'call' ? callName(d) : dottedName(d)) ?? ''));
      if (decoNames.includes('property') || decoNames.includes('computed_field') || decoNames.includes('cached_property')) out.properties.push(fname);
      const v = validatorInfo(def, decorators);
      if (v) {
        out.validatedFields.push(...v.fields);
        if (v.raises) out.guardedFields.push(...v.fields);
      }
      continue;
    }
    const a = assignmentOf(def);
    if (!a) continue;
    const left = a.childForFieldName('left');
    if (left?.type !== 'identifier') continue;
    const fname = left.text;
    const right = a.childForFieldName('right');
    if (fname === 'model_config') {
      if (right) readConfigCall(right, cfg);
      continue;
    }
    const typeNode = a.childForFieldName('type');
    // Only annotated names are fields (pydantic ignores bare assignments without annotation in v2).
    if (!typeNode) continue;
    const type = typeNode.text;
    if (fname.startsWith('_') || /^ClassVar\b/.test(type)) continue;
    const field: SettingsField = { name: fname, line: lineOf(a), type, hasDefault: false, aliases: [] };
    if (right) readFieldDefault(right, field, flavour);
    else if (flavour === 'pydantic-v1' && isOptionalType(type)) field.hasDefault = true;
    out.fields.push(field);
  }
  if (cfg.envPrefix !== undefined) out.envPrefix = cfg.envPrefix;
  if (cfg.caseSensitive !== undefined) out.caseSensitive = cfg.caseSensitive;
  out.guardedFields = [...new Set(out.guardedFields)];
  out.validatedFields = [...new Set(out.validatedFields)];
  return out;
}

const VALIDATOR_NODES = new Set(['raise_statement', 'attribute', 'string']);
const ENV_NODES = ['call', 'subscript'];
const CALL_NODES = ['call'];

const GETENV = new Set(['os.getenv', 'getenv', 'os.environ.get', 'environ.get', 'os.environ.pop']);
const ENVIRON = new Set(['os.environ', 'environ']);
const ENV_METHODS = new Set(['str', 'bool', 'int', 'float', 'list', 'tuple', 'dict', 'json', 'url', 'db', 'db_url', 'cache', 'cache_url', 'email', 'email_url', 'search_url', 'path', 'parse_value']);

/** True when a subscript is written to or deleted rather than read. */
function isStore(n: PyNode): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'assignment' || p.type === 'augmented_assignment') return p.childForFieldName('left')?.id === n.id;
  if (p.type === 'delete_statement') return true;
  if (p.type === 'expression_list' || p.type === 'pattern_list') return isStore(p);
  return false;
}

function inFunction(n: PyNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return true;
  return false;
}

interface FileImports {
  /** Local names bound to `decouple.config`. */
  decouple: Set<string>;
  /** Local names bound to `environ.Env(...)` instances, with their scheme defaults. */
  djangoEnv: Map<string, Map<string, string | undefined>>;
  /** Where `BaseSettings` comes from. */
  flavour: SettingsClass['flavour'];
}

function scanImports(root: PyNode): FileImports {
  const out: FileImports = { decouple: new Set(), djangoEnv: new Map(), flavour: 'unknown' };
  // How this file spells django-environ's constructor: `environ.Env`, `<alias>.Env`, `Env`.
  const envCtors = new Set<string>();
  for (const s of statements(root)) {
    if (s.type === 'import_statement') {
      for (const item of s.childrenForFieldName('name')) {
        const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
        if (name === 'environ' && alias) envCtors.add(`${alias}.Env`);
      }
    } else if (s.type === 'import_from_statement') {
      const m = s.childForFieldName('module_name')?.text ?? '';
      if (m === 'environ') {
        for (const item of s.childrenForFieldName('name')) {
          const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
          const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
          if (name === 'Env' && alias) envCtors.add(alias);
        }
      }
    }
  }
  for (const s of statements(root)) {
    if (s.type === 'import_from_statement') {
      const mod = s.childForFieldName('module_name')?.text ?? '';
      for (const item of s.childrenForFieldName('name')) {
        const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
        if (mod === 'decouple' && name === 'config' && alias) out.decouple.add(alias);
        if (name === 'BaseSettings') {
          if (mod === 'pydantic' || mod === 'pydantic.env_settings' || mod === 'pydantic.v1') out.flavour = 'pydantic-v1';
          else if (mod.startsWith('pydantic_settings')) out.flavour = 'pydantic-settings';
        }
      }
    } else if (s.type === 'expression_statement') {
      // env = environ.Env(DEBUG=(bool, False))
      const a = assignmentOf(s);
      const right = a?.childForFieldName('right');
      const left = a?.childForFieldName('left');
      if (right?.type === 'call' && left?.type === 'identifier' && envCtors.has(callName(right) ?? '')) {
        const defaults = new Map<string, string | undefined>();
        for (const [k, v] of callArgs(right).keywords) {
          // DEBUG=(bool, False): the second item is the default.
          const items = v.type === 'tuple' ? v.namedChildren.filter((c) => c && c.type !== 'comment') : [];
          defaults.set(k, items.length > 1 ? literalText(literalValue(items[1])) : undefined);
        }
        out.djangoEnv.set(left.text, defaults);
      }
    }
  }
  if (out.flavour === 'unknown') {
    // `import pydantic_settings` / `pydantic.BaseSettings` spelled in full.
    for (const s of statements(root)) {
      if (s.type === 'import_statement' && /\bpydantic_settings\b/.test(s.text)) out.flavour = 'pydantic-settings';
    }
  }
  return out;
}

/** `os.getenv("X") or "fallback"`: the right operand is the default. */
function orFallback(call: PyNode): PyNode | undefined {
  let n: PyNode = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (p?.type !== 'boolean_operator' || p.childForFieldName('left')?.id !== n.id) return undefined;
  if (p.childForFieldName('operator')?.type !== 'or' && !/^\s*or\b/.test(p.text.slice(n.endIndex - p.startIndex))) return undefined;
  return p.childForFieldName('right') ?? undefined;
}

function readEnvCall(call: PyNode, imp: FileImports): RawEnvRead | undefined {
  const r = readEnvCallPlain(call, imp);
  if (!r || r.hasDefault) return r;
  const fallback = orFallback(call);
  if (!fallback) return r;
  const out: RawEnvRead = { ...r, hasDefault: true, raises: false };
  const t = literalText(literalValue(fallback));
  if (t !== undefined) out.defaultValue = t;
  return out;
}

function readEnvCallPlain(call: PyNode, imp: FileImports): RawEnvRead | undefined {
  const fn = callName(call);
  if (!fn) return undefined;
  const args = callArgs(call);
  const scope = inFunction(call) ? 'function' : 'module';
  if (GETENV.has(fn)) {
    const name = stringValue(args.positional[0] ?? args.keywords.get('key'));
    if (!name) return undefined;
    const d = args.positional[1] ?? args.keywords.get('default');
    const lit = d ? literalValue(d) : undefined;
    const hasDefault = d !== undefined && !(d.type === 'none');
    const out: RawEnvRead = { name, line: lineOf(call), hasDefault, via: fn.startsWith('os.') ? fn : `os.${fn}`, raises: fn === 'os.environ.pop' && !d, scope };
    const t = literalText(lit);
    if (hasDefault && t !== undefined) out.defaultValue = t;
    return out;
  }
  if (imp.decouple.has(fn)) {
    const name = stringValue(args.positional[0]);
    if (!name) return undefined;
    const d = args.keywords.get('default') ?? args.positional[1];
    const out: RawEnvRead = { name, line: lineOf(call), hasDefault: !!d, via: 'decouple.config', raises: !d, scope };
    const t = d ? literalText(literalValue(d)) : undefined;
    if (t !== undefined) out.defaultValue = t;
    return out;
  }
  // django-environ: env("X"), env.str("X", default=...), env.db() reads DATABASE_URL.
  const head = fn.split('.')[0]!;
  const scheme = imp.djangoEnv.get(head);
  if (scheme && (fn === head || (fn.split('.').length === 2 && ENV_METHODS.has(lastName(fn))))) {
    const method = fn === head ? '' : lastName(fn);
    let name = stringValue(args.positional[0] ?? args.keywords.get('var'));
    if (!name && (method === 'db' || method === 'db_url')) name = 'DATABASE_URL';
    if (!name && (method === 'cache' || method === 'cache_url')) name = 'CACHE_URL';
    if (!name) return undefined;
    const d = args.keywords.get('default');
    const schemeDefault = scheme.has(name);
    const out: RawEnvRead = { name, line: lineOf(call), hasDefault: !!d || schemeDefault, via: 'environ.Env', raises: !d && !schemeDefault, scope };
    const t = d ? literalText(literalValue(d)) : scheme.get(name);
    if (t !== undefined) out.defaultValue = t;
    return out;
  }
  return undefined;
}

/** Files whose classes are read field by field. */
const SETTINGS_HINT = /Settings|env_prefix|BaseConfig/;

/** Lines that may hold an env read. */
const ENV_LINE = /getenv|environ|config\(|env[.(]|Env\(/;

const ENV_HINT = /getenv|environ\s*(\.\s*(get|pop)\b|\[)|decouple|\bEnv\(/;

function readEnv(root: PyNode, source: string, imp: FileImports): RawEnvRead[] {
  if (!ENV_HINT.test(source)) return [];
  const out: RawEnvRead[] = [];
  for (const n of nodesOfType(root, ENV_NODES, ENV_LINE, source)) {
    if (n.type === 'call') {
      const r = readEnvCall(n, imp);
      if (r) out.push(r);
    } else if (n.type === 'subscript') {
      const v = dottedName(n.childForFieldName('value'));
      if (v && ENVIRON.has(v) && !isStore(n)) {
        const name = stringValue(n.childForFieldName('subscript'));
        if (name) out.push({ name, line: lineOf(n), hasDefault: false, via: 'os.environ[]', raises: true, scope: inFunction(n) ? 'function' : 'module' });
      }
    }
  }
  return out;
}

function looksLikeDjangoSettings(path: string, source: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const inSettingsPkg = /(^|\/)settings\/[^/]+\.py$/.test(path);
  if (base !== 'settings.py' && !inSettingsPkg) return false;
  return /\b(INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE|DATABASES|ALLOWED_HOSTS|DEBUG)\b/.test(source);
}

function readDjango(root: PyNode, reads: RawEnvRead[]): DjangoSetting[] {
  const envLines = new Set(reads.map((r) => r.line));
  const out: DjangoSetting[] = [];
  for (const s of statements(root)) {
    const a = assignmentOf(s);
    const left = a?.childForFieldName('left');
    const right = a?.childForFieldName('right');
    if (!a || left?.type !== 'identifier' || !right || !/^[A-Z][A-Z0-9_]*$/.test(left.text)) continue;
    const setting: DjangoSetting = { name: left.text, line: lineOf(a), text: right.text.slice(0, 200), fromEnv: false };
    const v = literalValue(right);
    if (v !== undefined) setting.value = v;
    for (let l = lineOf(right); l <= right.endPosition.row + 1; l++) if (envLines.has(l)) setting.fromEnv = true;
    out.push(setting);
  }
  return out;
}

export const pySettingsExtractor = definePyExtractor<PySettingsFile>('python-settings', (root, ctx) => {
  const imp = scanImports(root);
  const out: PySettingsFile = { classes: [], reads: [], djangoSettingsModule: [], instances: [] };
  {
    // Candidates: any class with a base; whether it is really a settings class is decided project-wide.
    const full = SETTINGS_HINT.test(ctx.source);
    forEachStatement(root, (st) => {
      const def = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
      if (def?.type !== 'class_definition' || !def.childForFieldName('superclasses')) return;
      const c = readSettingsClass(def, ctx.path, imp.flavour, full);
      if (c) out.classes.push(c);
    });
    for (const s of statements(root)) {
      const a = assignmentOf(s);
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      if (left?.type === 'identifier' && right?.type === 'call') {
        const cn = dottedName(right.childForFieldName('function'));
        if (cn && /^[A-Z]\w*$/.test(lastName(cn))) out.instances.push({ name: left.text, className: lastName(cn), line: lineOf(a!) });
      }
    }
  }
  out.reads = readEnv(root, ctx.source, imp);
  if (ctx.source.includes('DJANGO_SETTINGS_MODULE')) {
    for (const n of nodesOfType(root, CALL_NODES)) {
      const fn = callName(n);
      if (fn !== 'os.environ.setdefault' && fn !== 'environ.setdefault') continue;
      const args = callArgs(n).positional;
      if (stringValue(args[0]) !== 'DJANGO_SETTINGS_MODULE') continue;
      const v = stringValue(args[1]);
      if (v) out.djangoSettingsModule.push({ value: v, line: lineOf(n) });
    }
  }
  if (looksLikeDjangoSettings(ctx.path, ctx.source)) out.django = readDjango(root, out.reads);
  return out;
});

/** Per-file settings facts (path → facts). */
export function pySettingsFiles(model: ProjectModel): Map<string, PySettingsFile> {
  return pyFacts(model, pySettingsExtractor);
}

/** A settings class with its inherited fields merged and its environment names resolved. */
export interface ResolvedSettingsClass extends SettingsClass {
  /** Fields including those of settings base classes (subclass wins). */
  allFields: SettingsField[];
}

const SETTINGS_BASES = /(^|\.)(BaseSettings)$/;

/**
 * Every pydantic settings class in the project: subclasses of `BaseSettings`, directly or via a
 * local base (matched by class name across files, which is enough for settings hierarchies).
 */
/**
 * Real settings hierarchies are a few classes deep; a generated chain thousands deep would make
 * every class carry every ancestor's fields (quadratic). Ancestors past this depth are not read.
 */
const MAX_SETTINGS_DEPTH = 64;

export const settingsClasses = defineFacts('python-settings-classes', (model): ResolvedSettingsClass[] => {
  const all: SettingsClass[] = [];
  for (const f of pySettingsFiles(model).values()) all.push(...f.classes);
  const byName = new Map<string, SettingsClass[]>();
  for (const c of all) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  // A class is a settings class when a base is BaseSettings, or a class of a base's name is one.
  // Worked forward from the roots with a worklist, not by recursion: a large project (saleor:
  // thousands of classes in long same-name chains) overflowed the stack.
  const byBaseName = new Map<string, SettingsClass[]>();
  for (const c of all) for (const b of c.bases) byBaseName.set(lastName(b), [...(byBaseName.get(lastName(b)) ?? []), c]);
  const isSettings = new Set<SettingsClass>();
  const work = all.filter((c) => c.bases.some((b) => SETTINGS_BASES.test(b)));
  for (const c of work) isSettings.add(c);
  while (work.length) {
    const p = work.pop()!;
    for (const c of byBaseName.get(p.name) ?? []) {
      if (c !== p && !isSettings.has(c)) {
        isSettings.add(c);
        work.push(c);
      }
    }
  }
  const parentsOf = (k: SettingsClass): SettingsClass[] =>
    k.bases.flatMap((b) => byName.get(lastName(b)) ?? []).filter((p) => p !== k && isSettings.has(p));
  const out: ResolvedSettingsClass[] = [];
  for (const c of all) {
    if (!isSettings.has(c)) continue;
    // Fields of the bases first (deepest first), then the class's own: a depth-first walk in
    // post-order with an explicit stack, at most MAX_SETTINGS_DEPTH classes deep.
    const fields = new Map<string, SettingsField>();
    const seen = new Set<SettingsClass>([c]);
    const stack = [{ k: c, parents: parentsOf(c), i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = top.parents[top.i++];
      if (next) {
        if (!seen.has(next) && stack.length < MAX_SETTINGS_DEPTH) {
          seen.add(next);
          stack.push({ k: next, parents: parentsOf(next), i: 0 });
        }
        continue;
      }
      stack.pop();
      for (const f of top.k.fields) fields.set(f.name, f);
    }
    const merged: ResolvedSettingsClass = { ...c, allFields: [...fields.values()] };
    // Prefix and case sensitivity are inherited too when the subclass does not set them.
    if (merged.envPrefix === undefined || merged.caseSensitive === undefined) {
      for (const b of c.bases) {
        for (const p of byName.get(lastName(b)) ?? []) {
          if (merged.envPrefix === undefined && p.envPrefix !== undefined) merged.envPrefix = p.envPrefix;
          if (merged.caseSensitive === undefined && p.caseSensitive !== undefined) merged.caseSensitive = p.caseSensitive;
        }
      }
    }
    out.push(merged);
  }
  return out;
});

/**
 * The environment names a settings field is read from, as the environment must spell them. A
 * case-insensitive class (the default) is reported in upper case, the way env files spell it.
 */
export function fieldEnvNames(cls: SettingsClass, field: SettingsField): string[] {
  const names = field.aliases.length ? field.aliases : [`${cls.envPrefix ?? ''}${field.name}`];
  return cls.caseSensitive ? names : names.map((n) => n.toUpperCase());
}

/** Manifest and deploy file names that mark the root of a Python service. */
const ROOT_MARKERS = /^(requirements[^/]*\.txt|pyproject\.toml|setup\.py|setup\.cfg|Pipfile|Dockerfile[^/]*|Procfile|manage\.py|railway\.json|fly\.toml|render\.yaml|app\.yaml|nixpacks\.toml)$/;

/** Directories holding a root marker (repo-relative, '' for the root). */
export const pythonServiceRoots = defineFacts('python-service-roots', (model): Set<string> => {
  const out = new Set<string>();
  for (const p of model.allPaths()) {
    const i = p.lastIndexOf('/');
    if (ROOT_MARKERS.test(p.slice(i + 1))) out.add(i < 0 ? '' : p.slice(0, i));
  }
  return out;
});

/** The nearest directory at or above `file` that holds a manifest or deploy file ('' when none). */
export function serviceRootOf(model: ProjectModel, file: string): string {
  const roots = model.get(pythonServiceRoots);
  let dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  for (;;) {
    if (roots.has(dir)) return dir;
    if (dir === '') return '';
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
}

/** Settings instances bound at module level (`settings = Settings()`), by file. */
export function settingsInstances(model: ProjectModel): { file: string; name: string; cls: ResolvedSettingsClass; line: number }[] {
  const classes = new Map(model.get(settingsClasses).map((c) => [c.name, c]));
  const out: { file: string; name: string; cls: ResolvedSettingsClass; line: number }[] = [];
  for (const [file, f] of pySettingsFiles(model)) {
    for (const i of f.instances) {
      const cls = classes.get(i.className);
      if (cls) out.push({ file, name: i.name, cls, line: i.line });
    }
  }
  return out;
}

/**
 * Every env read of the Python code, settings fields included. Test code is left out: what
 * tests read never has to reach a deploy.
 */
export const pythonEnvReads = defineFacts('python-env-reads', (model): EnvRead[] => {
  const out: EnvRead[] = [];
  for (const [file, f] of pySettingsFiles(model)) {
    if (isTestPath(file)) continue;
    const root = serviceRootOf(model, file);
    for (const r of f.reads) {
      const e: EnvRead = { name: r.name, file, line: r.line, hasDefault: r.hasDefault, language: 'python', via: r.via, root };
      if (r.defaultValue !== undefined) e.defaultValue = r.defaultValue;
      out.push(e);
    }
  }
  for (const cls of model.get(settingsClasses)) {
    if (isTestPath(cls.file)) continue;
    const root = serviceRootOf(model, cls.file);
    // Inherited fields are reported where they are declared, once per declaring class.
    for (const field of cls.fields) {
      const e: EnvRead = {
        name: fieldEnvNames(cls, field)[0]!,
        file: cls.file,
        line: field.line,
        hasDefault: field.hasDefault,
        language: 'python',
        via: `${cls.name}.${field.name}`,
        root,
      };
      if (field.defaultValue !== undefined) e.defaultValue = field.defaultValue;
      if (cls.guardedFields.some((g) => g === field.name || g.toUpperCase() === field.name.toUpperCase())) e.guarded = true;
      out.push(e);
    }
  }
  return out;
});

registerEnvReadSource((model) => model.get(pythonEnvReads));
