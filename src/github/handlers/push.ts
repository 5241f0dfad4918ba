import type { Context } from 'probot';
import { branchKey, eventTime, isNullSha } from '../jobs.js';
import { repoCoords, shaSeenKey, type HandlerDeps } from './deps.js';

/** Branches GitHub's merge queue pushes to; merge_group events scan those commits. */
const MERGE_QUEUE_PREFIX = 'gh-readonly-queue/';

/**
 * push: scan the pushed commit of a branch. Skipped: branch deletions, tags, merge-queue
 * branches, commits already queued here by another automatic trigger, and (checked by the worker
 * with one request) commits that are the head of an open PR, whose pull_request event scans them.
 * A push to the default branch also drops the cached config.
 */
export function onPush(deps: HandlerDeps) {
  return async (context: Context<'push'>): Promise<void> => {
    const p = context.payload;
    const where = repoCoords(p);
    if (!where) return context.log.debug('skip: no installation in payload');
    if (!p.ref.startsWith('refs/heads/')) return context.log.debug(`skip: ${p.ref} is not a branch`);
    const branch = p.ref.slice('refs/heads/'.length);
    if (branch === p.repository.default_branch) deps.configCache.invalidate(where.fullName);
    if (p.deleted || isNullSha(p.after)) return context.log.debug(`skip: ${branch} was deleted`);
    if (branch.startsWith(MERGE_QUEUE_PREFIX)) return context.log.debug('skip: merge queue branch (merge_group scans it)');
    const at = eventTime(p.repository.pushed_at);
    const seen = shaSeenKey(where.fullName, p.after);
    if (deps.recent.has(seen)) return context.log.debug(`skip: ${p.after} already queued`);
    deps.recent.mark(seen);
    await deps.queue.add({
      ...where,
      key: branchKey(where.owner, where.repo, branch),
      deliveryId: context.id,
      trigger: 'push',
      sha: p.after,
      ...(at === undefined ? {} : { at }),
      skipIfPrOpen: true,
      ...(isNullSha(p.before) || p.forced ? {} : { compare: { sha: p.before, label: p.before.slice(0, 7) } }),
    });
  };
}
