import type { Check } from '../src/engine/check.js';
import { COMPOSE_CHECKS } from './compose/index.js';
import { DOCKER_CHECKS } from './docker/index.js';
import { DOCS_CHECKS } from './docs/index.js';
import { ENV_CHECKS } from './env/index.js';
import { NODE_CHECKS } from './node/index.js';
import { PLATFORM_CHECKS } from './platform/index.js';
import { PYTHON_CHECKS } from './python/index.js';

/**
 * The rule catalogue: every check, area by area. A parity test fails when a file under checks/
 * is missing here, or has no tests or docs.
 */
export const ALL_CHECKS: readonly Check[] = [
  ...ENV_CHECKS,
  ...DOCS_CHECKS,
  ...PYTHON_CHECKS,
  ...DOCKER_CHECKS,
  ...COMPOSE_CHECKS,
  ...PLATFORM_CHECKS,
  ...NODE_CHECKS,
];
