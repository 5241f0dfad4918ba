import type { Context } from 'probot';
import { eventTime, prKey } from '../jobs.js';
import { prSeenKey, repoCoords, shaSeenKey, type HandlerDeps } from './deps.js';

/**
 * pull_request opened / synchronize / reopened / ready_for_review: scan the head commit and
 * report to the PR. Fork PRs are read through the base repository, so nothing here cares.
 * `reopened` and `ready_for_review` do not scan a head this process already scanned for the PR.
 */
export function onPullRequest(deps: HandlerDeps) {
  return async (context: Context<'pull_request'>): Promise<void> => {
    const p = context.payload;
    const where = repoCoords(p);
    if (!where) return context.log.debug('skip: no installation in payload');
    const pr = p.pull_request;
    const full = where.fullName;
    const seen = prSeenKey(full, pr.head.sha, pr.number);
    if ((p.action === 'reopened' || p.action === 'ready_for_review') && deps.recent.has(seen)) {
      return context.log.debug(`skip: ${pr.head.sha} already scanned for #${pr.number}`);
    }
    deps.recent.mark(seen);
    deps.recent.mark(shaSeenKey(full, pr.head.sha));
    const at = eventTime(pr.updated_at);
    await deps.queue.add({
      ...where,
      key: prKey(where.owner, where.repo, pr.number),
      deliveryId: context.id,
      trigger: 'pull_request',
      sha: pr.head.sha,
      ...(at === undefined ? {} : { at }),
      pr: { number: pr.number, baseSha: pr.base.sha, baseRef: pr.base.ref },
      ...(p.action === 'opened' ? { newPr: true } : {}),
    });
  };
}
