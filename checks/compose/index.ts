import type { Check } from '../../src/engine/check.js';
import databaseWithoutVolume from './database-without-volume.js';
import envNotPassed from './env-not-passed.js';
import invalidFile from './invalid-file.js';
import localhostInContainer from './localhost-in-container.js';
import missingBuildContext from './missing-build-context.js';
import stalePinnedImage from './stale-pinned-image.js';
import undefinedInterpolation from './undefined-interpolation.js';
import unhealthyDependency from './unhealthy-dependency.js';

/** The compose checks, in catalogue order. */
export const COMPOSE_CHECKS: readonly Check[] = [
  invalidFile,
  missingBuildContext,
  envNotPassed, undefinedInterpolation, unhealthyDependency, databaseWithoutVolume, localhostInContainer, stalePinnedImage];
