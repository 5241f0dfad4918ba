import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseYaml } from '../model/yaml.js';
import { isSeverity, type Severity } from './types.js';

/** Where the repository's own configuration lives (the app reads it from the default branch). */
export const CONFIG_PATH = '.github/readiness.yml';

export type CommentMode = 'always' | 'on-findings' | 'never';

/** Validated configuration. Rules never read this: the engine applies it after they ran. */
export interface Config {
  failOn: Severity | 'none';
  /** Globs of paths not to scan. */
  ignore: string[];
  /** Per rule: `off`, or a severity that replaces the default. */
  rules: Record<string, Severity | 'off'>;
  /** GitHub App: when to post the sticky PR comment. */
  comment: CommentMode;
  /** GitHub App: `new` fails the check only for findings not on the base branch. */
  gate: 'all' | 'new';
  /** GitHub App: a scan that errors concludes `failure` instead of `neutral`. */
  failOnError: boolean;
}

export const DEFAULT_CONFIG: Config = {
  failOn: 'critical',
  ignore: [],
  rules: {},
  comment: 'on-findings',
  gate: 'all',
  failOnError: false,
};

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ConfigError';
  }
}

const KEYS = ['fail_on', 'ignore', 'rules', 'comment', 'gate', 'fail_on_error'] as const;
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'];

/**
 * Parses and validates a config file. Throws ConfigError naming the key and line of the first
 * problem. `knownRules` lets it reject a misspelt rule id.
 */
export function parseConfig(text: string, file: string, knownRules: ReadonlySet<string>): Config {
  const parsed = parseYaml(text);
  if (parsed.error) throw new ConfigError(`not valid YAML: ${parsed.error.message}`, file, parsed.error.line);
  const root = parsed.doc.contents;
  const line = (n: Node | null | undefined) => parsed.lineOf(n);
  const cfg: Config = { ...DEFAULT_CONFIG, ignore: [], rules: {} };
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return cfg;
  if (!isMap(root)) throw new ConfigError('the config must be a mapping of keys', file, line(root));
  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const val = pair.value as Node | null;
    const str = isScalar(val) ? val.value : undefined;
    switch (key as (typeof KEYS)[number]) {
      case 'fail_on':
        if (typeof str !== 'string' || !FAIL_ON.includes(str))
          throw new ConfigError(`fail_on must be one of ${FAIL_ON.join(', ')}`, file, line(val ?? keyNode));
        cfg.failOn = str as Config['failOn'];
        break;
      case 'ignore':
        if (!isSeq(val) || !val.items.every((i) => isScalar(i) && typeof i.value === 'string'))
          throw new ConfigError('ignore must be a list of path globs', file, line(val ?? keyNode));
        cfg.ignore = val.items.map((i) => String((i as { value: unknown }).value));
        break;
      case 'rules':
        if (!isMap(val)) throw new ConfigError('rules must map rule ids to off or a severity', file, line(val ?? keyNode));
        for (const rp of val.items) {
          const id = isScalar(rp.key) ? String(rp.key.value) : '';
          const v = isScalar(rp.value) ? rp.value.value : undefined;
          if (!knownRules.has(id)) throw new ConfigError(`unknown rule "${id}"`, file, line(rp.key as Node));
          const sv = v === false ? 'off' : v;
          if (sv !== 'off' && !isSeverity(sv))
            throw new ConfigError(`rules.${id} must be off, critical, high, medium or low`, file, line((rp.value as Node) ?? rp.key));
          cfg.rules[id] = sv as Severity | 'off';
        }
        break;
      case 'comment':
        if (str !== 'always' && str !== 'on-findings' && str !== 'never')
          throw new ConfigError('comment must be always, on-findings or never', file, line(val ?? keyNode));
        cfg.comment = str;
        break;
      case 'gate':
        if (str !== 'all' && str !== 'new') throw new ConfigError('gate must be all or new', file, line(val ?? keyNode));
        cfg.gate = str;
        break;
      case 'fail_on_error':
        if (typeof str !== 'boolean') throw new ConfigError('fail_on_error must be true or false', file, line(val ?? keyNode));
        cfg.failOnError = str;
        break;
      default:
        throw new ConfigError(`unknown key "${key}" (known: ${KEYS.join(', ')})`, file, line(keyNode));
    }
  }
  return cfg;
}
