import type { Check } from '../../src/engine/check.js';
import committedDotenv from './committed-dotenv.js';
import dotenvNotIgnored from './dotenv-not-ignored.js';
import hardcodedCredentials from './hardcoded-credentials.js';
import insecureDefaultSecret from './insecure-default-secret.js';

/** The env checks, in catalogue order. */
export const ENV_CHECKS: readonly Check[] = [insecureDefaultSecret, hardcodedCredentials, committedDotenv, dotenvNotIgnored];
