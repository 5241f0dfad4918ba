import type { Context } from 'probot';
import { branchKey } from '../jobs.js';
import { repoCoords, shaSeenKey, type HandlerDeps } from './deps.js';

/**
 * merge_group checks_requested: scan the merge queue's commit so the check can be required on
 * repositories that use a merge queue; compared with the queue's base for `gate: new`.
 */
export function onMergeGroup(deps: HandlerDeps) {
  return async (context: Context<'merge_group.checks_requested'>): Promise<void> => {
    const p = context.payload;
    const where = repoCoords(p);
    if (!where) return context.log.debug('skip: no installation in payload');
    const g = p.merge_group;
    deps.recent.mark(shaSeenKey(where.fullName, g.head_sha));
    await deps.queue.add({
      ...where,
      key: branchKey(where.owner, where.repo, g.head_ref),
      deliveryId: context.id,
      trigger: 'merge_group',
      sha: g.head_sha,
      compare: { sha: g.base_sha, label: g.base_ref.replace(/^refs\/heads\//, '') },
    });
  };
}
