/**
 * A scan job: plain, serialisable data that says what to scan and where to report. Handlers
 * build it from the payload alone (no API calls before the webhook is answered); the worker
 * does everything else.
 */
export type Trigger = 'pull_request' | 'push' | 'check_suite' | 'check_run' | 'merge_group' | 'comment';

export interface RepoCoords {
  installationId: number;
  owner: string;
  repo: string;
  /** `https://github.com/owner/repo`, or the GHE address: links in comments point here. */
  repoUrl: string;
}

export interface PullRef {
  number: number;
  baseSha: string;
  baseRef: string;
}

export interface ScanJob extends RepoCoords {
  /** Serialisation key: jobs with one key run one after another (one PR, one branch). */
  key: string;
  deliveryId: string;
  trigger: Trigger;
  /** The commit to scan (a slash command fills it from the PR when the job runs). */
  sha: string;
  /**
   * When the event happened (epoch ms): the PR's `updated_at`, the push's `pushed_at`. Orders
   * commits of one key when deliveries arrive out of order; absent when the payload has none.
   */
  at?: number;
  /** The PR this scan reports to (sticky comment, new-vs-base), when known from the payload. */
  pr?: PullRef;
  /** A PR known only by number (our check run's external_id on a fork PR): fetched by the worker. */
  prNumber?: number;
  /**
   * Set for `pull_request.opened`: the PR is brand new, so it cannot carry our comment yet and
   * the comment is created without listing the PR's comments first (one request saved; a
   * redelivered `opened` may leave a duplicate, which the next scan deletes).
   */
  newPr?: boolean;
  /** A re-run whose payload names no PR: look one up by SHA (fork PRs list none). */
  findPr?: boolean;
  /** push / check_suite requested: an open PR whose head is this SHA scans it; skip then. */
  skipIfPrOpen?: boolean;
  /** Without a PR: compare with this commit for `gate: new` (merge group base, push `before`). */
  compare?: { sha: string; label: string };
  /** `/readiness rescan|help` on a PR: check permission, react, then scan the PR's head. */
  command?: { kind: 'rescan' | 'help'; prNumber: number; commentId: number; login: string };
}

export function prKey(owner: string, repo: string, pr: number): string {
  return `${owner}/${repo}#${pr}`.toLowerCase();
}

export function branchKey(owner: string, repo: string, branch: string): string {
  return `${owner}/${repo}@${branch}`.toLowerCase();
}

export function shaKey(owner: string, repo: string, sha: string): string {
  return `${owner}/${repo}@sha:${sha}`.toLowerCase();
}

/**
 * An event time from a payload field, epoch ms: GitHub sends ISO strings (`updated_at`) and, in
 * push payloads, `repository.pushed_at` as epoch seconds. Undefined when absent or unreadable.
 */
export function eventTime(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e12 ? v * 1000 : v;
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** True for the all-zero SHA GitHub sends for a created or deleted ref. */
export function isNullSha(sha: string | null | undefined): boolean {
  return !sha || /^0+$/.test(sha);
}
