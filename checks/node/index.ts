import type { Check } from '../../src/engine/check.js';
import undeclaredDependency from './undeclared-dependency.js';

/** The node checks, in catalogue order. */
export const NODE_CHECKS: readonly Check[] = [undeclaredDependency];
