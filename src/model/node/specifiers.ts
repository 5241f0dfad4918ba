import { builtinModules } from 'node:module';

/**
 * Node's built-in modules as of Node 24 (from the `node:module` documentation), unioned with the
 * running Node's own list so a newer runtime only adds names. A scanned repo may target an older
 * Node; treating a newer built-in as built-in only makes us quieter, never noisier.
 */
const BUILTINS: ReadonlySet<string> = new Set([
  ...builtinModules,
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants',
  'crypto', 'dgram', 'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'inspector', 'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix',
  'path/win32', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'readline/promises', 'repl',
  'stream', 'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers',
  'timers/promises', 'tls', 'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi',
  'worker_threads', 'zlib',
  '_http_agent', '_http_client', '_http_common', '_http_incoming', '_http_outgoing', '_http_server',
  '_stream_duplex', '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_wrap',
  '_stream_writable', '_tls_common', '_tls_wrap',
]);

/** Built-ins that exist only with the `node:` prefix (`node:test`, `node:sqlite`...). */
const PREFIX_ONLY: ReadonlySet<string> = new Set(['test', 'test/reporters', 'sea', 'sqlite', 'quic']);

/** True for `fs`, `node:fs`, `fs/promises`, `node:test`. */
export function isBuiltin(spec: string): boolean {
  if (spec.startsWith('node:')) {
    const bare = spec.slice(5);
    return BUILTINS.has(bare) || PREFIX_ONLY.has(bare);
  }
  return BUILTINS.has(spec);
}

/** `./x`, `../x`, `/abs/x`: a path, not a package. */
export function isRelative(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/');
}

/**
 * The npm package a bare specifier names: `@scope/name/sub` → `@scope/name`, `lodash/fp` →
 * `lodash`. Undefined when it cannot be a package name (`@/utils`, `~/x`, `virtual:x`, URLs),
 * which is how bundler aliases and URL imports are told apart from packages.
 */
export function packageNameOf(spec: string): string | undefined {
  if (isRelative(spec) || spec.startsWith('#')) return undefined;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? (parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
  if (!name || !VALID_NAME.test(name) || name.length > 214) return undefined;
  return name;
}

/** npm's rules for new package names, lower or upper case accepted (old packages have capitals). */
const VALID_NAME = /^(?:@[a-zA-Z0-9][\w.-]*\/)?[a-zA-Z0-9][\w.-]*$/;

/** `@types/node`, `@types/scope__name`: the types-only twin of a package. */
export function typesPackageOf(name: string): string {
  return name.startsWith('@') ? `@types/${name.slice(1).replace('/', '__')}` : `@types/${name}`;
}
