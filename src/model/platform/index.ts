/** The platform side of the project model: Railway, Nixpacks, Render, Fly, Heroku, runtime pins. */
export * from './files.js';
export * from './config-doc.js';
export * from './configs.js';
export * from './runtimes.js';
export * from './start-paths.js';
export * from './schema.js';
