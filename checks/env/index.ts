import type { Check } from '../../src/engine/check.js';

/** The env checks, in catalogue order. */
export const ENV_CHECKS: readonly Check[] = [];
