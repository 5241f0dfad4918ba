/**
 * The JS/TS side of the project model: packages, parsed sources, the import graph, runtime
 * entries, HTTP servers, deploy view, Prisma (in ./prisma). Importing this module also registers
 * the Node env reads into src/model/env-reads.ts.
 */
import './env.js';
import { NODE_SOURCE_GLOB } from './files.js';
import { PACKAGE_FILES } from './packages.js';
import { GITIGNORE_GLOB } from './resolve.js';

export * from './types.js';
export * from './packages.js';
export * from './files.js';
export * from './graph.js';
export * from './roles.js';
export * from './resolve.js';
export * from './scripts.js';
export * from './specifiers.js';
export * from './tsconfig.js';
export * from './deploy-view.js';
export * from './build-outputs.js';

/** What the node model reads: sources, manifests, tsconfigs, .gitignore (for generated files). */
export const NODE_MODEL_FILES: readonly string[] = [NODE_SOURCE_GLOB, ...PACKAGE_FILES, GITIGNORE_GLOB];
