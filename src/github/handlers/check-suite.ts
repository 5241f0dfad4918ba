import type { Context } from 'probot';
import { branchKey, prKey, shaKey } from '../jobs.js';
import { repoCoords, shaSeenKey, type HandlerDeps } from './deps.js';

/**
 * check_suite requested: GitHub sends it for every push, alongside the push event; it scans only
 * what no push or PR event here has queued (the memo decides, first come first served).
 * check_suite rerequested ("Re-run all checks"): always scans again, reporting to the PR the
 * payload names, or one looked up by SHA (fork PRs are not listed in the payload).
 */
export function onCheckSuite(deps: HandlerDeps) {
  return async (context: Context<'check_suite'>): Promise<void> => {
    const p = context.payload;
    const where = repoCoords(p);
    if (!where) return context.log.debug('skip: no installation in payload');
    const suite = p.check_suite;
    const sha = suite.head_sha;
    const pr = suite.pull_requests[0];
    if (p.action === 'requested') {
      if (suite.pull_requests.length) return context.log.debug('skip: the pull_request event scans this commit');
      const seen = shaSeenKey(where.fullName, sha);
      if (deps.recent.has(seen)) return context.log.debug(`skip: ${sha} already queued`);
      deps.recent.mark(seen);
      await deps.queue.add({
        ...where,
        key: suite.head_branch ? branchKey(where.owner, where.repo, suite.head_branch) : shaKey(where.owner, where.repo, sha),
        deliveryId: context.id,
        trigger: 'check_suite',
        sha,
        skipIfPrOpen: true,
      });
      return;
    }
    if (p.action !== 'rerequested') return;
    await deps.queue.add({
      ...where,
      key: pr ? prKey(where.owner, where.repo, pr.number) : shaKey(where.owner, where.repo, sha),
      deliveryId: context.id,
      trigger: 'check_suite',
      sha,
      ...(pr ? { pr: { number: pr.number, baseSha: pr.base.sha, baseRef: pr.base.ref } } : { findPr: true }),
    });
  };
}
