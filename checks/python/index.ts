import type { Check } from '../../src/engine/check.js';
import undeclaredDependency from './undeclared-dependency.js';
import unresolvedImport from './unresolved-import.js';

/** The python checks, in catalogue order. */
export const PYTHON_CHECKS: readonly Check[] = [unresolvedImport, undeclaredDependency];
