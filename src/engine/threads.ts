import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Analyser } from './analyser.js';
import type { CheckMeta } from './check.js';
import type { ScanInput } from './collect.js';
import type { FactCacheStats } from './fact-cache.js';
import type { Notice, ScanResult } from './types.js';

/**
 * Runs the CPU half of scans (`analyse`: model and checks) in worker threads, so that:
 * - the process that answers webhooks never blocks on a scan (a 20,000-file repository is seconds
 *   of synchronous parsing, and GitHub drops a delivery not answered within 10 s);
 * - a scan has a hard time bound: a check stuck in a pathological input is stopped by terminating
 *   its thread, and the scan is re-run in a fresh thread without that check (with a notice), so a
 *   partial report still goes out;
 * - a scan has a hard memory bound: a thread that runs out of its heap ends with a clear error
 *   instead of taking the whole app down.
 * Each thread keeps its own per-file fact cache, so later scans of a repository stay warm.
 * The checks and the model are loaded in the threads only: a thread reports the rule catalogue as
 * plain metadata when it starts (`catalogue()`), and the collecting side needs nothing more.
 */

export interface AnalysisPoolOptions {
  /** Threads (scans analysed at once). */
  size?: number;
  /** A scan's whole analysis is stopped after this long. */
  timeoutMs?: number;
  /** Old-generation heap limit of each thread, MB. */
  maxHeapMb?: number;
  /** The thread's entry module (tests of the TypeScript sources point at the built one). */
  entry?: URL;
}

export const DEFAULT_ANALYSIS_TIMEOUT_MS = 120_000;
export const DEFAULT_ANALYSIS_HEAP_MB = 1024;

/** Messages between the pool and a thread; a thread posts its catalogue once, when it starts. */
export type ToThread = { id: number; input: ScanInput };
export type FromThread =
  | { id: 0; kind: 'catalogue'; checks: CheckMeta[] }
  | { id: number; kind: 'check'; checkId: string }
  | { id: number; kind: 'done'; result: ScanResult; cache: FactCacheStats }
  | { id: number; kind: 'failed'; message: string };

interface Task {
  id: number;
  input: ScanInput;
  resolve(r: ScanResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  /** The check the task's thread said it started last. */
  checkId?: string;
  timer?: NodeJS.Timeout;
}

/** The thread entry next to this module; from the TypeScript sources (tests), the built one. */
export function defaultEntry(): URL {
  const sibling = new URL('./scan-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const built = new URL('../../dist/src/engine/scan-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('scan-thread.js not found: run `npm run build` first');
}

interface Waiting<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: Error): void;
}

export class AnalysisPool implements Analyser {
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly entry: URL;
  private nextId = 1;
  private closed = false;
  private lastCache: FactCacheStats | undefined;
  private known: readonly CheckMeta[] | undefined;
  private catalogueWait: Waiting<readonly CheckMeta[]> | undefined;

  constructor(o: AnalysisPoolOptions = {}) {
    this.size = Math.max(1, o.size ?? 1);
    this.timeoutMs = o.timeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS;
    this.maxHeapMb = o.maxHeapMb ?? DEFAULT_ANALYSIS_HEAP_MB;
    this.entry = o.entry ?? defaultEntry();
  }

  /** Analyses collected input in a thread; rejects with a readable message when it cannot. */
  analyse(input: ScanInput): Promise<ScanResult> {
    if (this.closed) return Promise.reject(new Error('the analysis pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, input, resolve, reject });
      this.pump();
    });
  }

  /**
   * The rules the threads run, as reported by the first thread that started (a thread is started
   * for it if none runs yet; it then serves the first scan).
   */
  catalogue(): Promise<readonly CheckMeta[]> {
    if (this.known) return Promise.resolve(this.known);
    if (this.closed) return Promise.reject(new Error('the analysis pool is closed'));
    if (!this.catalogueWait) {
      let resolve!: (v: readonly CheckMeta[]) => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<readonly CheckMeta[]>((res, rej) => ((resolve = res), (reject = rej)));
      this.catalogueWait = { promise, resolve, reject };
      // Referenced until it answers, so a caller awaiting only this keeps the process up.
      (this.slots[0] ?? this.spawn()).worker.ref();
    }
    return this.catalogueWait.promise;
  }

  /** Fact-cache figures of the thread that finished a scan last (metrics). */
  cacheStats(): FactCacheStats | undefined {
    return this.lastCache;
  }

  get busy(): number {
    return this.slots.filter((s) => s.task).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failCatalogue(new Error('the analysis pool is closed'));
    for (const t of this.waiting.splice(0)) t.reject(new Error('the analysis pool is closed'));
    await Promise.all(this.slots.splice(0).map((s) => this.stop(s, new Error('the analysis pool is closed'))));
  }

  private pump(): void {
    while (this.waiting.length) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      this.start(slot, this.waiting.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry, { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    // An idle thread must not keep the process alive.
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (m: FromThread) => this.onMessage(slot, m));
    worker.on('error', (err: Error & { code?: string }) => {
      const message =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the scan needed more than ${this.maxHeapMb} MB of memory and was stopped`
          : `the analysis thread failed: ${err.message}`;
      this.retire(slot, new Error(message));
    });
    worker.on('exit', (code) => this.retire(slot, new Error(`the analysis thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.checkId = undefined;
    slot.worker.ref();
    slot.timer = setTimeout(() => void this.timedOut(slot), this.timeoutMs);
    slot.worker.postMessage({ id: task.id, input: task.input } satisfies ToThread);
  }

  private onMessage(slot: Slot, m: FromThread): void {
    if (m.kind === 'catalogue') {
      if (!slot.task) slot.worker.unref();
      if (!this.known) {
        this.known = m.checks;
        this.catalogueWait?.resolve(m.checks);
        this.catalogueWait = undefined;
      }
      return;
    }
    const task = slot.task;
    if (!task || m.id !== task.id) return;
    if (m.kind === 'check') {
      slot.checkId = m.checkId;
      return;
    }
    this.release(slot);
    if (m.kind === 'done') {
      this.lastCache = m.cache;
      task.resolve(m.result);
    } else task.reject(new Error(m.message));
    this.pump();
  }

  /**
   * The analysis ran past its bound. A check that was running is the one stuck: the scan is run
   * again in a fresh thread without it, and the report says so. Stuck outside any check (building
   * shared facts), the scan fails with a clear message.
   */
  private async timedOut(slot: Slot): Promise<void> {
    const task = slot.task;
    if (!task) return;
    const stuck = slot.checkId;
    await this.stop(slot, undefined);
    const seconds = Math.round(this.timeoutMs / 1000);
    if (stuck && task.input.checkIds.includes(stuck)) {
      const notice: Notice = {
        kind: 'internal',
        ruleId: stuck,
        message: `check ran past the ${seconds} s bound of a whole scan and was stopped; the scan was repeated without it`,
      };
      const input: ScanInput = {
        ...task.input,
        checkIds: task.input.checkIds.filter((id) => id !== stuck),
        notices: [...(task.input.notices ?? []), notice],
      };
      this.waiting.unshift({ ...task, id: this.nextId++, input });
    } else {
      task.reject(new Error(`the scan's analysis ran past its ${seconds} s bound and was stopped`));
    }
    this.pump();
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.task = undefined;
    slot.checkId = undefined;
    slot.worker.unref();
  }

  /** Terminates a slot's thread; its task (if any) is rejected with `err` unless undefined. */
  private async stop(slot: Slot, err: Error | undefined): Promise<void> {
    const task = slot.task;
    this.release(slot);
    this.forget(slot);
    this.failCatalogue(err ?? new Error('the analysis thread was stopped before it reported its rules'));
    if (task && err) task.reject(err);
    await slot.worker.terminate().catch(() => {});
  }

  /** A thread died on its own: fail its task, and let a fresh thread take the queue. */
  private retire(slot: Slot, err: Error): void {
    if (!this.slots.includes(slot)) return;
    const task = slot.task;
    this.release(slot);
    this.forget(slot);
    this.failCatalogue(err);
    task?.reject(err);
    void slot.worker.terminate().catch(() => {});
    if (!this.closed) this.pump();
  }

  private forget(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  /** No thread left to report the catalogue: whoever waits for it is told (a later call tries again). */
  private failCatalogue(err: Error): void {
    if (this.slots.length) return;
    this.catalogueWait?.reject(err);
    this.catalogueWait = undefined;
  }
}
