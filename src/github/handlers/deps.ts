import type { ConfigCache } from '../config.js';
import type { ScanJob } from '../jobs.js';
import type { ScanQueue } from '../queue.js';
import type { RecentScans } from '../recent.js';

/** What every webhook handler may use: nothing that talks to GitHub. */
export interface HandlerDeps {
  queue: ScanQueue<ScanJob>;
  recent: RecentScans;
  configCache: ConfigCache;
}

/** Payload pieces every repository event carries. */
export interface RepoPayload {
  installation?: { id: number } | null;
  repository?: { name: string; full_name: string; html_url: string; owner: { login?: string; name?: string | null } | null } | null;
}

/** Installation, owner, repo and links from a payload, or undefined without an installation. */
export function repoCoords(p: RepoPayload): { installationId: number; owner: string; repo: string; repoUrl: string; fullName: string } | undefined {
  const r = p.repository;
  const owner = r?.owner?.login ?? r?.owner?.name ?? r?.full_name.split('/')[0];
  if (!p.installation || !r || !owner) return undefined;
  return { installationId: p.installation.id, owner, repo: r.name, repoUrl: r.html_url, fullName: r.full_name };
}

/** Memo keys: any automatic scan of a SHA, and one for a SHA on a given PR. */
export function shaSeenKey(fullName: string, sha: string): string {
  return `${fullName.toLowerCase()}@${sha}`;
}

export function prSeenKey(fullName: string, sha: string, pr: number): string {
  return `${fullName.toLowerCase()}@${sha}#${pr}`;
}
