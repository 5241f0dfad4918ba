import type { Check } from '../../src/engine/check.js';

/** The python checks, in catalogue order. */
export const PYTHON_CHECKS: readonly Check[] = [];
