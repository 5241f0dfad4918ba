/** The deploy side of the project model: Dockerfiles, compose files, env files, Procfiles, services. */
export * from './files.js';
export * from './interpolation.js';
export * from './dockerfile.js';
export * from './container-paths.js';
export * from './compose.js';
export * from './dotenv.js';
export * from './procfile.js';
export * from './scripts.js';
export * from './services.js';
export * from './secrets.js';
export * from './dev-compose.js';
export * from './env-templates.js';
export * from './package-json.js';
export * from './dockerignore.js';
export * from './builds.js';
export * from './start-path.js';
export * from './migrations.js';
