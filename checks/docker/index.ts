import type { Check } from '../../src/engine/check.js';
import migrationsNotRun from './migrations-not-run.js';
import missingBuildInput from './missing-build-input.js';

/** The docker checks, in catalogue order. */
export const DOCKER_CHECKS: readonly Check[] = [migrationsNotRun, missingBuildInput];
