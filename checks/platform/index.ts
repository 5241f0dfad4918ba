import type { Check } from '../../src/engine/check.js';
import startTargetMissing from './start-target-missing.js';

/** The platform checks, in catalogue order. */
export const PLATFORM_CHECKS: readonly Check[] = [startTargetMissing];
