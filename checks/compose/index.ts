import type { Check } from '../../src/engine/check.js';

/** The compose checks, in catalogue order. */
export const COMPOSE_CHECKS: readonly Check[] = [];
