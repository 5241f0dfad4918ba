import { parentPort } from 'node:worker_threads';
import { ALL_CHECKS } from '../../checks/index.js';
import { serveAnalysis } from './serve-analysis.js';

/**
 * The entry of an AnalysisPool thread (threads.ts): the whole catalogue, served over the port to
 * the pool. The pool's side collects against the catalogue it reports and never loads a check.
 */
if (!parentPort) throw new Error('scan-thread.js runs only as a worker thread');
serveAnalysis(parentPort, ALL_CHECKS);
