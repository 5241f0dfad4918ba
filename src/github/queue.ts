/**
 * Where scans wait between the webhook answer and the work. The webhook handler only decides
 * and enqueues plain data (a job can be serialised as-is: issue 7 puts it on BullMQ); a worker
 * turns the job into API calls.
 */
export interface ScanQueue<J extends { key: string }> {
  /** Accepts a job; resolves once it is recorded, not when it has run. */
  add(job: J): Promise<void>;
  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  onIdle(): Promise<void>;
}

/**
 * The embedded queue used without Redis: jobs run in this process, at most `concurrency` at a
 * time, and jobs with the same key (one PR, one branch) strictly one after another in arrival
 * order, so two events for one PR never race on its comment or its check runs.
 */
export class InProcessQueue<J extends { key: string }> implements ScanQueue<J> {
  private readonly waiting: J[] = [];
  private readonly busyKeys = new Set<string>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly worker: (job: J) => Promise<void>,
    private readonly concurrency = 4,
    private readonly onError: (err: unknown, job: J) => void = () => {},
  ) {}

  async add(job: J): Promise<void> {
    this.waiting.push(job);
    // Start on the next turn so the webhook answer goes out before any scan work begins.
    setImmediate(() => this.pump());
  }

  get depth(): number {
    return this.waiting.length;
  }

  onIdle(): Promise<void> {
    if (!this.running && !this.waiting.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const i = this.waiting.findIndex((j) => !this.busyKeys.has(j.key));
      if (i < 0) break;
      const [job] = this.waiting.splice(i, 1) as [J];
      this.busyKeys.add(job.key);
      this.running++;
      this.worker(job)
        .catch((err: unknown) => this.onError(err, job))
        .finally(() => {
          this.running--;
          this.busyKeys.delete(job.key);
          this.pump();
          if (!this.running && !this.waiting.length) {
            const ws = this.idleWaiters;
            this.idleWaiters = [];
            ws.forEach((w) => w());
          }
        });
    }
  }
}

/**
 * Serialises async sections by key within this process (the sticky comment of one PR may be
 * touched by jobs with different queue keys: a push-triggered re-run and a slash command).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
