import type { Check } from '../../src/engine/check.js';
import apiRemovedInPinnedVersion from './api-removed-in-pinned-version.js';
import attributeOnFunction from './attribute-on-function.js';
import undeclaredDependency from './undeclared-dependency.js';
import undefinedName from './undefined-name.js';
import unresolvedImport from './unresolved-import.js';

/** The python checks, in catalogue order. */
export const PYTHON_CHECKS: readonly Check[] = [unresolvedImport, undeclaredDependency, undefinedName, attributeOnFunction, apiRemovedInPinnedVersion];
