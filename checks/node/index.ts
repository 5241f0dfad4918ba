import type { Check } from '../../src/engine/check.js';
import devDependencyAtRuntime from './dev-dependency-at-runtime.js';
import envNotDocumented from './env-not-documented.js';
import migrationsNotRun from './migrations-not-run.js';
import portNotFromEnv from './port-not-from-env.js';
import prismaSchemaDrift from './prisma-schema-drift.js';
import routerNotMounted from './router-not-mounted.js';
import startTargetMissing from './start-target-missing.js';
import undeclaredDependency from './undeclared-dependency.js';
import unresolvedImport from './unresolved-import.js';

/** The node checks, in catalogue order. */
export const NODE_CHECKS: readonly Check[] = [
  undeclaredDependency,
  devDependencyAtRuntime,
  unresolvedImport,
  startTargetMissing,
  portNotFromEnv,
  routerNotMounted,
  envNotDocumented,
  prismaSchemaDrift,
  migrationsNotRun,
];
