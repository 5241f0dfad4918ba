import type { ConfigDoc } from './config-doc.js';
import type { Platform } from './configs.js';

/**
 * The keys each platform documents for its config file, by section. Used to catch keys the
 * platform silently ignores because they are misspelt (`healthcheckPath` in render.yaml, where
 * Render reads `healthCheckPath`) or sit in the wrong section (`startCommand` at the top of
 * railway.json instead of under `deploy`). Keys far from every known key are left alone: the
 * platforms add settings faster than any list.
 */
type Schema = Record<string, readonly string[]>;

const RAILWAY: Schema = {
  '': ['$schema', 'build', 'deploy', 'environments'],
  build: ['builder', 'buildCommand', 'watchPatterns', 'dockerfilePath', 'nixpacksConfigPath', 'nixpacksPlan', 'nixpacksVersion', 'buildEnvironment', 'railpackVersion'],
  deploy: [
    'startCommand', 'preDeployCommand', 'healthcheckPath', 'healthcheckTimeout', 'restartPolicyType', 'restartPolicyMaxRetries',
    'cronSchedule', 'numReplicas', 'sleepApplication', 'region', 'multiRegionConfig', 'overlapSeconds', 'drainingSeconds',
    'runtime', 'limitOverride', 'useLegacyStacker', 'requiredMountPath', 'ipv6EgressEnabled',
  ],
};

const NIXPACKS_PHASE = ['cmds', 'nixPkgs', 'nixLibs', 'aptPkgs', 'dependsOn', 'cacheDirectories', 'paths', 'onlyIncludeFiles', 'nixpkgsArchive', 'nixOverlays'];
const NIXPACKS: Schema = {
  '': ['providers', 'buildImage', 'variables', 'staticAssets', 'phases', 'start'],
  start: ['cmd', 'runImage', 'onlyIncludeFiles'],
  'phases.*': NIXPACKS_PHASE,
};

const RENDER_SERVICE = [
  'type', 'name', 'runtime', 'env', 'plan', 'region', 'repo', 'branch', 'rootDir', 'buildCommand', 'startCommand',
  'preDeployCommand', 'healthCheckPath', 'dockerfilePath', 'dockerContext', 'dockerCommand', 'envVars', 'autoDeploy',
  'autoDeployTrigger', 'numInstances', 'scaling', 'disk', 'buildFilter', 'domains', 'pullRequestPreviewsEnabled', 'previews',
  'image', 'registryCredential', 'schedule', 'maxShutdownDelaySeconds', 'staticPublishPath', 'headers', 'routes',
  'ipAllowList', 'initialDeployHook', 'buildPlan', 'maxmemoryPolicy', 'databaseName', 'user', 'postgresMajorVersion',
];
const RENDER: Schema = {
  '': ['services', 'databases', 'envVarGroups', 'previews', 'previewsEnabled', 'previewsExpireAfterDays', 'version', 'projects', 'ungrouped'],
  'services.#': RENDER_SERVICE,
};

const FLY: Schema = {
  '': [
    'app', 'primary_region', 'kill_signal', 'kill_timeout', 'swap_size_mb', 'console_command', 'build', 'deploy', 'env',
    'http_service', 'services', 'processes', 'checks', 'mounts', 'statics', 'experimental', 'metrics', 'vm', 'restart',
    'files', 'machine_checks', 'host_dedication_id',
  ],
  build: ['builder', 'buildpacks', 'image', 'dockerfile', 'ignorefile', 'build-target', 'args', 'settings', 'compress', 'compression'],
  deploy: ['release_command', 'release_command_timeout', 'release_command_vm', 'strategy', 'max_unavailable', 'wait_timeout', 'seed_command'],
  http_service: ['internal_port', 'force_https', 'auto_stop_machines', 'auto_start_machines', 'min_machines_running', 'processes', 'concurrency', 'checks', 'tls_options', 'http_options', 'machine_checks'],
  'services.#': ['internal_port', 'protocol', 'processes', 'ports', 'concurrency', 'tcp_checks', 'http_checks', 'auto_stop_machines', 'auto_start_machines', 'min_machines_running', 'script_checks', 'machine_checks', 'proxy_proto_options'],
};

const SCHEMAS: Partial<Record<Platform, Schema>> = { railway: RAILWAY, nixpacks: NIXPACKS, render: RENDER, fly: FLY };

/** Keys that live in one section of a file but were written in another. */
const MISPLACED: Partial<Record<Platform, Record<string, string>>> = {
  railway: Object.fromEntries([...RAILWAY.deploy!.map((k) => [k, 'deploy']), ...RAILWAY.build!.map((k) => [k, 'build'])]),
  nixpacks: { cmd: 'start', ...Object.fromEntries(NIXPACKS_PHASE.map((k) => [k, 'phases.setup'])) },
  fly: { internal_port: 'http_service', release_command: 'deploy', dockerfile: 'build', force_https: 'http_service' },
};

/** Names people reach for that the platform does not read, with the one it does. */
const SYNONYMS: Partial<Record<Platform, Record<string, string>>> = {
  nixpacks: { command: 'cmd', cmds: 'cmd', run: 'cmd', start_cmd: 'cmd', startCommand: 'cmd' },
  render: { start: 'startCommand', build: 'buildCommand', healthCheck: 'healthCheckPath', healthcheck: 'healthCheckPath', dockerfile: 'dockerfilePath', root: 'rootDir' },
  railway: { start: 'startCommand', startcmd: 'startCommand', healthcheck: 'healthcheckPath', releaseCommand: 'preDeployCommand' },
};

export interface SuspiciousKey {
  path: (string | number)[];
  line: number;
  key: string;
  /** The key the platform reads instead. */
  suggestion: string;
  /** `misspelt`, or the section it belongs in. */
  reason: 'misspelt' | 'misplaced';
  /** For `misplaced`: where it belongs (`deploy`, `phases.setup`). */
  section?: string;
}

/** Keys of a parsed platform file that the platform will ignore, with what was meant. */
export function suspiciousKeys(platform: Platform, doc: ConfigDoc): SuspiciousKey[] {
  const schema = SCHEMAS[platform];
  if (!schema) return [];
  const out: SuspiciousKey[] = [];
  for (const k of doc.keys) {
    const key = k.path[k.path.length - 1];
    if (typeof key !== 'string') continue;
    const parent = k.path.slice(0, -1);
    // railway `environments.<env>.deploy.x` follows the root schema.
    const rel = platform === 'railway' && parent[0] === 'environments' ? parent.slice(2) : parent;
    if (platform === 'railway' && parent[0] === 'environments' && parent.length < 2) continue;
    const section = sectionOf(schema, rel);
    if (section === undefined) continue;
    const known = schema[section]!;
    if (known.includes(key)) continue;
    const syn = SYNONYMS[platform]?.[key];
    if (syn && known.includes(syn)) {
      out.push({ path: k.path, line: k.line, key, suggestion: syn, reason: 'misspelt' });
      continue;
    }
    const close = closest(key, known);
    if (close) {
      out.push({ path: k.path, line: k.line, key, suggestion: close, reason: 'misspelt' });
      continue;
    }
    const home = section === '' ? MISPLACED[platform]?.[key] : undefined;
    if (home) out.push({ path: k.path, line: k.line, key, suggestion: `${home}.${key}`, reason: 'misplaced', section: home });
  }
  return out;
}

/** The schema section a key path falls in (`services.#` for any index, `phases.*` for any name). */
function sectionOf(schema: Schema, parent: (string | number)[]): string | undefined {
  const exact = parent.join('.');
  if (schema[exact]) return exact;
  const pattern = parent.map((p) => (typeof p === 'number' ? '#' : p)).join('.');
  if (schema[pattern]) return pattern;
  const wild = parent.map((p, i) => (i === parent.length - 1 && typeof p === 'string' ? '*' : typeof p === 'number' ? '#' : p)).join('.');
  return schema[wild] ? wild : undefined;
}

/** The known key a typo most likely meant: same letters ignoring case, `_` and `-`, or one or two edits away. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const n = norm(key);
  const same = known.find((k) => norm(k) === n);
  if (same) return same;
  if (n.length < 6) return undefined;
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = distance(n, norm(k));
    if (d < bestD && d <= (n.length >= 10 ? 2 : 1)) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
