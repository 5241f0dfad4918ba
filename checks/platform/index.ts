import type { Check } from '../../src/engine/check.js';
import configInvalid from './config-invalid.js';
import portNotBound from './port-not-bound.js';
import startTargetMissing from './start-target-missing.js';

/** The platform checks, in catalogue order. */
export const PLATFORM_CHECKS: readonly Check[] = [startTargetMissing, portNotBound, configInvalid];
