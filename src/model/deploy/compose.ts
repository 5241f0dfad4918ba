import { isScalar, visit, type Document, type Node } from 'yaml';
import { defineFacts } from '../project.js';
import { joinPath, parseCommandLine, type SimpleCommand } from '../shell.js';
import { parseYaml } from '../yaml.js';
import { argvCommands } from './dockerfile.js';
import { dirOf, isComposePath } from './files.js';
import { findInterpolations, type Interpolation } from './interpolation.js';
import { entries, entry, isMap, isSeq, items, str } from './yaml-nodes.js';

export interface LocatedInterpolation extends Interpolation {
  line: number;
}

export interface ComposeEnvVar {
  name: string;
  /** The literal value; undefined for a pass-through (`- NAME` or `NAME:` with no value). */
  value?: string;
  line: number;
  /** `${...}` expressions inside the value. */
  interpolations: Interpolation[];
}

export interface ComposeEnvFile {
  /** As written. */
  raw: string;
  /** Repo-relative path (resolved against the compose file's directory). */
  path: string;
  /** `required: false` lets compose skip a missing file (Compose 2.24+). */
  required: boolean;
  line: number;
}

export interface ComposeCommand {
  /** `string` is split shell-like by compose itself (no shell runs it); `list` is an argv. */
  form: 'string' | 'list';
  argv: string[];
  text: string;
  commands: SimpleCommand[];
  line: number;
}

export interface ComposeDependency {
  service: string;
  /** `service_started` (the default), `service_healthy`, `service_completed_successfully`. */
  condition: string;
  /** False when the short (list) syntax was used. */
  explicit: boolean;
  line: number;
}

export interface ComposeService {
  name: string;
  file: string;
  line: number;
  image?: { value: string; line: number };
  build?: {
    /** Repo-relative context directory ('' for the repo root). */
    context: string;
    /** Repo-relative Dockerfile path (context + dockerfile, default `Dockerfile`). */
    dockerfile: string;
    /** Set when the context is a URL (git repo) that the repo cannot check. */
    remote?: boolean;
    target?: string;
    line: number;
    /** Line of the `dockerfile:` key when given, else the build line. */
    dockerfileLine: number;
  };
  command?: ComposeCommand;
  entrypoint?: ComposeCommand;
  environment: ComposeEnvVar[];
  envFiles: ComposeEnvFile[];
  ports: { value: string; line: number; target?: string; published?: string }[];
  expose: { value: string; line: number }[];
  dependsOn: ComposeDependency[];
  healthcheck?: { test?: string[]; text: string; disabled: boolean; line: number };
  volumes: { value: string; line: number; source?: string; target?: string }[];
  restart?: { value: string; line: number };
  profiles: string[];
  extends?: { service: string; file?: string; line: number };
}

export interface ComposeFile {
  file: string;
  dir: string;
  /** Set when the YAML does not parse (compose refuses the whole file). */
  error?: { message: string; line: number };
  services: ComposeService[];
  /** Every `${VAR}` / `$VAR` in the file, with its line. */
  interpolations: LocatedInterpolation[];
  /** Named volumes declared at the top level. */
  namedVolumes: string[];
}

type Ctx = { doc: Document.Parsed; lineOf: (n: Node | null | undefined) => number; file: string; dir: string };

/** Parses one compose file; never throws. */
export function parseCompose(file: string, text: string): ComposeFile {
  const dir = dirOf(file);
  const parsed = parseYaml(text);
  const out: ComposeFile = { file, dir, services: [], interpolations: [], namedVolumes: [] };
  if (parsed.error) {
    out.error = parsed.error;
    return out;
  }
  const ctx: Ctx = { doc: parsed.doc, lineOf: parsed.lineOf, file, dir };
  visit(parsed.doc, {
    Scalar(_k, node) {
      if (typeof node.value !== 'string' || !node.value.includes('$')) return;
      const line = parsed.lineOf(node);
      for (const i of findInterpolations(node.value)) out.interpolations.push({ ...i, line });
    },
  });
  const root = parsed.doc.contents;
  for (const s of entries(parsed.doc, entry(parsed.doc, root, 'services')?.value)) {
    if (!isMap(s.value) && s.value !== null) continue;
    out.services.push(parseService(ctx, s.key, s.keyNode, s.value));
  }
  out.namedVolumes = entries(parsed.doc, entry(parsed.doc, root, 'volumes')?.value).map((e) => e.key);
  return out;
}

function parseService(ctx: Ctx, name: string, keyNode: Node, node: Node | null): ComposeService {
  const { doc, lineOf } = ctx;
  const svc: ComposeService = {
    name,
    file: ctx.file,
    line: lineOf(keyNode),
    environment: [],
    envFiles: [],
    ports: [],
    expose: [],
    dependsOn: [],
    volumes: [],
    profiles: [],
  };
  for (const e of entries(doc, node)) {
    const v = e.value;
    const line = lineOf(e.keyNode);
    switch (e.key) {
      case 'image': {
        const s = str(v);
        if (s) svc.image = { value: s, line };
        break;
      }
      case 'build':
        svc.build = parseBuild(ctx, v, line);
        break;
      case 'command':
      case 'entrypoint': {
        const c = parseCommand(ctx, v);
        if (c) svc[e.key] = c;
        break;
      }
      case 'environment':
        svc.environment = parseEnvironment(ctx, v);
        break;
      case 'env_file':
        svc.envFiles = parseEnvFiles(ctx, v, line);
        break;
      case 'ports':
        for (const p of items(doc, v)) svc.ports.push(parsePort(ctx, p));
        break;
      case 'expose':
        for (const p of items(doc, v)) svc.expose.push({ value: str(p) ?? '', line: lineOf(p) });
        break;
      case 'depends_on':
        svc.dependsOn = parseDependsOn(ctx, v);
        break;
      case 'healthcheck':
        svc.healthcheck = parseHealthcheck(ctx, v, line);
        break;
      case 'volumes':
        for (const p of items(doc, v)) svc.volumes.push(parseVolume(ctx, p));
        break;
      case 'restart': {
        const s = str(v);
        if (s) svc.restart = { value: s, line };
        break;
      }
      case 'profiles':
        svc.profiles = items(doc, v).map((p) => str(p) ?? '');
        break;
      case 'extends': {
        const s = str(v);
        if (s) svc.extends = { service: s, line };
        else {
          const service = str(entry(doc, v, 'service')?.value);
          const file = str(entry(doc, v, 'file')?.value);
          if (service) svc.extends = { service, line, ...(file ? { file: joinPath(ctx.dir, file) } : {}) };
        }
        break;
      }
    }
  }
  return svc;
}

function isRemoteContext(s: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|github\.com\/)/.test(s);
}

function parseBuild(ctx: Ctx, v: Node | null, line: number): ComposeService['build'] {
  const short = str(v);
  let contextRaw = short ?? str(entry(ctx.doc, v, 'context')?.value) ?? '.';
  const dfEntry = short === undefined ? entry(ctx.doc, v, 'dockerfile') : undefined;
  const dockerfileRaw = str(dfEntry?.value) ?? 'Dockerfile';
  const target = short === undefined ? str(entry(ctx.doc, v, 'target')?.value) : undefined;
  const remote = isRemoteContext(contextRaw);
  if (remote) contextRaw = '.';
  const context = joinPath(ctx.dir, contextRaw);
  const b: NonNullable<ComposeService['build']> = {
    context,
    dockerfile: joinPath(context, dockerfileRaw),
    line,
    dockerfileLine: dfEntry ? ctx.lineOf(dfEntry.keyNode) : line,
  };
  if (remote) b.remote = true;
  if (target) b.target = target;
  return b;
}

function parseCommand(ctx: Ctx, v: Node | null): ComposeCommand | undefined {
  const line = ctx.lineOf(v);
  const s = str(v);
  if (s !== undefined) return { form: 'string', argv: [], text: s, commands: parseCommandLine(s), line };
  if (!isSeq(v)) return undefined;
  const argv = items(ctx.doc, v).map((i) => str(i) ?? '');
  return { form: 'list', argv, text: argv.join(' '), commands: argvCommands(argv), line };
}

function parseEnvironment(ctx: Ctx, v: Node | null): ComposeEnvVar[] {
  const out: ComposeEnvVar[] = [];
  if (isSeq(v)) {
    for (const i of items(ctx.doc, v)) {
      const s = str(i);
      if (!s) continue;
      const eq = s.indexOf('=');
      const name = eq < 0 ? s : s.slice(0, eq);
      const value = eq < 0 ? undefined : s.slice(eq + 1);
      out.push(envVar(name.trim(), value, ctx.lineOf(i)));
    }
    return out;
  }
  for (const e of entries(ctx.doc, v)) out.push(envVar(e.key, str(e.value), ctx.lineOf(e.keyNode)));
  return out;
}

function envVar(name: string, value: string | undefined, line: number): ComposeEnvVar {
  const ev: ComposeEnvVar = { name, line, interpolations: value ? findInterpolations(value) : [] };
  if (value !== undefined) ev.value = value;
  return ev;
}

function parseEnvFiles(ctx: Ctx, v: Node | null, line: number): ComposeEnvFile[] {
  const one = (raw: string, required: boolean, l: number): ComposeEnvFile => ({ raw, path: joinPath(ctx.dir, raw), required, line: l });
  const s = str(v);
  if (s !== undefined) return [one(s, true, line)];
  const out: ComposeEnvFile[] = [];
  for (const i of items(ctx.doc, v)) {
    const si = str(i);
    if (si !== undefined) out.push(one(si, true, ctx.lineOf(i)));
    else {
      const p = str(entry(ctx.doc, i, 'path')?.value);
      const req = entry(ctx.doc, i, 'required')?.value;
      if (p) out.push(one(p, !(isScalar(req) && (req.value === false || req.value === 'false')), ctx.lineOf(i)));
    }
  }
  return out;
}

function parsePort(ctx: Ctx, p: Node): ComposeService['ports'][number] {
  const line = ctx.lineOf(p);
  const s = str(p);
  if (s !== undefined) {
    // HOST_IP:PUBLISHED:TARGET/proto, PUBLISHED:TARGET, or TARGET
    const parts = s.replace(/\/(tcp|udp)$/, '').split(':');
    const target = parts[parts.length - 1];
    const published = parts.length > 1 ? parts[parts.length - 2] : undefined;
    return { value: s, line, ...(target ? { target } : {}), ...(published ? { published } : {}) };
  }
  const target = str(entry(ctx.doc, p, 'target')?.value);
  const published = str(entry(ctx.doc, p, 'published')?.value);
  return { value: [published, target].filter(Boolean).join(':'), line, ...(target ? { target } : {}), ...(published ? { published } : {}) };
}

function parseDependsOn(ctx: Ctx, v: Node | null): ComposeDependency[] {
  if (isSeq(v)) return items(ctx.doc, v).map((i) => ({ service: str(i) ?? '', condition: 'service_started', explicit: false, line: ctx.lineOf(i) }));
  return entries(ctx.doc, v).map((e) => ({
    service: e.key,
    condition: str(entry(ctx.doc, e.value, 'condition')?.value) ?? 'service_started',
    explicit: true,
    line: ctx.lineOf(e.keyNode),
  }));
}

function parseHealthcheck(ctx: Ctx, v: Node | null, line: number): ComposeService['healthcheck'] {
  const testNode = entry(ctx.doc, v, 'test')?.value;
  const disable = entry(ctx.doc, v, 'disable')?.value;
  const ts = str(testNode);
  const test = ts !== undefined ? ['CMD-SHELL', ts] : isSeq(testNode) ? items(ctx.doc, testNode).map((i) => str(i) ?? '') : undefined;
  const disabled = (isScalar(disable) && disable.value === true) || test?.[0] === 'NONE';
  const text = test ? test.slice(1).join(' ') : '';
  return { ...(test ? { test } : {}), text, disabled, line };
}

function parseVolume(ctx: Ctx, p: Node): ComposeService['volumes'][number] {
  const line = ctx.lineOf(p);
  const s = str(p);
  if (s !== undefined) {
    const parts = s.split(':');
    if (parts.length === 1) return { value: s, line, target: parts[0] };
    return { value: s, line, ...(parts[0] ? { source: parts[0] } : {}), ...(parts[1] ? { target: parts[1] } : {}) };
  }
  const source = str(entry(ctx.doc, p, 'source')?.value);
  const target = str(entry(ctx.doc, p, 'target')?.value);
  return { value: [source, target].filter(Boolean).join(':'), line, ...(source ? { source } : {}), ...(target ? { target } : {}) };
}

/** Every compose file the scan read, parsed once. */
export const composeFiles = defineFacts('deploy-compose-files', (model): ComposeFile[] =>
  model
    .read('**/*.{yml,yaml}')
    .filter(isComposePath)
    .map((f) => parseCompose(f, model.text(f) ?? '')),
);
