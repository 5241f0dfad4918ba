#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ALL_CHECKS } from '../checks/index.js';
import { ConfigError, parseConfig, type Config } from './engine/config.js';
import { LocalSnapshot } from './engine/local-snapshot.js';
import { knownRuleIds } from './engine/collect.js';
import { scan } from './engine/runner.js';
import type { Snapshot } from './engine/snapshot.js';
import { atOrAbove, isSeverity, type Severity } from './engine/types.js';
import { openGitHubSnapshot, RemoteTargetError } from './github/remote.js';
import { FORMATS, render, type Format } from './report/index.js';

const USAGE = `Usage: readiness scan [dir | github:owner/repo[@ref]] [options]

Finds what will stop a backend from deploying, statically (nothing in the repo is run).

Options:
  --format text|markdown|json|sarif   output format (default: text)
  --fail-on critical|high|medium|low|none
                                      exit 1 when a finding is at or above this (default: critical,
                                      or fail_on from .github/readiness.yml)
  --config FILE                       config file (default: .github/readiness.yml in the scanned repo)
  --only RULES                        comma-separated rule ids to run
  --output FILE                       write the report to FILE instead of standard output
  -h, --help                          show this help

  readiness rules                     list every rule with its severity

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage error, missing directory or
invalid config.`;

/** Exit codes, as documented in the README. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

class UsageError extends Error {}

export async function main(argv: string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr.write(`readiness: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

async function run(argv: string[], io: { stdout: NodeJS.WritableStream & { isTTY?: boolean }; stderr: NodeJS.WritableStream }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string' },
        config: { type: 'string' },
        only: { type: 'string' },
        output: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, target = '.', ...extra] = positionals;
  if (values.help || command === undefined) {
    io.stdout.write(USAGE + '\n');
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (command === 'rules') {
    for (const c of ALL_CHECKS) io.stdout.write(`${c.severity.padEnd(8)} ${c.id.padEnd(44)} ${c.title}\n`);
    return EXIT.ok;
  }
  if (command !== 'scan') throw new UsageError(`unknown command "${command}" (try: readiness scan .)`);
  if (extra.length) throw new UsageError(`scan takes one directory, got ${positionals.length - 1}`);

  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const failOnArg = values['fail-on'];
  if (failOnArg !== undefined && failOnArg !== 'none' && !isSeverity(failOnArg))
    throw new UsageError('--fail-on must be critical, high, medium, low or none');
  const known = knownRuleIds(ALL_CHECKS);
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of only ?? []) if (!known.has(id)) throw new UsageError(`--only: unknown rule "${id}" (see: readiness rules)`);

  let config: Config | undefined;
  if (values.config) {
    const text = await readFile(values.config, 'utf8').catch(() => {
      throw new UsageError(`cannot read config file ${values.config}`);
    });
    config = parseConfig(text, values.config, known);
  }

  const snapshot = await openTarget(target);
  const result = await scan(snapshot, { config, only, failOn: failOnArg as Severity | 'none' | undefined });
  const report = render(result, format, { color: format === 'text' && !values.output && Boolean(io.stdout.isTTY) && !process.env.NO_COLOR });
  if (values.output) await writeFile(values.output, report);
  else io.stdout.write(report);
  const failOn = result.summary.failOn;
  return result.findings.some((f) => atOrAbove(f.severity, failOn)) ? EXIT.findings : EXIT.ok;
}

async function openTarget(target: string): Promise<Snapshot> {
  if (target.startsWith('github:')) {
    try {
      return await openGitHubSnapshot(target);
    } catch (err) {
      // A bad target, a missing repository or an unreachable API: one line, exit 2.
      throw new UsageError(err instanceof RemoteTargetError ? err.message : `cannot read ${target}: ${(err as Error).message}`);
    }
  }
  const st = await stat(target).catch(() => undefined);
  if (!st?.isDirectory()) throw new UsageError(`no such directory: ${target}`);
  return new LocalSnapshot(target);
}

/** True when this file is the program being run (directly or through the npm bin link). */
function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`readiness: internal error: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 3;
    },
  );
}
