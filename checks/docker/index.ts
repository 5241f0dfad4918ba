import type { Check } from '../../src/engine/check.js';
import contextLeaksSecrets from './context-leaks-secrets.js';
import migrationFailureIgnored from './migration-failure-ignored.js';
import migrationsNotRun from './migrations-not-run.js';
import missingBuildInput from './missing-build-input.js';
import runtimeDependencyDropped from './runtime-dependency-dropped.js';

/** The docker checks, in catalogue order. */
export const DOCKER_CHECKS: readonly Check[] = [
  migrationsNotRun,
  missingBuildInput,
  runtimeDependencyDropped,
  migrationFailureIgnored,
  contextLeaksSecrets,
];
