import { Octokit } from '@octokit/rest';
import { GitHubSnapshot, createReadCache, type GitHubReadCache } from './snapshot.js';

/** `github:owner/repo` or `github:owner/repo@ref` (branch, tag or SHA). */
export interface RemoteTarget {
  owner: string;
  repo: string;
  ref?: string;
}

const TARGET_RE = /^github:([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})(?:@(.+))?$/;

/** Parses a CLI target; undefined when it is not a `github:` target. */
export function parseGitHubTarget(target: string): RemoteTarget | undefined {
  const m = TARGET_RE.exec(target.trim());
  if (!m) return undefined;
  const repo = m[2]!.replace(/\.git$/, '');
  return { owner: m[1]!, repo, ...(m[3] ? { ref: m[3] } : {}) };
}

export class RemoteTargetError extends Error {
  override name = 'RemoteTargetError';
}

export interface RemoteOptions {
  /** Defaults to GITHUB_TOKEN, then GH_TOKEN; without one, public repositories only. */
  token?: string;
  /** API root; defaults to GHE_HOST (+ GHE_PROTOCOL), then GITHUB_API_URL, then api.github.com. */
  baseUrl?: string;
  env?: NodeJS.ProcessEnv;
  cache?: GitHubReadCache;
  /** For tests: a fetch implementation. */
  fetch?: typeof fetch;
}

/**
 * The snapshot behind `readiness scan github:owner/repo[@ref]`: resolves the ref to a commit
 * (one request), then reads it like the app does. With a token, blobs come through GraphQL (or the
 * tarball for big reads); anonymously (GraphQL needs a token) through the tarball or REST.
 *
 * @example
 * const snap = await openGitHubSnapshot('github:tiangolo/full-stack-fastapi-template@master');
 * const result = await scan(snap);
 */
export async function openGitHubSnapshot(target: string, opts: RemoteOptions = {}): Promise<GitHubSnapshot> {
  const t = parseGitHubTarget(target);
  if (!t) throw new RemoteTargetError(`not a GitHub target: ${target} (expected github:owner/repo or github:owner/repo@ref)`);
  const env = opts.env ?? process.env;
  const token = opts.token ?? env.GITHUB_TOKEN ?? env.GH_TOKEN;
  const baseUrl = opts.baseUrl ?? (env.GHE_HOST ? `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}/api/v3` : env.GITHUB_API_URL);
  const octokit = new Octokit({
    ...(token ? { auth: token } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    userAgent: 'readiness-cli',
    ...(opts.fetch ? { request: { fetch: opts.fetch } } : {}),
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  let sha: string;
  try {
    const res = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', {
      owner: t.owner,
      repo: t.repo,
      ref: t.ref ?? 'HEAD',
      mediaType: { format: 'sha' },
    });
    sha = String(res.data).trim();
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404 || status === 422) {
      throw new RemoteTargetError(
        `${t.owner}/${t.repo}${t.ref ? `@${t.ref}` : ''}: repository or ref not found${token ? '' : ' (private repositories need GITHUB_TOKEN)'}`,
      );
    }
    if (status === 401 || status === 403) throw new RemoteTargetError(`${t.owner}/${t.repo}: GitHub refused access (${status}); check GITHUB_TOKEN`);
    throw err;
  }
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new RemoteTargetError(`${t.owner}/${t.repo}: could not resolve ${t.ref ?? 'HEAD'} to a commit`);
  return new GitHubSnapshot({
    client: octokit,
    owner: t.owner,
    repo: t.repo,
    commit: sha,
    cache: opts.cache ?? createReadCache(),
    ...(token ? {} : { graphql: false, tarballMinBlobs: ANONYMOUS_TARBALL_MIN_BLOBS }),
  });
}

/**
 * Anonymous clients get 60 requests an hour: past a handful of files, one tarball download is
 * the only way a scan fits.
 */
const ANONYMOUS_TARBALL_MIN_BLOBS = 6;
