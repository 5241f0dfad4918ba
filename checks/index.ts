import type { Check } from '../src/engine/check.js';

/**
 * The rule catalogue: every check, in the order the docs list them. A parity test fails when a
 * file under checks/ is missing here, or has no tests or docs.
 */
export const ALL_CHECKS: readonly Check[] = [];
