import type { Check } from '../../src/engine/check.js';

/** The node checks, in catalogue order. */
export const NODE_CHECKS: readonly Check[] = [];
