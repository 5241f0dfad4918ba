import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { ProbotOctokit } from 'probot';
import type { OpenRun, ScanState } from '../queue/state.js';
import { CHECK_NAME, RESCAN_ACTION, externalIdFor } from './check-run.js';
import type { ScanJob } from './jobs.js';
import { routeOf, type ReadinessMetrics } from './metrics.js';
import type { CheckOutput } from './summary.js';
import type { WorkerDeps } from './worker.js';

/**
 * Coalescing and the guarantee that every check run ends completed, around the worker:
 * - a newer commit on a PR or branch supersedes queued and running scans of older commits
 *   (queued ones get a check run completed `cancelled`, running ones are cancelled before they
 *   publish, see `WorkerDeps.supersededBy`);
 * - check runs are tracked from the API calls themselves (an Octokit hook sees every run created
 *   in_progress and every run completed), so a job re-delivered after a crash completes what the
 *   dead worker left open, and a job that keeps failing completes its run with an explanation;
 * - one job per PR or branch runs at a time, across workers (a lease in the shared state).
 */

/**
 * Triggers that bring a new commit to their key: they mark it the newest and are superseded by
 * newer ones. Explicit requests (Re-run, Rescan, `/readiness rescan`, merge queue) are never
 * cancelled: someone asked for that commit.
 */
export function coalesces(job: ScanJob): boolean {
  if (!job.sha) return false;
  return job.trigger === 'pull_request' || job.trigger === 'push' || (job.trigger === 'check_suite' && job.skipIfPrOpen === true);
}

const short = (sha: string) => sha.slice(0, 7);

export function renderSuperseded(sha: string, newer: string): CheckOutput {
  return {
    title: `Superseded by ${short(newer)}`,
    summary: `Not scanned to the end: a newer commit, ${newer}, arrived on the same pull request or branch, and readiness scans that one instead of ${sha}.`,
    text: '',
  };
}

export function renderRestarted(delivery: string, afterFailure: boolean): CheckOutput {
  return {
    title: 'Restarted',
    summary: afterFailure
      ? `An earlier attempt of this scan failed before it could report (delivery ${delivery}); readiness tried again and reports in a new check run on this commit.`
      : `The worker running this scan stopped before it finished (delivery ${delivery}); the scan was handed to another worker, which reports in a new check run on this commit.`,
    text: '',
  };
}

export function renderGaveUp(reason: string, attempts: number, failOnError: boolean): CheckOutput {
  return {
    title: 'Scan could not finish',
    summary: [
      `readiness tried ${attempts} time${attempts === 1 ? '' : 's'} and could not finish this scan:`,
      '',
      '```',
      reason.slice(0, 2000),
      '```',
      '',
      failOnError
        ? 'This check fails because `fail_on_error: true` is set in `.github/readiness.yml`.'
        : 'The check is neutral so it does not block merging; set `fail_on_error: true` in `.github/readiness.yml` to make such errors fail it.',
      'Press **Rescan** (or comment `/readiness rescan`) to try again.',
    ].join('\n'),
    text: '',
  };
}

export interface SupervisorOptions {
  deps: WorkerDeps;
  state: ScanState;
  /** The worker proper (`runJob`). */
  work: (job: ScanJob) => Promise<void>;
  log: Logger;
  metrics?: ReadinessMetrics;
}

export interface Attempt {
  /** 1 for the first run of a job. */
  number: number;
  /** No retry follows a failure of this attempt. */
  final: boolean;
  /** The job was handed over after its worker stopped (BullMQ: started more often than failed). */
  redelivered?: boolean;
}

/** Wraps the worker; one per process. */
export class ScanSupervisor {
  private readonly current = new AsyncLocalStorage<ScanJob>();
  private readonly instrumented = new WeakSet<object>();

  constructor(private readonly o: SupervisorOptions) {
    const deps = o.deps;
    const auth = deps.auth.bind(deps);
    deps.auth = async (id) => this.instrument(await auth(id), id);
    const report = deps.onReport;
    deps.onReport = (r) => {
      o.metrics?.scanFinished(r);
      report?.(r);
    };
    deps.supersededBy = async (job) => {
      // A scan that got this far publishes when the shared state cannot say (Redis down).
      const newer = await this.newerThan(job).catch((err: unknown) => {
        o.log.warn({ err, delivery: job.deliveryId }, 'could not ask the shared state for a newer commit; publishing');
        return undefined;
      });
      return newer ? { sha: newer, output: renderSuperseded(job.sha, newer) } : undefined;
    };
  }

  get state(): ScanState {
    return this.o.state;
  }

  /**
   * Called when a job is accepted: false for a delivery already queued (GitHub redelivers, or
   * two replicas got it); records the job's commit as its key's newest.
   */
  async accept(job: ScanJob): Promise<boolean> {
    if (!(await this.o.state.firstDelivery(job.deliveryId))) {
      this.o.log.info({ delivery: job.deliveryId, repo: `${job.owner}/${job.repo}` }, 'duplicate delivery ignored');
      return false;
    }
    if (coalesces(job) && !(await this.o.state.markLatest(job.key, job.sha, job.at))) {
      // Accepted all the same: it runs, finds the newer commit and ends `cancelled` naming it.
      this.o.log.info({ delivery: job.deliveryId, repo: `${job.owner}/${job.repo}`, sha: job.sha }, 'delivery of an older commit arrived after a newer one');
    }
    return true;
  }

  /** The newer commit that supersedes this job's, if any. */
  async newerThan(job: ScanJob): Promise<string | undefined> {
    if (!coalesces(job)) return undefined;
    const latest = await this.o.state.latest(job.key);
    return latest && latest !== job.sha ? latest : undefined;
  }

  /** Runs one attempt of a job; throws when it should be retried (or has failed for good). */
  async run(job: ScanJob, attempt: Attempt): Promise<void> {
    const { state, log } = this.o;
    await state.withKeyLock(job.key, async () => {
      const jlog = log.child({ delivery: job.deliveryId, installation: job.installationId, repo: `${job.owner}/${job.repo}`, sha: job.sha, attempt: attempt.number });
      const leftovers = await state.openRunsOf(job.deliveryId);
      if (attempt.redelivered) leftovers.push(...(await this.unrecordedRuns(job, leftovers)));
      const newer = await this.newerThan(job);
      if (newer) {
        const started = performance.now();
        const octokit = await this.o.deps.auth(job.installationId);
        const output = renderSuperseded(job.sha, newer);
        if (leftovers.length) await this.completeAll(octokit, leftovers, 'cancelled', output, jlog);
        else await this.createCompleted(octokit, job, 'cancelled', output);
        const durationMs = Math.round(performance.now() - started);
        jlog.info({ outcome: 'superseded', newer, durationMs }, 'scan job finished');
        this.o.metrics?.scanFinished({ job, outcome: 'superseded', conclusion: 'cancelled', durationMs });
        return;
      }
      if (leftovers.length) {
        jlog.warn({ runs: leftovers.map((r) => r.id) }, 'completing check runs left open by an earlier attempt');
        await this.completeAll(await this.o.deps.auth(job.installationId), leftovers, 'cancelled', renderRestarted(job.deliveryId, attempt.number > 1), jlog);
      }
      let failure: unknown;
      try {
        await this.current.run(job, () => this.o.work(job));
      } catch (err) {
        failure = err;
      }
      if (failure === undefined) {
        // The worker returned, but a run it created is still open: its completing update failed.
        const open = await state.openRunsOf(job.deliveryId);
        if (!open.length) return;
        failure = new Error(`check run ${open.map((r) => r.id).join(', ')} was left in progress`);
      }
      jlog.warn({ err: failure, final: attempt.final }, attempt.final ? 'scan failed for good' : 'scan failed; will retry');
      if (attempt.final) await this.giveUp(job, failure, attempt.number, jlog);
      throw failure;
    });
  }

  /**
   * Our in_progress runs on the job's commit that the ledger does not know: a worker that died
   * between creating a run and recording it. One request, only for re-delivered jobs.
   */
  private async unrecordedRuns(job: ScanJob, known: OpenRun[]): Promise<OpenRun[]> {
    if (!job.sha) return [];
    try {
      const octokit = await this.o.deps.auth(job.installationId);
      const { data } = await octokit.rest.checks.listForRef({ owner: job.owner, repo: job.repo, ref: job.sha, check_name: CHECK_NAME, status: 'in_progress', filter: 'latest' });
      const ids = new Set(known.map((r) => r.id));
      return data.check_runs
        .filter((r) => !ids.has(r.id))
        .map((r) => ({ id: r.id, installationId: job.installationId, owner: job.owner, repo: job.repo, sha: job.sha, delivery: job.deliveryId, at: Date.now() }));
    } catch (err) {
      this.o.log.warn({ err, delivery: job.deliveryId }, 'could not list in-progress check runs of a re-delivered job');
      return [];
    }
  }

  /** Completes the job's open runs (or one new run) explaining the failure. */
  private async giveUp(job: ScanJob, err: unknown, attempts: number, log: Logger): Promise<void> {
    try {
      const cfg = this.o.deps.configCache.get(`${job.owner}/${job.repo}`);
      const failOnError = cfg?.ok === true && cfg.config.failOnError === true;
      const output = renderGaveUp(describe(err), attempts, failOnError);
      const conclusion = failOnError ? 'failure' : 'neutral';
      const octokit = await this.o.deps.auth(job.installationId);
      const open = await this.o.state.openRunsOf(job.deliveryId);
      if (open.length) await this.completeAll(octokit, open, conclusion, output, log);
      else if (job.sha && !job.skipIfPrOpen) await this.createCompleted(octokit, job, conclusion, output);
      this.o.metrics?.scanFinished({ job, outcome: 'error', conclusion, durationMs: 0 });
    } catch (e) {
      // The reaper is the last resort for a run this could not complete.
      log.error({ err: e }, 'could not complete the check run of a failed scan');
    }
  }

  private async createCompleted(octokit: ProbotOctokit, job: ScanJob, conclusion: 'cancelled' | 'neutral' | 'failure', output: CheckOutput): Promise<void> {
    const pr = job.pr?.number ?? job.prNumber;
    await octokit.rest.checks.create({
      owner: job.owner,
      repo: job.repo,
      name: CHECK_NAME,
      head_sha: job.sha,
      status: 'completed',
      conclusion,
      completed_at: this.o.deps.now().toISOString(),
      output: { title: output.title, summary: output.summary },
      ...(pr ? { external_id: externalIdFor(pr) } : {}),
      actions: [RESCAN_ACTION],
    });
  }

  private async completeAll(octokit: ProbotOctokit, runs: OpenRun[], conclusion: 'cancelled' | 'neutral' | 'failure', output: CheckOutput, log: Logger): Promise<void> {
    for (const r of runs) {
      await completeRun(octokit, r, conclusion, output, this.o.deps.now()).catch((err: unknown) => log.error({ err, run: r.id }, 'could not complete a check run'));
    }
  }

  /**
   * Hooks an installation client: counts requests by route and status, and keeps the open-run
   * ledger from the check-run calls themselves (created in_progress → open; completed → closed;
   * 404 → gone).
   */
  private instrument(octokit: ProbotOctokit, installationId: number): ProbotOctokit {
    if (this.instrumented.has(octokit)) return octokit;
    this.instrumented.add(octokit);
    octokit.hook.wrap('request', async (request, options) => {
      const o = options as Record<string, unknown> & { method: string; url: string };
      const route = routeOf(o.url);
      let status = 0;
      try {
        const res = await request(options);
        status = res.status;
        await this.track(o, route, res.data, installationId);
        return res;
      } catch (err) {
        status = (err as { status?: number }).status ?? 0;
        if (status === 404 && o.method === 'PATCH' && route.endsWith('/check-runs/{check_run_id}')) {
          await this.o.state.closeRun(Number(o.check_run_id)).catch(() => {});
        }
        throw err;
      } finally {
        this.o.metrics?.githubRequest(o.method, route, status);
      }
    });
    return octokit;
  }

  private async track(o: Record<string, unknown> & { method: string }, route: string, data: unknown, installationId: number): Promise<void> {
    try {
      if (o.method === 'POST' && route === '/repos/{owner}/{repo}/check-runs' && o.status === 'in_progress') {
        const job = this.current.getStore();
        await this.o.state.addRun({
          id: (data as { id: number }).id,
          installationId,
          owner: String(o.owner),
          repo: String(o.repo),
          sha: String(o.head_sha),
          delivery: job?.deliveryId ?? '',
          at: Date.now(),
        });
      } else if (o.method === 'PATCH' && route === '/repos/{owner}/{repo}/check-runs/{check_run_id}' && o.status === 'completed') {
        await this.o.state.closeRun(Number(o.check_run_id));
      }
    } catch (err) {
      // Bookkeeping must never fail a scan; the reaper covers a run we failed to record.
      this.o.log.warn({ err }, 'could not record a check run in the shared state');
    }
  }
}

/** One completing update of a run we know only from the ledger. */
export async function completeRun(octokit: ProbotOctokit, run: OpenRun, conclusion: 'cancelled' | 'neutral' | 'failure', output: CheckOutput, now: Date): Promise<void> {
  await octokit.rest.checks.update({
    owner: run.owner,
    repo: run.repo,
    check_run_id: run.id,
    status: 'completed',
    conclusion,
    completed_at: now.toISOString(),
    output: { title: output.title, summary: output.summary },
    actions: [RESCAN_ACTION],
  });
}

function describe(err: unknown): string {
  const e = err as { status?: number; message?: string };
  return e.status ? `GitHub answered ${e.status}: ${e.message ?? ''}` : (e.message ?? String(err));
}
