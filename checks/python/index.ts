import type { Check } from '../../src/engine/check.js';
import apiRemovedInPinnedVersion from './api-removed-in-pinned-version.js';
import attributeOnFunction from './attribute-on-function.js';
import undeclaredDependency from './undeclared-dependency.js';
import undefinedName from './undefined-name.js';
import unresolvedImport from './unresolved-import.js';
import schemaMismatch from './schema-mismatch.js';
import routeMissing from './route-missing.js';
import routerNotIncluded from './router-not-included.js';
import unfinishedHandler from './unfinished-handler.js';
import settingsNotProvided from './settings-not-provided.js';
import migrationsNotInitialized from './migrations-not-initialized.js';
import unusedInfraDependency from './unused-infra-dependency.js';
import asyncDriverMismatch from './async-driver-mismatch.js';
import debugInProduction from './debug-in-production.js';

/** The python checks, in catalogue order. */
export const PYTHON_CHECKS: readonly Check[] = [
  unresolvedImport, undeclaredDependency, undefinedName, attributeOnFunction, apiRemovedInPinnedVersion,
  schemaMismatch, routeMissing, routerNotIncluded, unfinishedHandler, settingsNotProvided,
  migrationsNotInitialized, unusedInfraDependency, asyncDriverMismatch, debugInProduction,
];
