import type { Check } from '../../src/engine/check.js';
import missingReferencedFile from './missing-referenced-file.js';

/** The docs checks, in catalogue order. */
export const DOCS_CHECKS: readonly Check[] = [missingReferencedFile];
