import type { Logger } from 'pino';
import type { ProbotOctokit } from 'probot';
import type { OpenRun, ScanState } from '../queue/state.js';
import { completeRun } from './coalesce.js';
import type { CheckOutput } from './summary.js';

/**
 * The last resort behind "every check run that was created ends completed": runs still open in
 * the shared ledger past `maxAgeMs` (a worker that hung, a completing update GitHub never
 * accepted, a crash with no retry left) are completed neutral with a summary saying why. Every
 * worker runs a reaper; a lease lets one of them sweep at a time.
 *
 * Limit: the ledger lives in Redis. A Redis that restarts empty forgets the runs open at that
 * moment; runs whose worker survives are completed by that worker, but a run whose worker died
 * together with Redis stays in progress (GitHub has no API to list a repository's in-progress
 * runs without naming a commit, so finding them would mean walking every installation's refs).
 * Give Redis persistence (appendonly) where that matters; test/scale/redis-restart.test.ts.
 */
export interface ReaperOptions {
  state: ScanState;
  auth: (installationId: number) => Promise<ProbotOctokit>;
  log: Logger;
  /** A run open longer than this is reaped (default 30 minutes: far past any scan). */
  maxAgeMs?: number;
  /** How often to look (default one minute). */
  intervalMs?: number;
  /** Runs completed per sweep, at most. */
  batch?: number;
  now?: () => number;
}

/** Longest a sweep may hold the reaper lease (a sweep completes at most `batch` runs). */
const LEASE_MS = 5 * 60_000;

export function renderTimedOut(minutes: number): CheckOutput {
  return {
    title: 'Scan timed out',
    summary: `readiness started this scan but it did not finish within ${minutes} minutes, so it was stopped. The result is neutral and does not block merging. Press **Rescan** (or comment \`/readiness rescan\`) to scan again.`,
    text: '',
  };
}

export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  private readonly maxAge: number;
  private readonly interval: number;

  constructor(private readonly o: ReaperOptions) {
    this.maxAge = o.maxAgeMs ?? 30 * 60_000;
    this.interval = o.intervalMs ?? 60_000;
  }

  start(): this {
    this.timer ??= setInterval(() => void this.sweep().catch((err: unknown) => this.o.log.error({ err }, 'reaper sweep failed')), this.interval);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping?.catch(() => {});
  }

  /** One pass; returns how many runs it completed. */
  sweep(): Promise<number> {
    this.sweeping ??= this.doSweep().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async doSweep(): Promise<number> {
    const { state } = this.o;
    const now = (this.o.now ?? Date.now)();
    const limit = this.o.batch ?? 100;
    if (!(await state.staleRuns(now - this.maxAge, 1)).length) return 0;
    // One sweeper at a time across workers; the lease expires by itself if its holder dies.
    if (!(await state.tryLease('reaper', LEASE_MS))) return 0;
    try {
      return await this.complete(await state.staleRuns(now - this.maxAge, limit), now);
    } finally {
      await state.releaseLease('reaper').catch(() => {});
    }
  }

  private async complete(stale: OpenRun[], now: number): Promise<number> {
    const { state, log } = this.o;
    let done = 0;
    for (const run of stale) {
      try {
        const octokit = await this.o.auth(run.installationId);
        await completeRun(octokit, run, 'neutral', renderTimedOut(Math.round(this.maxAge / 60_000)), new Date(now));
        done++;
        log.warn({ run: run.id, repo: `${run.owner}/${run.repo}`, sha: run.sha, delivery: run.delivery, ageMs: now - run.at }, 'reaped a check run left in progress');
      } catch (err) {
        const status = (err as { status?: number }).status;
        // Gone (deleted run, uninstalled app): nothing left to complete.
        if (status === 404 || status === 401 || status === 403) await state.closeRun(run.id);
        else log.error({ err, run: run.id }, 'could not reap a check run');
      }
    }
    return done;
  }
}
