import { stringify } from 'yaml';
import { CONFIG_PATH, ConfigError, DEFAULT_CONFIG, parseConfig, type Config } from '../engine/config.js';
import { LruMap } from './blob-cache.js';

/** The slice of Probot's octokit the loader uses: its config plugin and plain requests. */
export interface ConfigClient {
  config: {
    get(options: {
      owner: string;
      repo: string;
      path: string;
      defaults?: (configs: Record<string, unknown>[]) => Record<string, unknown>;
    }): Promise<{ config: Record<string, unknown>; files: { owner: string; repo: string; path: string; url: string; config: Record<string, unknown> | null }[] }>;
  };
  request: (route: string, params: Record<string, unknown>) => Promise<{ data: unknown }>;
}

export type ConfigOutcome =
  | { ok: true; config: Config; sources: string[] }
  | { ok: false; error: { message: string; file: string; line?: number } };

/**
 * Loads `.github/readiness.yml` the way Probot's `context.config` does (default branch only, the
 * org-wide `.github` repository as fallback, `_extends` followed, objects merged deeply), then
 * validates it with the engine's parser. A config error becomes an outcome naming the file and
 * line, never a throw: the caller turns it into a failed check that quotes it.
 *
 * Only on an error are the raw files fetched again, to find the offending line in the file the
 * user wrote (the plugin hands back parsed objects, not text).
 */
export async function loadRepoConfig(client: ConfigClient, owner: string, repo: string, knownRules: ReadonlySet<string>): Promise<ConfigOutcome> {
  let res: Awaited<ReturnType<ConfigClient['config']['get']>>;
  try {
    res = await client.config.get({ owner, repo, path: CONFIG_PATH, defaults: (configs) => mergeConfigs(configs) });
  } catch (err) {
    const e = err as Error & { cause?: { message?: string; linePos?: { line: number }[] } };
    const url = /from (\S+)/.exec(e.message)?.[1];
    const file = url ? fileLabelFromUrl(url) : CONFIG_PATH;
    const cause = e.cause?.message?.split('\n')[0];
    return { ok: false, error: { message: cause ? `not valid YAML: ${cause}` : e.message, file, line: e.cause?.linePos?.[0]?.line } };
  }
  const found = res.files.filter((f) => f.config !== null);
  const sources = found.map((f) => `${f.owner}/${f.repo}:${f.path}`);
  if (!found.length) return { ok: true, config: { ...DEFAULT_CONFIG }, sources };
  try {
    return { ok: true, config: parseConfig(stringify(res.config), CONFIG_PATH, knownRules), sources };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Find the line in the file that carries the mistake, file by file.
    for (const f of found) {
      const label = `${f.owner}/${f.repo}:${f.path}`;
      let text: string;
      try {
        const r = await client.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: f.owner, repo: f.repo, path: f.path, mediaType: { format: 'raw' } });
        text = typeof r.data === 'string' ? r.data : Buffer.from(r.data as ArrayBuffer).toString('utf8');
      } catch {
        continue;
      }
      try {
        // `_extends` belongs to the loader, not to readiness: blank it out, keeping line numbers.
        parseConfig(text.replace(/^_extends[ \t]*:.*$/m, ''), label, knownRules);
      } catch (e2) {
        if (e2 instanceof ConfigError) return { ok: false, error: { message: bareMessage(e2), file: label, line: e2.line } };
      }
    }
    return { ok: false, error: { message: bareMessage(err), file: sources.join(' + ') } };
  }
}

/** ConfigError's message without its `file:line: ` prefix. */
function bareMessage(e: ConfigError): string {
  const prefix = `${e.file}:${e.line}: `;
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}

/** `https://api.github.com/repos/o/r/contents/.github/readiness.yml` → `o/r:.github/readiness.yml`. */
function fileLabelFromUrl(url: string): string {
  const m = /\/repos\/([^/]+)\/([^/]+)\/contents\/([^?]+)/.exec(url);
  return m ? `${m[1]}/${m[2]}:${decodeURIComponent(m[3]!)}` : url;
}

/**
 * Deep merge like Probot's `context.config`: mappings merge key by key, lists concatenate (an
 * org-wide `ignore` plus the repository's), anything else is replaced by the later file.
 */
export function mergeConfigs(configs: Record<string, unknown>[]): Record<string, unknown> {
  const merge = (a: unknown, b: unknown): unknown => {
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    if (isPlain(a) && isPlain(b)) {
      const out: Record<string, unknown> = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
      return out;
    }
    return b;
  };
  return configs.reduce<Record<string, unknown>>((acc, c) => merge(acc, c) as Record<string, unknown>, {});
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Config outcomes per repository, so PR events do not re-read the same file (one or two requests
 * each). The app sees every push to a default branch: one to the repository drops its entry, one
 * to the owner's `.github` repository drops the owner's entries. The time to live only covers
 * what no push tells us (an `_extends` target elsewhere, a repository without the app).
 */
export class ConfigCache {
  private readonly map = new LruMap<string, { at: number; outcome: ConfigOutcome }>(1000);
  constructor(
    private readonly ttlMs: number = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(repoFullName: string): ConfigOutcome | undefined {
    const e = this.map.get(repoFullName.toLowerCase());
    if (!e || this.now() - e.at > this.ttlMs) return undefined;
    return e.outcome;
  }

  set(repoFullName: string, outcome: ConfigOutcome): void {
    if (this.ttlMs > 0) this.map.set(repoFullName.toLowerCase(), { at: this.now(), outcome });
  }

  invalidate(repoFullName: string): void {
    const name = repoFullName.toLowerCase();
    const [owner, repo] = name.split('/');
    if (repo !== '.github') {
      this.map.delete(name);
      return;
    }
    for (const k of [...this.map.keys()]) if (k.startsWith(`${owner}/`)) this.map.delete(k);
  }
}
