/**
 * Plain-data facts extracted from one JS/TS file. The syntax tree is dropped right after
 * extraction, so nothing here refers to it.
 */

export type ImportKind = 'import' | 'side-effect' | 'reexport' | 'reexport-star' | 'require' | 'dynamic' | 'import-equals';

export interface ImportRecord {
  spec: string;
  line: number;
  kind: ImportKind;
  /** `import type`, `export type`, or every specifier marked `type`: never reaches the runtime. */
  typeOnly: boolean;
  /**
   * TypeScript only: every binding is used in type positions only, so tsc drops the import
   * (unless verbatimModuleSyntax keeps it). False for side-effect imports and requires.
   */
  typeUsesOnly: boolean;
  /** ESM named imports (`import { a }`, `export { a } from`) by the name the target must export. */
  named: { name: string; line: number }[];
  /** `import x from` / `export { default } from`: the target must have a default export. */
  defaultImport: boolean;
  /** Local names the import binds, with the name imported ('*' for the module object). */
  bindings: { local: string; imported: string }[];
  /** Inside try/catch or a NODE_ENV branch: optional, or for development only. */
  guarded: boolean;
  /** The binding (or the inline require) is used as a value somewhere besides its declaration. */
  used: boolean;
}

export interface ExportsInfo {
  /** Names this module exports itself (`default` included). */
  names: string[];
  /** Specifiers of `export * from '...'`, whose names it also exports. */
  stars: string[];
  /** Exports not knowable statically (`module.exports = factory()`, `export =`). */
  open: boolean;
  /** Uses import/export syntax. */
  esm: boolean;
  /** Assigns module.exports / exports.x. */
  cjs: boolean;
}

export interface EnvReadRecord {
  name: string;
  line: number;
  hasDefault: boolean;
  defaultValue?: string;
  via: string;
  /** Read only where the code tolerates its absence (behind another env check, `?.`): an optional feature. */
  optional?: boolean;
}

/** What an expression passed as a port or host is, as far as the file says. */
export type ValueInfo =
  | { kind: 'literal'; value: string }
  | { kind: 'env'; name: string; fallback?: string }
  | { kind: 'unknown'; text: string };

/** `unknown`: an app imported from another module (`import app from './app'; app.listen()`). */
export type ServerFramework = 'express' | 'fastify' | 'koa' | 'nest' | 'nest-fastify' | 'http' | 'hono' | 'unknown';

export interface ListenRecord {
  line: number;
  framework: ServerFramework;
  /** Undefined when listen() gets no port (a random port, or a path/handle). */
  port?: ValueInfo;
  /** Undefined when no host is passed (the framework default applies). */
  host?: ValueInfo;
  /** Source text of the call, for messages. */
  text: string;
}

export type RouterFramework = 'express' | 'koa' | 'fastify' | 'nest';

/** A router, route plugin or controller that serves nothing until something mounts it. */
export interface RouterRecord {
  name: string;
  line: number;
  framework: RouterFramework;
  /** `GET /users`, ... (first few), for messages. */
  routes: string[];
  /** Names it is exported under ('default' for a default export or module.exports = x). */
  exportedAs: string[];
  /** Passed to something in its own file (app.use(router), controllers: [X]). */
  usedLocally: boolean;
}

export interface NodeFileFacts {
  path: string;
  imports: ImportRecord[];
  exports: ExportsInfo;
  env: EnvReadRecord[];
  listens: ListenRecord[];
  routers: RouterRecord[];
  /** A require/import with a computed specifier: files may be loaded that no import names. */
  dynamicLoad?: { line: number; text: string };
  /** Calls that apply database migrations from code (TypeORM migrationsRun, knex.migrate.latest...). */
  migrationsInCode: { line: number; how: string }[];
  /** Loads .env at start (dotenv). */
  loadsDotenv: boolean;
  /** Syntax errors the parser recovered from (first line), when any. */
  syntaxErrorLine?: number;
}
