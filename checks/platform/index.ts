import type { Check } from '../../src/engine/check.js';
import configInvalid from './config-invalid.js';
import devServerInProduction from './dev-server-in-production.js';
import healthcheckRouteMissing from './healthcheck-route-missing.js';
import portNotBound from './port-not-bound.js';
import runtimeVersionMismatch from './runtime-version-mismatch.js';
import startTargetMissing from './start-target-missing.js';

/** The platform checks, in catalogue order. */
export const PLATFORM_CHECKS: readonly Check[] = [
  startTargetMissing,
  portNotBound,
  healthcheckRouteMissing,
  configInvalid,
  devServerInProduction,
  runtimeVersionMismatch,
];
