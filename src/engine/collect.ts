import { globMatcher } from '../model/project.js';
import type { CheckMeta } from './check.js';
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfig, type Config } from './config.js';
import { looksBinary, type Snapshot, type SnapshotEntry } from './snapshot.js';
import { UNUSED_SUPPRESSION_ID } from './suppressions.js';
import type { Notice, Severity, Skip } from './types.js';

/*
 * The I/O half of a scan. It needs only plain metadata of the rules (`CheckMeta`), never a check
 * or the model: the app collects in its main thread and analyses in worker threads (threads.ts),
 * and this module's imports are all that main thread loads of the engine. Keep it that way: no
 * import of checks/, runner.ts or the model's extractors here (globMatcher's module is picomatch
 * and types; test/engine/collect.test.ts pins what the app's entry loads).
 */

/** Options of the I/O half. */
export interface CollectOptions {
  /** Validated config; when absent it is read from CONFIG_PATH in the snapshot. */
  config?: Config;
  /** Run only these rule ids. */
  only?: readonly string[];
  /** Overrides the config's fail_on. */
  failOn?: Severity | 'none';
}

/**
 * What a scan read from its snapshot: everything the analysis needs, as plain data (it can be
 * posted to a worker thread as-is).
 */
export interface ScanInput {
  /** Every listed entry the config does not ignore. */
  entries: SnapshotEntry[];
  /** Decoded text of the files the enabled checks need. */
  texts: Map<string, string>;
  skipped: Skip[];
  config: Config;
  failOn: Severity | 'none';
  /** Ids of the checks to run, in catalogue order. */
  checkIds: string[];
  filesListed: number;
  /** When collecting started, epoch ms (a worker thread's performance clock has another origin). */
  startedAt: number;
  /** Notices from before the analysis (a check stopped in an earlier attempt). */
  notices?: Notice[];
}

/** Known rule ids of a catalogue (the engine's own rule included), for config validation. */
export function knownRuleIds(catalogue: readonly CheckMeta[]): Set<string> {
  return new Set([...catalogue.map((c) => c.id), UNUSED_SUPPRESSION_ID]);
}

/**
 * List, read the config, select the files the enabled rules of `catalogue` need, read them once
 * and decode them.
 */
export async function collect(snapshot: Snapshot, catalogue: readonly CheckMeta[], opts: CollectOptions = {}): Promise<ScanInput> {
  const startedAt = Date.now();
  const skipped: Skip[] = [];

  const listing = await snapshot.list();
  skipped.push(...listing.skipped);

  let config = opts.config;
  if (!config) {
    config = DEFAULT_CONFIG;
    if (listing.entries.some((e) => e.path === CONFIG_PATH)) {
      const got = await snapshot.read([CONFIG_PATH]);
      const buf = got.files.get(CONFIG_PATH);
      if (buf) config = parseConfig(buf.toString('utf8'), CONFIG_PATH, knownRuleIds(catalogue));
    }
  }
  const failOn = opts.failOn ?? config.failOn;

  const ignored = config.ignore.map((g) => globMatcher(g));
  const entries = listing.entries.filter((e) => {
    if (ignored.some((m) => m(e.path))) {
      skipped.push({ path: e.path, reason: 'config-ignored' });
      return false;
    }
    return true;
  });

  const cfg = config;
  const checks = catalogue.filter((c) => cfg.rules[c.id] !== 'off' && (!opts.only || opts.only.includes(c.id)));
  const patterns = [...new Set(checks.flatMap((c) => c.files))].map((g) => globMatcher(g));
  const wanted = entries.filter((e) => patterns.some((m) => m(e.path)));

  const texts = new Map<string, string>();
  const got = await snapshot.read(wanted.map((e) => e.path));
  skipped.push(...got.skipped);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const [p, buf] of got.files) {
    // Each buffer is dropped once decoded, so bytes and text of one file are never both held.
    got.files.delete(p);
    if (looksBinary(buf)) {
      skipped.push({ path: p, reason: 'binary' });
      continue;
    }
    try {
      texts.set(p, decoder.decode(buf).replace(/^\uFEFF/, ''));
    } catch {
      skipped.push({ path: p, reason: 'invalid-utf8' });
    }
  }
  return { entries, texts, skipped, config, failOn, checkIds: checks.map((c) => c.id), filesListed: listing.entries.length, startedAt };
}
