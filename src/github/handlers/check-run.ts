import type { Context } from 'probot';
import { CHECK_NAME, RESCAN_ACTION, prFromExternalId } from '../check-run.js';
import { prKey, shaKey } from '../jobs.js';
import { repoCoords, type HandlerDeps } from './deps.js';

/**
 * check_run rerequested (the Re-run button) and requested_action `rescan` (our button): scan
 * the run's commit again with a new check run. The PR comes from our `external_id` (`pr:12`),
 * else from the payload's `pull_requests` (empty for forks), else the worker looks it up by SHA.
 */
export function onCheckRun(deps: HandlerDeps) {
  return async (context: Context<'check_run.rerequested' | 'check_run.requested_action'>): Promise<void> => {
    const p = context.payload;
    const where = repoCoords(p);
    if (!where) return context.log.debug('skip: no installation in payload');
    const run = p.check_run;
    if (run.name !== CHECK_NAME) return context.log.debug(`skip: check run "${run.name}" is not ours`);
    if (p.action === 'requested_action' && p.requested_action?.identifier !== RESCAN_ACTION.identifier) {
      return context.log.debug(`skip: unknown action ${p.requested_action?.identifier}`);
    }
    const listed = run.pull_requests[0];
    const number = prFromExternalId(run.external_id) ?? listed?.number;
    const pr = listed && listed.number === number ? { number, baseSha: listed.base.sha, baseRef: listed.base.ref } : undefined;
    await deps.queue.add({
      ...where,
      key: number ? prKey(where.owner, where.repo, number) : shaKey(where.owner, where.repo, run.head_sha),
      deliveryId: context.id,
      trigger: 'check_run',
      sha: run.head_sha,
      // A PR known only by number (forks): the worker fetches it; none at all: looked up by SHA.
      ...(pr ? { pr } : number ? { prNumber: number } : { findPr: true }),
    });
  };
}
