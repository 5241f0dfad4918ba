import type { Context } from 'probot';
import { parseCommand } from '../commands.js';
import { prKey } from '../jobs.js';
import { repoCoords, type HandlerDeps } from './deps.js';

/**
 * issue_comment created on a PR with `/readiness rescan` or `/readiness help`: queue the command;
 * the worker checks the author's permission through the API (author_association is not enough),
 * reacts and scans. Bots (this app included) are ignored; edits never arrive (only `created`).
 */
export function onIssueComment(deps: HandlerDeps) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const p = context.payload;
    const where = repoCoords(p);
    if (!where) return context.log.debug('skip: no installation in payload');
    if (!p.issue.pull_request) return context.log.debug('skip: comment on an issue, not a PR');
    if (p.comment.user?.type === 'Bot' || p.sender.type === 'Bot') return context.log.debug('skip: comment by a bot');
    const kind = parseCommand(p.comment.body);
    if (!kind) return;
    await deps.queue.add({
      ...where,
      key: prKey(where.owner, where.repo, p.issue.number),
      deliveryId: context.id,
      trigger: 'comment',
      sha: '',
      command: { kind, prNumber: p.issue.number, commentId: p.comment.id, login: p.comment.user?.login ?? p.sender.login },
    });
  };
}
