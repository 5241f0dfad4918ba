import { createHmac, randomUUID } from 'node:crypto';

/**
 * Sends webhooks to a running app the way GitHub does: JSON body, `X-GitHub-Event`,
 * `X-GitHub-Delivery` and the `X-Hub-Signature-256` HMAC of the body with the webhook secret.
 */
export async function sendWebhook(url: string, secret: string, name: string, payload: object, id: string = randomUUID()): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': name, 'x-github-delivery': id, 'x-hub-signature-256': signature, 'user-agent': 'GitHub-Hookshot/bench' },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

export interface RepoRef {
  owner: string;
  repo: string;
  installation: number;
}

function repository(r: RepoRef) {
  return { id: 1, name: r.repo, full_name: `${r.owner}/${r.repo}`, html_url: `https://github.com/${r.owner}/${r.repo}`, default_branch: 'main', owner: { login: r.owner, type: 'Organization' } };
}

/** A `pull_request` payload with the fields the app reads. */
export function pullRequestPayload(r: RepoRef, o: { action: 'opened' | 'synchronize'; number: number; head: string; base: string; baseRef?: string; updatedAt?: string }): object {
  return {
    action: o.action,
    number: o.number,
    installation: { id: r.installation },
    repository: repository(r),
    sender: { login: 'dev', type: 'User' },
    pull_request: { number: o.number, state: 'open', draft: false, head: { sha: o.head, ref: `feature-${o.number}` }, base: { sha: o.base, ref: o.baseRef ?? 'main' }, ...(o.updatedAt ? { updated_at: o.updatedAt } : {}) },
  };
}

/** A branch `push` payload. */
export function pushPayload(r: RepoRef, o: { branch: string; before: string; after: string; pushedAt?: number }): object {
  return {
    ref: `refs/heads/${o.branch}`,
    before: o.before,
    after: o.after,
    created: false,
    deleted: false,
    forced: false,
    installation: { id: r.installation },
    repository: { ...repository(r), ...(o.pushedAt ? { pushed_at: o.pushedAt } : {}) },
    sender: { login: 'dev', type: 'User' },
  };
}
