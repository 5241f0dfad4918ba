import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FactCacheStats } from '../engine/fact-cache.js';
import type { ScanReport } from './worker.js';

/**
 * Prometheus metrics of one process (app replica or worker), served at `/metrics`:
 * scans by outcome and conclusion, scan duration, GitHub requests by route and status, queue
 * depth, and the blob and fact caches' hit rates. Labels are bounded: routes are Octokit's URL templates
 * (`/repos/{owner}/{repo}/check-runs`), never concrete repositories.
 */
export class ReadinessMetrics {
  readonly registry = new Registry();
  private readonly scans: Counter<'outcome' | 'conclusion' | 'trigger'>;
  private readonly duration: Histogram<'outcome'>;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly blobs: Counter<'source'>;
  private depthSource: (() => Promise<number>) | undefined;
  private factSource: (() => FactCacheStats | undefined) | undefined;
  private hits = 0;
  private misses = 0;

  constructor(o: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (o.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'readiness_' });
    this.scans = new Counter({ name: 'readiness_scans_total', help: 'Scan jobs finished, by outcome and check run conclusion', labelNames: ['outcome', 'conclusion', 'trigger'], registers });
    this.duration = new Histogram({
      name: 'readiness_scan_duration_seconds',
      help: 'Time from a scan job starting to its check run completing',
      labelNames: ['outcome'],
      buckets: [0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 20, 60, 180],
      registers,
    });
    this.requests = new Counter({ name: 'readiness_github_requests_total', help: 'GitHub API requests by route template and final status (0: network error)', labelNames: ['method', 'route', 'status'], registers });
    this.blobs = new Counter({ name: 'readiness_blobs_total', help: 'Blobs a scan needed, by where they came from', labelNames: ['source'], registers });
    const ratio = () => (this.hits + this.misses ? this.hits / (this.hits + this.misses) : 0);
    const depth = () => (this.depthSource ? this.depthSource().catch(() => -1) : Promise.resolve(undefined));
    new Gauge({
      name: 'readiness_blob_cache_hit_ratio',
      help: 'Share of needed blobs served from the blob cache since start',
      registers,
      collect() {
        this.set(ratio());
      },
    });
    const facts = () => this.factSource?.();
    new Gauge({
      name: 'readiness_fact_cache_hit_ratio',
      help: 'Share of per-file facts (parsed Python and JS/TS files) served from the fact cache since start',
      registers,
      collect() {
        const s = facts();
        if (s) this.set(s.hits + s.misses ? s.hits / (s.hits + s.misses) : 0);
      },
    });
    new Gauge({
      name: 'readiness_fact_cache_bytes',
      help: 'Approximate bytes the fact cache holds',
      registers,
      collect() {
        const s = facts();
        if (s) this.set(s.bytes);
      },
    });
    new Gauge({
      name: 'readiness_queue_depth',
      help: 'Scan jobs waiting (not yet running)',
      registers,
      async collect() {
        const n = await depth();
        if (n !== undefined) this.set(n);
      },
    });
  }

  /** Where the queue depth gauge reads from (the in-process queue or BullMQ's counts). */
  queueDepthFrom(fn: () => Promise<number>): void {
    this.depthSource = fn;
  }

  /** Where the fact cache gauges read from (the worker's cache, or the analysis threads'). */
  factCacheFrom(fn: () => FactCacheStats | undefined): void {
    this.factSource = fn;
  }

  scanFinished(r: Pick<ScanReport, 'outcome' | 'conclusion' | 'durationMs' | 'stats'> & { job: { trigger: string } }): void {
    this.scans.inc({ outcome: r.outcome, conclusion: r.conclusion ?? 'none', trigger: r.job.trigger });
    this.duration.observe({ outcome: r.outcome }, r.durationMs / 1000);
    if (r.stats) {
      this.hits += r.stats.blobsFromCache;
      this.misses += r.stats.blobsFetched;
      this.blobs.inc({ source: 'cache' }, r.stats.blobsFromCache);
      this.blobs.inc({ source: 'github' }, r.stats.blobsFetched);
    }
  }

  githubRequest(method: string, route: string, status: number): void {
    this.requests.inc({ method, route, status: String(status) });
  }

  /** The `/metrics` route for Probot's `addHandler`; false for any other request. */
  handler(): (req: IncomingMessage, res: ServerResponse) => boolean {
    return (req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return false;
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
      return true;
    };
  }
}

/** Octokit's route template of a request, without host or query (`/repos/{owner}/{repo}/...`). */
export function routeOf(url: string | undefined): string {
  if (!url) return 'unknown';
  return url.replace(/^https?:\/\/[^/]+/, '').replace(/\/api\/v3(?=\/)/, '').split('?')[0]!;
}
