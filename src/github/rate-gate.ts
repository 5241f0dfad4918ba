/**
 * A per-key token bucket with one request in flight at a time, shaped like the part of
 * Bottleneck.Group that @octokit/plugin-throttling uses for its `write` and `notifications`
 * gates (`group.key(id).schedule(options, fn, ...args)`).
 *
 * Why not the plugin's defaults: they space every write (and every GraphQL query) 1 s apart and
 * every comment 3 s apart, process-wide, so one PR scan (create check, query blobs, complete
 * check, comment) cannot finish in under 2-3 s however fast GitHub answers. GitHub's guidance for
 * secondary limits is about sustained rates ("wait at least one second between each" mutating
 * request when making many; at most 80 content-creating requests a minute), so a bucket keeps
 * that sustained rate while letting the handful of writes of one scan through without waiting.
 */
export interface RateGateOptions {
  /** Requests that may pass back to back before spacing starts. */
  burst: number;
  /** One token comes back every this many milliseconds (the sustained rate). */
  refillMs: number;
}

interface Job {
  run: () => void;
  weight: number;
}

/** One key's gate: FIFO, one job running at a time, each job takes a token unless weight 0. */
export class RateGate {
  private tokens: number;
  private last: number;
  private readonly queue: Job[] = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: RateGateOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = opts.burst;
    this.last = now();
  }

  /** Runs `fn` when a token is free; retries pass `{ weight: 0 }` and skip the bucket. */
  schedule<T>(options: { weight?: number } | ((...a: unknown[]) => T | Promise<T>), fn?: unknown, ...args: unknown[]): Promise<T> {
    let task: (...a: unknown[]) => T | Promise<T>;
    let weight = 1;
    if (typeof options === 'function') {
      task = options;
      if (fn !== undefined) args = [fn, ...args];
    } else {
      task = fn as (...a: unknown[]) => T | Promise<T>;
      weight = options.weight ?? 1;
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        weight,
        run: () => {
          Promise.resolve()
            .then(() => task(...args))
            .then(resolve, reject)
            .finally(() => {
              this.running = false;
              this.pump();
            });
        },
      });
      this.pump();
    });
  }

  private refill(): void {
    const t = this.now();
    const gained = Math.floor((t - this.last) / this.opts.refillMs);
    if (gained > 0) {
      this.tokens = Math.min(this.opts.burst, this.tokens + gained);
      this.last += gained * this.opts.refillMs;
    }
    if (this.tokens >= this.opts.burst) this.last = t;
  }

  private pump(): void {
    if (this.running || this.timer) return;
    const job = this.queue[0];
    if (!job) return;
    this.refill();
    if (job.weight > 0 && this.tokens < job.weight) {
      const wait = this.opts.refillMs - (this.now() - this.last);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, Math.max(1, wait));
      // A pending gate must not keep the process alive on shutdown.
      this.timer.unref();
      return;
    }
    this.tokens -= job.weight;
    this.queue.shift();
    this.running = true;
    job.run();
  }
}

/** Gates by key (the plugin keys by installation id), created on first use. */
export class RateGateGroup {
  private readonly gates = new Map<string, RateGate>();
  constructor(
    private readonly opts: RateGateOptions,
    private readonly now: () => number = Date.now,
  ) {}

  key(id = ''): RateGate {
    let g = this.gates.get(id);
    if (!g) {
      g = new RateGate(this.opts, this.now);
      this.gates.set(id, g);
    }
    return g;
  }
}
