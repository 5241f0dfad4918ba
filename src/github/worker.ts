import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ProbotOctokit } from 'probot';
import { scanWith, type Analyser } from '../engine/analyser.js';
import { knownRuleIds } from '../engine/collect.js';
import type { Config } from '../engine/config.js';
import type { ScanResult } from '../engine/types.js';
import { LruMap } from './blob-cache.js';
import {
  CHECK_NAME,
  RESCAN_ACTION,
  annotationBatches,
  buildAnnotations,
  conclusionFor,
  externalIdFor,
} from './check-run.js';
import { renderComment, renderHelp, renderNotAllowed, shouldComment } from './comment.js';
import { ConfigCache, loadRepoConfig, type ConfigClient, type ConfigOutcome } from './config.js';
import { prKey, type PullRef, type ScanJob } from './jobs.js';
import type { Comparison } from './parts.js';
import { KeyedMutex } from './queue.js';
import { BlobFetcher, GitHubSnapshot, emptyStats, type FetchStats, type GitHubReadCache } from './snapshot.js';
import { upsertStickyComment, type StickyOutcome } from './sticky.js';
import { renderCheckOutput, renderConfigError, renderScanError, type CheckOutput } from './summary.js';

/** What a finished job reports (logs now, metrics in issue 7). */
export interface ScanReport {
  job: ScanJob;
  outcome: 'completed' | 'skipped' | 'config-error' | 'error' | 'denied' | 'help' | 'superseded';
  reason?: string;
  conclusion?: string;
  checkRunId?: number;
  comment?: StickyOutcome;
  stats?: FetchStats;
  durationMs: number;
}

export interface WorkerDeps {
  /** An installation client (`app.auth(id)`): per-installation throttling, GHE-aware. */
  auth(installationId: number): Promise<ProbotOctokit>;
  log: Logger;
  readCache: GitHubReadCache;
  configCache: ConfigCache;
  /** Fingerprints of base commits already scanned, by repo, SHA and config. */
  baseScans: LruMap<string, string[]>;
  commentLock: KeyedMutex;
  /** PR + user pairs already told they may not run commands. */
  deniedReplies: LruMap<string, true>;
  now: () => Date;
  strategy?: 'auto' | 'graphql' | 'tarball';
  /**
   * Where scans are analysed, and the rule catalogue (the app: worker threads, src/engine/threads.ts;
   * or this thread with one fact cache per process, `inProcessAnalyser`). This module collects
   * against the catalogue's metadata only, so it never loads a check or the model itself.
   */
  analyser: Analyser;
  onReport?: (r: ScanReport) => void;
  /**
   * Asked before publishing (issue 7, src/github/coalesce.ts): a newer commit on the same PR or
   * branch arrived, so this run is completed `cancelled` with the given output instead.
   */
  supersededBy?: (job: ScanJob) => Promise<{ sha: string; output: CheckOutput } | undefined>;
}

/** The collaborator permission levels that may run `/readiness` commands ("maintain" reports as write). */
const ALLOWED_PERMISSIONS = new Set(['admin', 'maintain', 'write']);

/**
 * Runs one job: the only place that turns events into API calls. Guards that need the API come
 * first (slash command permission, "an open PR covers this push"), then the check run is created
 * in_progress, the config is loaded, head (and base) are scanned, and the results published.
 */
export async function runJob(deps: WorkerDeps, job: ScanJob): Promise<ScanReport> {
  const started = performance.now();
  const log = deps.log.child({ delivery: job.deliveryId, installation: job.installationId, repo: `${job.owner}/${job.repo}`, trigger: job.trigger });
  const report = (r: Omit<ScanReport, 'job' | 'durationMs'>): ScanReport => {
    const full = { ...r, job, durationMs: Math.round(performance.now() - started) };
    log.info({ outcome: full.outcome, reason: full.reason, conclusion: full.conclusion, sha: job.sha, durationMs: full.durationMs, requests: full.stats?.requests }, 'scan job finished');
    deps.onReport?.(full);
    return full;
  };
  const octokit = await deps.auth(job.installationId);
  const { owner, repo } = job;

  if (job.command) {
    const cmd = job.command;
    const { data: perm } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: cmd.login });
    const level = (perm as { role_name?: string }).role_name ?? perm.permission;
    if (!ALLOWED_PERMISSIONS.has(level) && !ALLOWED_PERMISSIONS.has(perm.permission)) {
      const k = `${prKey(owner, repo, cmd.prNumber)}@${cmd.login.toLowerCase()}`;
      if (!deps.deniedReplies.get(k)) {
        deps.deniedReplies.set(k, true);
        await octokit.rest.issues.createComment({ owner, repo, issue_number: cmd.prNumber, body: renderNotAllowed(cmd.login) });
      }
      return report({ outcome: 'denied', reason: `${cmd.login} has ${level} permission` });
    }
    await react(octokit, job, 'eyes');
    if (cmd.kind === 'help') {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: cmd.prNumber, body: renderHelp() });
      await react(octokit, job, 'rocket');
      return report({ outcome: 'help' });
    }
    try {
      const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: cmd.prNumber });
      const pr: PullRef = { number: pull.number, baseSha: pull.base.sha, baseRef: pull.base.ref };
      const r = await scanAndPublish(deps, octokit, { ...job, sha: pull.head.sha, pr }, log);
      await react(octokit, job, r.outcome === 'error' ? 'confused' : 'rocket');
      return report(r);
    } catch (err) {
      await react(octokit, job, 'confused').catch(() => {});
      throw err;
    }
  }

  if (!job.pr && job.prNumber) {
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: job.prNumber });
    job = { ...job, pr: { number: pull.number, baseSha: pull.base.sha, baseRef: pull.base.ref } };
  }
  if (job.skipIfPrOpen || (job.findPr && !job.pr)) {
    const prs = await openPullsWithHead(octokit, job);
    if (job.skipIfPrOpen && prs.length) return report({ outcome: 'skipped', reason: `pull request #${prs[0]!.number} scans this commit` });
    if (!job.pr && prs[0]) job = { ...job, pr: { number: prs[0].number, baseSha: prs[0].base.sha, baseRef: prs[0].base.ref } };
  }
  return report(await scanAndPublish(deps, octokit, job, log));
}

async function react(octokit: ProbotOctokit, job: ScanJob, content: 'eyes' | 'rocket' | 'confused'): Promise<void> {
  if (!job.command) return;
  await octokit.rest.reactions.createForIssueComment({ owner: job.owner, repo: job.repo, comment_id: job.command.commentId, content });
}

interface PullSummary {
  number: number;
  state: string;
  head: { sha: string };
  base: { sha: string; ref: string };
}

/** Open PRs whose head is exactly this commit (one request). */
async function openPullsWithHead(octokit: ProbotOctokit, job: ScanJob): Promise<PullSummary[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: job.owner, repo: job.repo, commit_sha: job.sha, per_page: 100 });
  return (data as PullSummary[]).filter((p) => p.state === 'open' && p.head.sha === job.sha);
}

type Outcome = Omit<ScanReport, 'job' | 'durationMs'>;

async function scanAndPublish(deps: WorkerDeps, octokit: ProbotOctokit, job: ScanJob, log: Logger): Promise<Outcome> {
  const { owner, repo, sha } = job;
  const { data: created } = await octokit.rest.checks.create({
    owner,
    repo,
    name: CHECK_NAME,
    head_sha: sha,
    status: 'in_progress',
    started_at: deps.now().toISOString(),
    ...(job.pr ? { external_id: externalIdFor(job.pr.number) } : {}),
  });
  const checkRunId = created.id;
  const complete = (conclusion: 'success' | 'failure' | 'neutral' | 'cancelled', output: CheckOutput, extra: Record<string, unknown> = {}) =>
    octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: checkRunId,
      status: 'completed',
      conclusion,
      completed_at: deps.now().toISOString(),
      output: { title: output.title, summary: output.summary, ...(output.text ? { text: output.text } : {}), ...extra },
      actions: [RESCAN_ACTION],
    });

  let config: Config | undefined;
  let published: { result: ScanResult; cmp: Comparison | undefined; conclusion: 'success' | 'failure'; config: Config; stats: FetchStats };
  try {
    const stats = emptyStats();
    const fetcher = new BlobFetcher({ client: octokit, owner, repo, cache: deps.readCache, stats, strategy: deps.strategy });
    const snaps = new Map<string, GitHubSnapshot>();
    const snap = (commit: string) => {
      let s = snaps.get(commit);
      if (!s) snaps.set(commit, (s = new GitHubSnapshot({ client: octokit, owner, repo, commit, cache: deps.readCache, fetcher, stats })));
      return s;
    };
    // Listing does not depend on the config: the head's (and a PR base's) trees load meanwhile.
    const baseKnown = job.pr !== undefined && [...deps.baseScans.keys()].some((k) => k.startsWith(`${owner}/${repo}@${job.pr!.baseSha}#`));
    const early = [snap(sha).tree(), ...(job.pr && job.pr.baseSha !== sha && !baseKnown ? [snap(job.pr.baseSha).tree()] : [])];
    early.forEach((p) => p.catch(() => {}));
    const cfg = await repoConfig(deps, octokit, job);
    if (!cfg.ok) {
      await complete('failure', renderConfigError(cfg.error));
      return { outcome: 'config-error', reason: cfg.error.message, conclusion: 'failure', checkRunId };
    }
    config = cfg.config;
    const head = snap(sha);

    const compare = job.pr ? { sha: job.pr.baseSha, label: job.pr.baseRef } : config.gate === 'new' ? job.compare : undefined;
    const baseKey = compare ? `${owner}/${repo}@${compare.sha}#${configHash(config)}` : undefined;
    const cachedBase = baseKey ? deps.baseScans.get(baseKey) : undefined;
    const base = compare && !cachedBase && compare.sha !== sha ? snap(compare.sha) : undefined;
    // Both listings first, so the two scans ask for blobs in the same turn and share one query.
    await Promise.all([head.tree(), base?.tree()]);
    const opts = { config };
    const [result, baseResult] = await Promise.all([scanWith(deps.analyser, head, opts), base ? scanWith(deps.analyser, base, opts) : undefined]);
    let baseFps = cachedBase;
    if (baseResult && baseKey) {
      baseFps = baseResult.findings.map((f) => f.fingerprint);
      deps.baseScans.set(baseKey, baseFps);
    } else if (compare && compare.sha === sha) baseFps = result.findings.map((f) => f.fingerprint);
    const cmp: Comparison | undefined = compare && baseFps ? { baseLabel: compare.label, baseFingerprints: new Set(baseFps) } : undefined;

    const newer = await deps.supersededBy?.(job);
    if (newer) {
      await complete('cancelled', newer.output);
      return { outcome: 'superseded', reason: `superseded by ${newer.sha}`, conclusion: 'cancelled', checkRunId };
    }
    const conclusion = conclusionFor(result, config.gate, cmp);
    const inCommit = new Set((await head.tree()).files.map((f) => f.path));
    const { annotations, notAnnotated } = buildAnnotations(result.findings, inCommit);
    const ref = { repoUrl: job.repoUrl, sha };
    const output = renderCheckOutput({ result, ref, cmp, gate: config.gate, annotated: annotations.length, notAnnotated, configSources: cfg.sources });
    const batches = annotationBatches(annotations);
    // Every batch but the last goes out while the run is still in progress; the last one rides
    // on the completing update, so the run never shows completed with annotations missing.
    for (const batch of batches.slice(0, -1)) {
      await octokit.rest.checks.update({ owner, repo, check_run_id: checkRunId, output: { title: output.title, summary: output.summary, annotations: batch } });
    }
    await complete(conclusion, output, batches.length ? { annotations: batches[batches.length - 1] } : {});

    published = { result, cmp, conclusion, config, stats };
  } catch (err) {
    log.error({ err, sha }, 'scan failed');
    const failOnError = config?.failOnError ?? false;
    await complete(failOnError ? 'failure' : 'neutral', renderScanError(describe(err), failOnError)).catch((e2: unknown) =>
      log.error({ err: e2 }, 'could not complete the check run after a failure'),
    );
    return { outcome: 'error', reason: describe(err), conclusion: failOnError ? 'failure' : 'neutral', checkRunId };
  }

  // The check run is complete whatever happens to the comment from here on.
  const { result, cmp, conclusion, stats } = published;
  let comment: StickyOutcome | undefined;
  if (job.pr && published.config.comment !== 'never') {
    try {
      comment = await publishComment(deps, octokit, job, job.pr.number, result, cmp, conclusion, published.config);
    } catch (err) {
      log.error({ err, sha }, 'could not update the PR comment');
      comment = 'failed';
    }
  }
  return { outcome: 'completed', conclusion, checkRunId, comment, stats };
}

async function publishComment(
  deps: WorkerDeps,
  octokit: ProbotOctokit,
  job: ScanJob,
  pr: number,
  result: ScanResult,
  cmp: Comparison | undefined,
  conclusion: 'success' | 'failure',
  config: Config,
): Promise<StickyOutcome> {
  return deps.commentLock.run(prKey(job.owner, job.repo, pr), () =>
    upsertStickyComment(octokit, { owner: job.owner, repo: job.repo, pr }, (previous, exists) => {
      // "Had findings before" counts as having something to say: the comment shows them resolved.
      const hadFindings = (previous?.findings.length ?? 0) > 0;
      if (!shouldComment(config.comment, result.findings.length, exists || hadFindings)) return undefined;
      // The PR's checks tab, not this run's page: a re-run must render the same body.
      const checksUrl = `${job.repoUrl}/pull/${pr}/checks`;
      return renderComment({ result, ref: { repoUrl: job.repoUrl, sha: job.sha }, cmp, conclusion, previous, checkRunUrl: checksUrl }).body;
    }, { knownAbsent: job.newPr === true }),
  );
}

/** Config for the repository, from the cache or the default branch (Probot's loader). */
async function repoConfig(deps: WorkerDeps, octokit: ProbotOctokit, job: ScanJob): Promise<ConfigOutcome> {
  const name = `${job.owner}/${job.repo}`;
  const cached = deps.configCache.get(name);
  if (cached) return cached;
  const outcome = await loadRepoConfig(octokit as unknown as ConfigClient, job.owner, job.repo, knownRuleIds(await deps.analyser.catalogue()));
  deps.configCache.set(name, outcome);
  return outcome;
}

/** Same config, same base findings: the cache key part for a config. */
function configHash(config: Config): string {
  return createHash('sha1').update(JSON.stringify(config)).digest('hex').slice(0, 12);
}

function describe(err: unknown): string {
  const e = err as { status?: number; message?: string };
  return e.status ? `GitHub answered ${e.status}: ${e.message ?? ''}` : (e.message ?? String(err));
}
