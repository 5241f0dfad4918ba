import type { ProbotOctokit } from 'probot';
import { STICKY_MARKER, decodeState, type StickyState } from './comment.js';
import { MAX_PER_PAGE } from './limits.js';

/** What happened to the comment; `failed` is set by the worker when GitHub refused. */
export type StickyOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';

interface IssueComment {
  id: number;
  body?: string | null;
  user?: { type?: string; login?: string } | null;
}

/**
 * Keeps exactly one readiness comment on a PR (danger-js's updateOrCreateComment, made safe):
 * - finds ours by the hidden marker, only among bot comments (a human quoting it is left alone);
 * - deletes duplicates left by an older run or a race, keeping the oldest;
 * - hands the previous hidden state to `build`, which returns the new body or undefined to post
 *   nothing;
 * - does not edit when the body is identical (GitHub limits content-creating requests);
 * - creates the comment again when a user deleted it (also when it vanishes between the list and
 *   the edit).
 * Callers serialise per PR (KeyedMutex) so two scans cannot both create one. `knownAbsent` (a PR
 * that was just opened) skips the listing.
 */
export async function upsertStickyComment(
  octokit: ProbotOctokit,
  where: { owner: string; repo: string; pr: number },
  build: (previous: StickyState | undefined, exists: boolean) => string | undefined,
  opts: { knownAbsent?: boolean } = {},
): Promise<StickyOutcome> {
  const { owner, repo, pr } = where;
  if (opts.knownAbsent) {
    const body = build(undefined, false);
    if (body === undefined) return 'skipped';
    await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
    return 'created';
  }
  const all = (await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner,
    repo,
    issue_number: pr,
    per_page: MAX_PER_PAGE,
  })) as IssueComment[];
  const ours = all.filter((c) => c.user?.type === 'Bot' && (c.body ?? '').includes(STICKY_MARKER)).sort((a, b) => a.id - b.id);
  const [keep, ...duplicates] = ours;
  for (const d of duplicates) {
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: d.id }).catch(ignore404);
  }
  const body = build(keep ? decodeState(keep.body ?? '') : undefined, keep !== undefined);
  if (body === undefined) return 'skipped';
  if (keep) {
    if (keep.body === body) return 'unchanged';
    try {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: keep.id, body });
      return 'updated';
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
    }
  }
  await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
  return 'created';
}

function ignore404(err: unknown): void {
  if ((err as { status?: number }).status !== 404) throw err;
}
