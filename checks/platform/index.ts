import type { Check } from '../../src/engine/check.js';

/** The platform checks, in catalogue order. */
export const PLATFORM_CHECKS: readonly Check[] = [];
