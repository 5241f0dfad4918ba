import type { Check } from '../../src/engine/check.js';

/** The docker checks, in catalogue order. */
export const DOCKER_CHECKS: readonly Check[] = [];
