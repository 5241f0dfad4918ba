import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validRange } from '@renovatebot/pep440';
import { parse as parseYamlText } from 'yaml';
import type { Severity } from '../../engine/types.js';
import { isSeverity } from '../../engine/types.js';
import { normaliseDist } from './distributions.js';

/**
 * The API-removal knowledge base (checks/python/data/api-removals.yaml): which imports and calls
 * fail under which version range of which package. Loaded once per process, validated entry by
 * entry; a malformed entry is dropped (and the test suite fails on it, see knowledge.test.ts).
 */

export type ApiUse = (
  | { import: string }
  | { module: string }
  | { call: string; kwargs?: string[]; without_kwargs?: string[]; first_arg?: 'list' }
  | { method: string; of: string[] }
) & {
  /** This use is fine when one of these distributions is installed (a backport: legacy-cgi for cgi). */
  unless_installed?: string[];
};

export interface ApiRemoval {
  id: string;
  /** Normalised distribution name, or 'python' for the interpreter. */
  package: string;
  /** PEP 440 range, or 'any'. */
  versions: string;
  uses: ApiUse[];
  unlessInstalled: string[];
  requires?: { package: string; versions: string };
  fileMentions?: string;
  severity: Severity;
  breaks: string;
  fix: string;
  addDependency?: string;
  changelog: string;
}

/** Path of the YAML file, found from this module whether it runs from src/ (tests) or dist/. */
function dataPath(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = join(dir, 'checks', 'python', 'data', 'api-removals.yaml');
    if (existsSync(p)) return p;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined) return [];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

function parseUse(u: unknown): ApiUse | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const o = u as Record<string, unknown>;
  const unless = strings(o.unless_installed);
  if (!unless) return undefined;
  const use = parseUseKind(o);
  return use && unless.length ? { ...use, unless_installed: unless.map(normaliseDist) } : use;
}

function parseUseKind(o: Record<string, unknown>): ApiUse | undefined {
  if (typeof o.import === 'string') return { import: o.import };
  if (typeof o.module === 'string') return { module: o.module };
  if (typeof o.call === 'string') {
    const kwargs = strings(o.kwargs);
    const without = strings(o.without_kwargs);
    if (!kwargs || !without) return undefined;
    if (o.first_arg !== undefined && o.first_arg !== 'list') return undefined;
    return { call: o.call, ...(kwargs.length ? { kwargs } : {}), ...(without.length ? { without_kwargs: without } : {}), ...(o.first_arg === 'list' ? { first_arg: 'list' as const } : {}) };
  }
  if (typeof o.method === 'string') {
    const of = strings(o.of);
    return of?.length ? { method: o.method, of } : undefined;
  }
  return undefined;
}

/** Validates one raw entry; returns the problem as a string when it is malformed. */
export function parseEntry(raw: unknown): ApiRemoval | string {
  if (!raw || typeof raw !== 'object') return 'not a mapping';
  const o = raw as Record<string, unknown>;
  const id = typeof o.id === 'string' ? o.id : undefined;
  if (!id) return 'missing id';
  const need = (k: string) => (typeof o[k] === 'string' && (o[k] as string).trim() ? (o[k] as string).trim() : undefined);
  const pkg = need('package');
  const versions = need('versions');
  const breaks = need('breaks');
  const fix = need('fix');
  const changelog = need('changelog');
  if (!pkg || !versions || !breaks || !fix || !changelog) return `${id}: package, versions, breaks, fix and changelog are required`;
  if (versions !== 'any' && !validRange(versions)) return `${id}: versions is not a PEP 440 range: ${versions}`;
  if (!Array.isArray(o.uses) || o.uses.length === 0) return `${id}: uses must be a non-empty list`;
  const uses = o.uses.map(parseUse);
  if (uses.some((u) => !u)) return `${id}: a use is malformed`;
  const unless = strings(o.unless_installed);
  if (!unless) return `${id}: unless_installed must be a list of names`;
  let requires: ApiRemoval['requires'];
  if (o.requires !== undefined) {
    const r = o.requires as Record<string, unknown>;
    if (typeof r?.package !== 'string' || typeof r.versions !== 'string' || !validRange(r.versions)) return `${id}: requires needs package and a PEP 440 versions range`;
    requires = { package: normaliseDist(r.package), versions: r.versions };
  }
  const severity = o.severity === undefined ? 'critical' : o.severity;
  if (!isSeverity(severity)) return `${id}: bad severity`;
  return {
    id,
    package: pkg === 'python' ? 'python' : normaliseDist(pkg),
    versions,
    uses: uses as ApiUse[],
    unlessInstalled: unless.map(normaliseDist),
    ...(requires ? { requires } : {}),
    ...(typeof o.file_mentions === 'string' ? { fileMentions: o.file_mentions } : {}),
    severity,
    breaks: breaks.replace(/\s+/g, ' '),
    fix,
    ...(typeof o.add_dependency === 'string' ? { addDependency: o.add_dependency } : {}),
    changelog,
  };
}

let cache: { entries: ApiRemoval[]; problems: string[] } | undefined;

/** Parses the knowledge base text (exported for tests). */
export function parseKnowledgeBase(text: string): { entries: ApiRemoval[]; problems: string[] } {
  const entries: ApiRemoval[] = [];
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = parseYamlText(text);
  } catch (err) {
    return { entries, problems: [`YAML does not parse: ${(err as Error).message}`] };
  }
  if (!Array.isArray(doc)) return { entries, problems: ['the knowledge base must be a list'] };
  const ids = new Set<string>();
  for (const raw of doc) {
    const e = parseEntry(raw);
    if (typeof e === 'string') problems.push(e);
    else if (ids.has(e.id)) problems.push(`${e.id}: duplicate id`);
    else {
      ids.add(e.id);
      entries.push(e);
    }
  }
  return { entries, problems };
}

/** The knowledge base, loaded once per process. */
export function apiRemovals(): { entries: ApiRemoval[]; problems: string[] } {
  if (!cache) {
    const p = dataPath();
    cache = p ? parseKnowledgeBase(readFileSync(p, 'utf8')) : { entries: [], problems: ['checks/python/data/api-removals.yaml not found'] };
  }
  return cache;
}
