import { parse as parseDotenv } from 'dotenv';
import {
  baseOf,
  composeFiles,
  dirOf,
  dockerfiles,
  envFiles,
  isDevCompose,
  isDevOnlyPath,
  type ComposeDependency,
  type ComposeEnvFile,
  type ComposeEnvVar,
  type ComposeFile,
  type ComposeService,
  type Dockerfile,
} from './deploy/index.js';
import { entries, entry, items, str } from './deploy/yaml-nodes.js';
import { defineFacts, type ProjectModel } from './project.js';
import { joinPath, parseCommandLine, type SimpleCommand } from './shell.js';
import { isMap, isScalar, parseYaml } from './yaml.js';
import { visit } from 'yaml';

/**
 * What the compose rules need on top of the deploy model: which compose files are used together
 * (auto-loaded overrides, `-f a -f b` in scripts and docs, `COMPOSE_FILE`, partial services), a
 * merged view of each service across those files and `extends`, the keys an env file defines
 * (with the `.env.example` fallback for a git-ignored `.env`), image references, and what the
 * well-known database and broker images need.
 */

// ---------------------------------------------------------------------------------------------
// Files these facts read (a check spreads this into its `files`).

/** Where `docker compose -f a -f b`, `--env-file` and `docker build -t` lines are written. */
export const COMPOSE_USAGE_GLOBS = [
  '**/Makefile',
  '**/*.mk',
  '**/justfile',
  '**/Justfile',
  '**/*.md',
  '**/package.json',
  '.github/workflows/*.{yml,yaml}',
  '.gitlab-ci.yml',
  '**/*.sh',
  '**/*.bash',
] as const;

// ---------------------------------------------------------------------------------------------
// Image references.

export interface ImageRef {
  /** As written. */
  raw: string;
  /** Repository without registry default prefixes, tag or digest: `harystyles/privexbot-backend`. */
  repo: string;
  /** Last path component: `privexbot-backend`, `postgres`. */
  name: string;
  tag?: string;
  digest?: string;
  /** True when the reference has no namespace (`postgres:16`): a Docker official image. */
  official: boolean;
  /** True when `${...}` appears anywhere in it (set by whoever deploys). */
  interpolated: boolean;
}

/** Splits `registry:5000/ns/name:tag@sha256:...` into its parts. */
export function parseImageRef(raw: string): ImageRef {
  let rest = raw.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let repo = rest.toLowerCase();
  for (const p of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/', 'library/']) {
    if (repo.startsWith(p)) repo = repo.slice(p.length);
  }
  const ref: ImageRef = {
    raw,
    repo,
    name: repo.slice(repo.lastIndexOf('/') + 1),
    official: !repo.includes('/'),
    interpolated: raw.includes('$'),
  };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

// ---------------------------------------------------------------------------------------------
// Databases and brokers.

export type StoreKind = 'postgres' | 'mysql' | 'mongo' | 'redis' | 'rabbitmq' | 'kafka' | 'elasticsearch' | 'cassandra' | 'mssql' | 'clickhouse';

export interface StoreInfo {
  kind: StoreKind;
  /** Container directories that hold the data (the first is the default). */
  dataDirs: string[];
  /** Environment variable of the image that moves the data directory. */
  dataDirEnv?: string;
  /** Port the server listens on inside the container. */
  port: number;
  /** URL schemes clients use to reach it. */
  schemes: string[];
  /** Ready within milliseconds of the process start (a cache): ordering rarely matters. */
  fastStart: boolean;
}

const STORES: Record<StoreKind, Omit<StoreInfo, 'kind'>> = {
  // postgres 18 images moved the data to /var/lib/postgresql/<major>/docker; a mount of the parent covers both
  postgres: { dataDirs: ['/var/lib/postgresql/data', '/var/lib/postgresql'], dataDirEnv: 'PGDATA', port: 5432, schemes: ['postgres', 'postgresql'], fastStart: false },
  mysql: { dataDirs: ['/var/lib/mysql'], port: 3306, schemes: ['mysql', 'mariadb'], fastStart: false },
  mongo: { dataDirs: ['/data/db'], port: 27017, schemes: ['mongodb', 'mongodb+srv'], fastStart: false },
  redis: { dataDirs: ['/data'], port: 6379, schemes: ['redis', 'rediss'], fastStart: true },
  rabbitmq: { dataDirs: ['/var/lib/rabbitmq'], port: 5672, schemes: ['amqp', 'amqps'], fastStart: false },
  kafka: { dataDirs: ['/var/lib/kafka/data', '/bitnami/kafka'], port: 9092, schemes: ['kafka'], fastStart: false },
  elasticsearch: { dataDirs: ['/usr/share/elasticsearch/data', '/usr/share/opensearch/data'], port: 9200, schemes: [], fastStart: false },
  cassandra: { dataDirs: ['/var/lib/cassandra'], port: 9042, schemes: [], fastStart: false },
  mssql: { dataDirs: ['/var/opt/mssql'], port: 1433, schemes: ['mssql', 'sqlserver'], fastStart: false },
  clickhouse: { dataDirs: ['/var/lib/clickhouse'], port: 8123, schemes: ['clickhouse'], fastStart: false },
};

/** Image names (last path component) of each kind; bitnami images keep data under /bitnami. */
const STORE_IMAGES: [RegExp, StoreKind][] = [
  [/^(postgres|postgresql|postgis|timescaledb(-ha|-postgis)?|pgvector|postgresql-repmgr|supabase-postgres|cloudnative-pg)$/, 'postgres'],
  [/^(mysql|mysql-server|mariadb|percona|percona-server)$/, 'mysql'],
  [/^(mongo|mongodb|mongodb-community-server)$/, 'mongo'],
  [/^(redis|redis-stack|redis-stack-server|valkey|keydb)$/, 'redis'],
  [/^rabbitmq$/, 'rabbitmq'],
  [/^(kafka|cp-kafka)$/, 'kafka'],
  [/^(elasticsearch|opensearch)$/, 'elasticsearch'],
  [/^(cassandra|scylla)$/, 'cassandra'],
  [/^mssql(-server)?$/, 'mssql'],
  [/^clickhouse(-server)?$/, 'clickhouse'],
];

const BITNAMI_DIRS: Partial<Record<StoreKind, string>> = {
  postgres: '/bitnami/postgresql',
  mysql: '/bitnami/mysql',
  mongo: '/bitnami/mongodb',
  redis: '/bitnami/redis',
  rabbitmq: '/bitnami/rabbitmq',
  kafka: '/bitnami/kafka',
};

/** What a database or broker image is, from its reference; undefined for anything else. */
export function storeOfImage(image: string | undefined): StoreInfo | undefined {
  if (!image) return undefined;
  const ref = parseImageRef(image);
  const kind = STORE_IMAGES.find(([re]) => re.test(ref.name))?.[1];
  if (!kind) return undefined;
  const info: StoreInfo = { kind, ...STORES[kind], dataDirs: [...STORES[kind].dataDirs] };
  const bitnami = BITNAMI_DIRS[kind];
  if (ref.repo.startsWith('bitnami/') && bitnami) info.dataDirs = [bitnami];
  // postgres 18+ images keep the data under /var/lib/postgresql/<major>/docker (VOLUME /var/lib/postgresql)
  const major = Number(/^(\d+)/.exec(ref.tag ?? '')?.[1]);
  if (kind === 'postgres' && ref.official && major >= 18) info.dataDirs = ['/var/lib/postgresql'];
  if (ref.repo === 'mysql/mysql-server' || ref.name === 'mariadb') info.schemes = ['mysql', 'mariadb'];
  return info;
}

// ---------------------------------------------------------------------------------------------
// Env files.

/** Template siblings tried, in order, when an env file is not in the repository (git-ignored). */
const TEMPLATE_SUFFIXES = ['.example', '.sample', '.template', '.dist', '.tmpl', '.defaults', '.local.example'];

export type EnvKeys = { known: true; names: Set<string>; file: string; template: boolean } | { known: false };

/**
 * The variables an env file defines. A git-ignored `.env` is judged by its template
 * (`.env.example`, `.env.sample`, `example.env`...) next to it; with no template the keys are
 * unknown, and rules must assume the file may define anything.
 */
export function envFileKeys(model: ProjectModel, path: string): EnvKeys {
  const byFile = new Map(model.get(envFiles).map((e) => [e.file, e]));
  const own = byFile.get(path);
  if (own) return { known: true, names: new Set(Object.keys(own.values)), file: path, template: own.template };
  if (model.exists(path)) {
    // listed but not parsed by the env-file facts (an unusual name such as `config/app.env.docker`)
    const text = model.text(path);
    if (text === undefined) return { known: false };
    return { known: true, names: new Set(Object.keys(safeDotenv(text))), file: path, template: false };
  }
  const dir = dirOf(path);
  const base = baseOf(path);
  const candidates = [
    ...TEMPLATE_SUFFIXES.map((s) => joinPath(dir, base + s)),
    ...(base === '.env' ? ['example.env', 'sample.env', 'env.example', 'env.sample'].map((b) => joinPath(dir, b)) : []),
  ];
  for (const c of candidates) {
    const e = byFile.get(c);
    if (e) return { known: true, names: new Set(Object.keys(e.values)), file: c, template: true };
  }
  return { known: false };
}

function safeDotenv(text: string): Record<string, string> {
  try {
    return parseDotenv(text);
  } catch {
    return {};
  }
}

/**
 * Where each name is defined for compose interpolation of a file: any `.env*` file (`.env`, its
 * template) in the directory of the file or of the files it is used with, or their parents;
 * `--env-file` files named next to a `docker compose` command; variables the invoking script or
 * workflow sets. The value is where (a file path, or `script`).
 */
export function interpolationDefinitions(model: ProjectModel, cf: ComposeFile): Map<string, string> {
  const out = new Map<string, string>();
  const dirs = new Set<string>();
  const stackDirs = stackOf(model, cf.file)?.files.map((f) => f.dir) ?? [cf.dir];
  for (const start of stackDirs) {
    for (let d = start; ; d = dirOf(d)) {
      dirs.add(d);
      if (d === '') break;
    }
  }
  const all = model.get(envFiles);
  for (const e of all) {
    if (!dirs.has(e.dir)) continue;
    for (const k of Object.keys(e.values)) if (!out.has(k)) out.set(k, e.file);
  }
  const usage = model.get(composeUsage);
  for (const f of usage.envFiles) {
    for (const k of Object.keys(all.find((x) => x.file === f.path)?.values ?? {})) if (!out.has(k)) out.set(k, f.path);
  }
  for (const k of usage.assigned) if (!out.has(k)) out.set(k, 'script');
  return out;
}

// ---------------------------------------------------------------------------------------------
// How compose is invoked: `-f` groups, `--env-file`, `docker build -t`.

export interface ComposeInvocation {
  /** Repo paths of the `-f` files, in order. */
  files: string[];
  source: string;
  line: number;
}

export interface TaggedBuild {
  /** Repository of the `-t` tag. */
  repo: string;
  /** Repo path of the Dockerfile the command builds. */
  dockerfile: string;
  context: string;
  source: string;
  line: number;
}

export interface ComposeUsage {
  invocations: ComposeInvocation[];
  envFiles: { path: string; source: string; line: number }[];
  builds: TaggedBuild[];
  /**
   * Variables the invoking side sets for compose: `TAG=1 docker compose up`, `export TAG=...` in a
   * script that runs compose, `env:` of a workflow that runs it.
   */
  assigned: Set<string>;
}

/**
 * Text from where a docker command starts on a line of a script, doc or workflow (prompts, YAML
 * keys and backticks around it dropped), and the `NAME=value` assignments right before it.
 */
function commandText(line: string): { text: string; assigned: string[] } | undefined {
  const i = line.search(/\bdocker(-compose|\s+compose|\s+(buildx\s+|image\s+)?build)\b/);
  if (i < 0) return undefined;
  let text = line.slice(i);
  const tick = text.indexOf('`');
  if (tick >= 0) text = text.slice(0, tick);
  const before = line.slice(0, i).split(/&&|\|\||[;|`]/).pop() ?? '';
  const words = before.trim().split(/\s+/).reverse();
  const assigned: string[] = [];
  for (const w of words) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w);
    if (!m) break;
    assigned.push(m[1]!);
  }
  return { text, assigned };
}

function optionValues(argv: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const n of names) {
      if (a === n && argv[i + 1] !== undefined) out.push(argv[i + 1]!);
      else if (n.startsWith('--') && a.startsWith(n + '=')) out.push(a.slice(n.length + 1));
    }
  }
  return out;
}

/** The first existing path among `rel` joined onto the command's directory, the file's directory and its parents. */
function resolveFrom(model: ProjectModel, sourceFile: string, cwd: string, rel: string, isDir = false): string | undefined {
  if (rel.includes('$')) return undefined;
  const tried: string[] = [];
  if (cwd && cwd !== dirOf(sourceFile)) tried.push(joinPath(cwd, rel));
  for (let d = dirOf(sourceFile); ; d = dirOf(d)) {
    tried.push(joinPath(d, rel));
    if (d === '') break;
  }
  return tried.find((p) => (isDir ? model.dirExists(p) : model.exists(p)));
}

export const composeUsage = defineFacts('compose-usage', (model): ComposeUsage => {
  const usage: ComposeUsage = { invocations: [], envFiles: [], builds: [], assigned: new Set() };
  const sources = new Set<string>();
  for (const g of COMPOSE_USAGE_GLOBS) for (const f of model.read(g)) sources.add(f);
  for (const file of [...sources].sort()) {
    const lines = model.lines(file);
    let runsCompose = false;
    for (let i = 0; i < lines.length; i++) {
      let raw = lines[i]!;
      // shell continuations in scripts and fenced docs
      while (raw.endsWith('\\') && i + 1 < lines.length) raw = raw.slice(0, -1) + ' ' + lines[++i]!;
      const found = commandText(raw);
      if (!found) continue;
      const line = i + 1;
      for (const cmd of parseCommandLine(found.text, dirOf(file))) {
        if (addCommand(model, usage, file, line, cmd)) {
          runsCompose = true;
          for (const a of found.assigned) usage.assigned.add(a);
        }
      }
    }
    if (runsCompose) for (const name of assignedIn(model, file)) usage.assigned.add(name);
  }
  // COMPOSE_FILE in an env file next to the compose files: compose reads it like `-f`
  for (const e of model.get(envFiles)) {
    const v = e.values['COMPOSE_FILE'];
    if (!v) continue;
    const sep = e.values['COMPOSE_PATH_SEPARATOR'] ?? (v.includes(';') ? ';' : ':');
    const files = v
      .split(sep)
      .map((p) => joinPath(e.dir, p.trim()))
      .filter((p) => model.exists(p));
    if (files.length) usage.invocations.push({ files, source: e.file, line: e.entries.find((x) => x.name === 'COMPOSE_FILE')?.line ?? 1 });
  }
  return usage;
});

/** `export NAME=` lines of a script, or `env:` keys of a CI workflow, that runs compose. */
function assignedIn(model: ProjectModel, file: string): string[] {
  if (/\.ya?ml$/.test(file)) {
    const { doc, error } = parseYaml(model.text(file) ?? '');
    if (error) return [];
    const out: string[] = [];
    visit(doc, {
      Pair(_k, pair) {
        if (isScalar(pair.key) && pair.key.value === 'env' && isMap(pair.value)) {
          for (const p of pair.value.items) if (isScalar(p.key)) out.push(String(p.key.value));
        }
      },
    });
    return out;
  }
  const out: string[] = [];
  for (const l of model.lines(file)) {
    const m = /^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=/.exec(l);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** Records what one command tells about compose; true when it runs compose. */
function addCommand(model: ProjectModel, usage: ComposeUsage, file: string, line: number, cmd: SimpleCommand): boolean {
  const argv = cmd.argv;
  const isCompose = argv[0] === 'docker-compose' || (argv[0] === 'docker' && argv[1] === 'compose');
  if (isCompose) {
    for (const name of Object.keys(cmd.env)) usage.assigned.add(name);
    const files = optionValues(argv, ['-f', '--file'])
      .map((f) => resolveFrom(model, file, cmd.cwd, f))
      .filter((p): p is string => p !== undefined);
    if (files.length) usage.invocations.push({ files, source: file, line });
    for (const f of optionValues(argv, ['--env-file'])) {
      const p = resolveFrom(model, file, cmd.cwd, f);
      if (p) usage.envFiles.push({ path: p, source: file, line });
    }
    return true;
  }
  if (argv[0] !== 'docker') return false;
  const buildAt = argv[1] === 'build' ? 2 : (argv[1] === 'buildx' || argv[1] === 'image') && argv[2] === 'build' ? 3 : -1;
  if (buildAt < 0) return false;
  const tags = optionValues(argv, ['-t', '--tag']);
  if (!tags.length) return false;
  // the context is the last positional argument
  const rest = argv.slice(buildAt);
  let ctxArg: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a.startsWith('-')) {
      if (!a.includes('=') && ['-t', '--tag', '-f', '--file', '--build-arg', '--target', '--platform', '--label', '--secret', '--cache-from', '--cache-to', '--network', '--progress', '--output', '-o', '--ssh', '--builder'].includes(a)) i++;
      continue;
    }
    ctxArg = a;
  }
  if (ctxArg === undefined || ctxArg === '-' || ctxArg.includes('://') || ctxArg.includes('$')) return false;
  // the directory the script runs in is unknown: take the first base where context and Dockerfile both exist
  const dfArg = optionValues(argv, ['-f', '--file'])[0];
  if (dfArg?.includes('$')) return false;
  const bases: string[] = [];
  if (cmd.cwd) bases.push(cmd.cwd);
  for (let d = dirOf(file); ; d = dirOf(d)) {
    bases.push(d);
    if (d === '') break;
  }
  let context: string | undefined;
  let dockerfile: string | undefined;
  for (const b of bases) {
    const c = joinPath(b, ctxArg);
    const d = dfArg ? joinPath(b, dfArg) : joinPath(c, 'Dockerfile');
    if (model.dirExists(c) && model.exists(d)) {
      context = c;
      dockerfile = d;
      break;
    }
  }
  if (context === undefined || dockerfile === undefined) return false;
  for (const t of tags) {
    const ref = parseImageRef(t);
    if (ref.repo.includes('$')) continue;
    usage.builds.push({ repo: ref.repo, dockerfile, context, source: file, line });
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Stacks: compose files used together, and the merged view of each service.

/** Keys the deploy model does not keep, read from the YAML by these facts. */
export interface ServiceExtras {
  networkMode?: string;
  /** `user:` the container runs as. */
  user?: string;
  /** Container paths mounted as tmpfs (`tmpfs:` key). */
  tmpfs: string[];
}

export interface StackService {
  name: string;
  /** Every definition, in the order compose applies them (base first), `extends` bases before the service. */
  defs: ComposeService[];
  /** The definition a finding about the service points at (the one that builds it, else the first). */
  primary: ComposeService;
  build?: NonNullable<ComposeService['build']> & { file: string };
  image?: { value: string; line: number; file: string };
  /** Later definitions override earlier ones, by variable name. */
  environment: (ComposeEnvVar & { file: string })[];
  envFiles: (ComposeEnvFile & { file: string })[];
  /** By dependency name; a later definition's condition wins. */
  dependsOn: (ComposeDependency & { file: string })[];
  healthcheck?: NonNullable<ComposeService['healthcheck']> & { file: string };
  volumes: (ComposeService['volumes'][number] & { file: string })[];
  restart?: string;
  command?: NonNullable<ComposeService['command']> & { file: string };
  entrypoint?: NonNullable<ComposeService['entrypoint']> & { file: string };
  profiles: string[];
  networkMode?: string;
  user?: string;
  tmpfs: string[];
  /** An `extends` whose base could not be read: rules that need the whole service stay silent. */
  incomplete: boolean;
  /** True when every file defining it is a dev/test file, or its profiles are all dev/test ones. */
  devOnly: boolean;
  /**
   * A service that services in other files `extends` (a shared base in `docker-compose.base.yml`):
   * rules judge the extending services, which carry the whole definition, not the base.
   */
  extendsBase: boolean;
}

export interface ComposeStack {
  /** Base first. */
  files: ComposeFile[];
  services: Map<string, StackService>;
}

const DEV_PROFILE = /^(dev|develop|development|test|tests|testing|debug|tools?|ci|e2e|local|docs|lint|admin|manual|optional|extra|monitoring)$/i;

function rank(file: string): number {
  const b = baseOf(file).toLowerCase();
  if (/^(docker-)?compose\.ya?ml$/.test(b)) return 0;
  if (/^(docker-)?compose\.override\.ya?ml$/.test(b)) return 1;
  return 2;
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

function serviceExtras(model: ProjectModel, file: string): Map<string, ServiceExtras> {
  const out = new Map<string, ServiceExtras>();
  const parsed = parseYaml(model.text(file) ?? '');
  if (parsed.error) return out;
  const { doc } = parsed;
  for (const s of entries(doc, entry(doc, doc.contents, 'services')?.value)) {
    const ex: ServiceExtras = { tmpfs: [] };
    const nm = str(entry(doc, s.value, 'network_mode')?.value);
    if (nm) ex.networkMode = nm;
    const user = str(entry(doc, s.value, 'user')?.value);
    if (user) ex.user = user;
    const t = entry(doc, s.value, 'tmpfs')?.value;
    const one = str(t);
    if (one) ex.tmpfs.push(one.split(':')[0]!);
    for (const i of items(doc, t)) {
      const v = str(i);
      if (v) ex.tmpfs.push(v.split(':')[0]!);
    }
    for (const v of items(doc, entry(doc, s.value, 'volumes')?.value)) {
      if (str(entry(doc, v, 'type')?.value) === 'tmpfs') {
        const target = str(entry(doc, v, 'target')?.value);
        if (target) ex.tmpfs.push(target);
      }
    }
    out.set(s.key, ex);
  }
  return out;
}

const MAX_EXTENDS = 5;

export const composeStacks = defineFacts('compose-stacks', (model): ComposeStack[] => {
  const files = model.get(composeFiles).filter((f) => !f.error);
  const byPath = new Map(files.map((f) => [f.file, f]));
  const uf = new UnionFind();
  const order = new Map<string, number>();

  // 1. `docker compose` loads compose.override.yml on top of compose.yml automatically
  for (const f of files) {
    const m = /^(docker-)?compose\.override\.(ya?ml)$/i.exec(baseOf(f.file));
    if (!m) continue;
    for (const ext of ['yml', 'yaml']) {
      const base = joinPath(f.dir, `${m[1] ?? ''}compose.${ext}`);
      if (byPath.has(base)) uf.union(base, f.file);
    }
  }
  // 2. `-f a -f b` in scripts, Makefiles, docs, workflows; COMPOSE_FILE in .env
  for (const inv of model.get(composeUsage).invocations) {
    const known = inv.files.filter((p) => byPath.has(p));
    known.forEach((p, i) => {
      if (!order.has(p)) order.set(p, i);
      if (i > 0) uf.union(known[0]!, p);
    });
  }
  // 3. a service with neither image nor build nor extends cannot run alone: its file is an overlay
  for (const f of files) {
    for (const s of f.services) {
      if (s.image || s.build || s.extends) continue;
      const base = files.find((o) => o !== f && o.dir === f.dir && o.services.some((x) => x.name === s.name && (x.image || x.build)));
      if (base) uf.union(base.file, f.file);
    }
  }

  // services that another file's services extend
  const bases = new Set<string>();
  for (const f of files) for (const s of f.services) if (s.extends?.file && s.extends.file !== f.file) bases.add(`${s.extends.file}\0${s.extends.service}`);
  const groups = new Map<string, ComposeFile[]>();
  for (const f of files) {
    const r = uf.find(f.file);
    const g = groups.get(r) ?? [];
    g.push(f);
    groups.set(r, g);
  }
  const extrasCache = new Map<string, Map<string, ServiceExtras>>();
  const extrasOf = (file: string) => {
    let e = extrasCache.get(file);
    if (!e) {
      e = serviceExtras(model, file);
      extrasCache.set(file, e);
    }
    return e;
  };

  return [...groups.values()].map((g) => {
    g.sort((a, b) => rank(a.file) - rank(b.file) || (order.get(a.file) ?? 99) - (order.get(b.file) ?? 99) || (a.file < b.file ? -1 : 1));
    const defs = new Map<string, ComposeService[]>();
    for (const f of g) {
      for (const s of f.services) {
        const list = defs.get(s.name) ?? [];
        list.push(s);
        defs.set(s.name, list);
      }
    }
    const services = new Map<string, StackService>();
    for (const [name, list] of defs) {
      const merged = mergeService(name, list, byPath, extrasOf);
      merged.extendsBase = list.every((d) => bases.has(`${d.file}\0${d.name}`));
      services.set(name, merged);
    }
    return { files: g, services };
  });
});

/** The `extends` chain of a definition, bases first; `incomplete` when a base could not be found. */
function withBases(s: ComposeService, byPath: Map<string, ComposeFile>): { chain: ComposeService[]; incomplete: boolean } {
  const chain: ComposeService[] = [s];
  let cur = s;
  for (let k = 0; cur.extends && k < MAX_EXTENDS; k++) {
    const file = cur.extends.file ?? cur.file;
    const base = byPath.get(file)?.services.find((x) => x.name === cur.extends!.service);
    if (!base || chain.includes(base)) return { chain, incomplete: !base };
    chain.unshift(base);
    cur = base;
  }
  return { chain, incomplete: false };
}

function mergeService(
  name: string,
  own: ComposeService[],
  byPath: Map<string, ComposeFile>,
  extrasOf: (file: string) => Map<string, ServiceExtras>,
): StackService {
  let incomplete = false;
  const all: ComposeService[] = [];
  for (const d of own) {
    const { chain, incomplete: inc } = withBases(d, byPath);
    incomplete ||= inc;
    for (const c of chain) if (!all.includes(c)) all.push(c);
  }
  const primary = own.find((d) => d.build) ?? own.find((d) => d.image) ?? own[0]!;
  const out: StackService = {
    name,
    defs: all,
    primary,
    environment: [],
    envFiles: [],
    dependsOn: [],
    volumes: [],
    profiles: [],
    tmpfs: [],
    incomplete,
    devOnly: false,
    extendsBase: false,
  };
  const env = new Map<string, ComposeEnvVar & { file: string }>();
  const deps = new Map<string, ComposeDependency & { file: string }>();
  for (const d of all) {
    const file = d.file;
    if (d.build) out.build = { ...d.build, file };
    if (d.image) out.image = { ...d.image, file };
    for (const e of d.environment) env.set(e.name, { ...e, file });
    for (const e of d.envFiles) out.envFiles.push({ ...e, file });
    // depends_on is not inherited through extends (Compose spec), only merged across files
    if (own.includes(d)) for (const dep of d.dependsOn) deps.set(dep.service, { ...dep, file });
    if (d.healthcheck) out.healthcheck = { ...d.healthcheck, file };
    for (const v of d.volumes) out.volumes.push({ ...v, file });
    // `restart: ${DOCKER_RESTART_POLICY:-unless-stopped}` takes its default unless set
    if (d.restart) out.restart = d.restart.value.replace(/^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}$/, '$1');
    if (d.command) out.command = { ...d.command, file };
    if (d.entrypoint) out.entrypoint = { ...d.entrypoint, file };
    if (d.profiles.length) out.profiles = d.profiles;
    const ex = extrasOf(file).get(d.name);
    if (ex?.networkMode) out.networkMode = ex.networkMode;
    if (ex?.user) out.user = ex.user;
    if (ex) out.tmpfs.push(...ex.tmpfs);
  }
  out.environment = [...env.values()];
  out.dependsOn = [...deps.values()];
  out.devOnly = own.every((d) => isDevOnlyPath(d.file)) || (out.profiles.length > 0 && out.profiles.every((p) => DEV_PROFILE.test(p)));
  return out;
}

/**
 * Compose files that only run tests, CI or an editor's dev container (`docker-compose.test.yml`,
 * `compose.ci.yaml`, `.ci/compose.cypress.yaml`, `.github/...`, `.devcontainer/`): their variables
 * come from the CI environment or the developer, and their databases are meant to be thrown away.
 */
export function isTestComposePath(p: string): boolean {
  return (
    /(^|\/)(\.github|\.gitlab|\.circleci|\.ci|ci|tests?|e2e|integration|cypress|playwright|\.devcontainer)\//i.test(p) ||
    /(^|[._-])(test|tests|testing|ci|e2e|integration|cypress|playwright|selenium)([._-]|$)/i.test(baseOf(p))
  );
}

/**
 * True for a service only developers or the test suite run: all its definitions live in dev or
 * test compose files (named so, mounting their own source, running a dev server), or its profiles
 * are dev/test ones. Rules lower their severity there.
 */
export function isDevService(model: ProjectModel, s: StackService): boolean {
  if (s.devOnly) return true;
  const files = new Map(model.get(composeFiles).map((f) => [f.file, f]));
  return s.defs.every((d) => {
    const f = files.get(d.file);
    return isTestComposePath(d.file) || (f ? isDevCompose(f) : false);
  });
}

/** The stack a compose file belongs to. */
export function stackOf(model: ProjectModel, file: string): ComposeStack | undefined {
  return model.get(composeStacks).find((s) => s.files.some((f) => f.file === file));
}

// ---------------------------------------------------------------------------------------------
// Built images.

/** The Dockerfile a service is built from (compose `build:`), when the scan read it. */
export function dockerfileOf(model: ProjectModel, s: StackService): Dockerfile | undefined {
  if (!s.build || s.build.remote) return undefined;
  return model.get(dockerfiles).find((d) => d.file === s.build!.dockerfile);
}

/** What a service runs, as a store: from the Dockerfile's base image when it builds one, else from its image. */
export function storeOfService(model: ProjectModel, s: StackService): StoreInfo | undefined {
  if (s.build) {
    const df = dockerfileOf(model, s);
    return df?.final ? storeOfImage(df.final.resolvedImage) : undefined;
  }
  return storeOfImage(s.image?.value);
}

/** Where the repository builds an image: a compose service with `build:` and `image:`, or `docker build -t`. */
export interface RepoImage {
  repo: string;
  dockerfile: string;
  context: string;
  /** The compose file or script that says so, and its line. */
  source: string;
  line: number;
  how: 'compose' | 'script';
}

/** Images this repository builds, by repository name (`ghcr.io/acme/api`). */
export const repoImages = defineFacts('compose-repo-images', (model): Map<string, RepoImage[]> => {
  const out = new Map<string, RepoImage[]>();
  const add = (r: RepoImage) => {
    const list = out.get(r.repo) ?? [];
    if (!list.some((x) => x.dockerfile === r.dockerfile && x.source === r.source)) list.push(r);
    out.set(r.repo, list);
  };
  for (const cf of model.get(composeFiles)) {
    for (const s of cf.services) {
      if (!s.build || s.build.remote || !s.image) continue;
      const ref = parseImageRef(s.image.value);
      if (ref.repo.includes('$')) continue;
      add({ repo: ref.repo, dockerfile: s.build.dockerfile, context: s.build.context, source: cf.file, line: s.image.line, how: 'compose' });
    }
  }
  for (const b of model.get(composeUsage).builds) add({ ...b, how: 'script' });
  return out;
});

/** Line of the YAML node at `path` in a compose file (merge keys followed), or undefined. */
export function composeLine(model: ProjectModel, file: string, path: readonly string[]): number | undefined {
  const { doc, lineOf, error } = parseYaml(model.text(file) ?? '');
  if (error) return undefined;
  let node: unknown = doc.contents;
  for (const k of path) {
    const e = entry(doc, node, k);
    if (!e) return undefined;
    node = e.value;
  }
  return node ? lineOf(node as Parameters<typeof lineOf>[0]) : undefined;
}

/** Line of the key at `path` (the `environment:` line itself), or undefined. */
export function composeKeyLine(model: ProjectModel, file: string, path: readonly string[]): number | undefined {
  const { doc, lineOf, error } = parseYaml(model.text(file) ?? '');
  if (error || path.length === 0) return undefined;
  let node: unknown = doc.contents;
  for (const k of path.slice(0, -1)) {
    const e = entry(doc, node, k);
    if (!e) return undefined;
    node = e.value;
  }
  const last = entry(doc, node, path[path.length - 1]!);
  return last ? lineOf(last.keyNode) : undefined;
}
