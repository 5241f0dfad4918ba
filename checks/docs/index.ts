import type { Check } from '../../src/engine/check.js';

/** The docs checks, in catalogue order. */
export const DOCS_CHECKS: readonly Check[] = [];
