import { posix } from 'node:path';
import { defineCheck, type Report } from '../../src/engine/check.js';
import { composeFiles, COMPOSE_GLOBS, DOCKERFILE_GLOBS, isDockerfilePath } from '../../src/model/deploy/index.js';
import { entries, entry, str } from '../../src/model/deploy/yaml-nodes.js';
import { composeStacks, COMPOSE_USAGE_GLOBS } from '../../src/model/compose-extra.js';
import type { ProjectModel } from '../../src/model/project.js';
import { joinPath } from '../../src/model/shell.js';
import { parseYaml } from '../../src/model/yaml.js';

/** `./x` style path from a directory to a repo path, as one writes it in a compose file. */
function rel(fromDir: string, to: string): string {
  const r = posix.relative(fromDir || '.', to || '.');
  if (r === '') return '.';
  return r.startsWith('..') ? r : `./${r}`;
}

/** Resolves a relative path against a repo directory; undefined when it leaves the repository. */
function inside(dir: string, raw: string): string | undefined {
  if (raw.startsWith('/') || raw.startsWith('~')) return undefined;
  const depth = dir ? dir.split('/').length : 0;
  let ups = 0;
  let level = depth;
  for (const seg of raw.split('/')) {
    if (seg === '..') {
      level--;
      if (level < 0) ups++;
    } else if (seg !== '' && seg !== '.') level++;
  }
  return ups > 0 ? undefined : joinPath(dir, raw);
}

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/;

interface BuildSpec {
  service: string;
  context: { raw: string; line: number };
  dockerfile?: { raw: string; line: number };
  inline: boolean;
}

function builds(model: ProjectModel, file: string): BuildSpec[] {
  const { doc, lineOf, error } = parseYaml(model.text(file) ?? '');
  if (error) return [];
  const out: BuildSpec[] = [];
  for (const s of entries(doc, entry(doc, doc.contents, 'services')?.value)) {
    const b = entry(doc, s.value, 'build');
    if (!b) continue;
    const short = str(b.value);
    if (short !== undefined) {
      out.push({ service: s.key, context: { raw: short, line: lineOf(b.value) }, inline: false });
      continue;
    }
    const c = entry(doc, b.value, 'context');
    const d = entry(doc, b.value, 'dockerfile');
    const spec: BuildSpec = {
      service: s.key,
      context: { raw: str(c?.value) ?? '.', line: c ? lineOf(c.value) : lineOf(b.keyNode) },
      inline: entry(doc, b.value, 'dockerfile_inline') !== undefined,
    };
    const dr = str(d?.value);
    if (d && dr !== undefined) spec.dockerfile = { raw: dr, line: lineOf(d.value) };
    out.push(spec);
  }
  return out;
}

export default defineCheck({
  id: 'compose/missing-build-context',
  title: 'Compose build context or Dockerfile that does not exist',
  severity: 'critical',
  files: [...COMPOSE_GLOBS, ...DOCKERFILE_GLOBS, ...COMPOSE_USAGE_GLOBS, '**/.env', '**/.env.*', '**/*.env'],
  docs:
    'A service whose `build:` context directory, or whose `build.dockerfile`, is not in the repository. ' +
    '`docker compose build` / `up --build` stops with "unable to prepare context: path not found" or ' +
    '"failed to read dockerfile: open Dockerfile: no such file or directory", so nothing is built or deployed. It ' +
    'usually follows a folder rename (`backend/` to `api/`) or a Dockerfile moved under `docker/`. Paths are ' +
    'resolved the way Compose does: the context against the compose file\'s directory (for `-f` overlays, against ' +
    'the first file\'s), the Dockerfile against the context. Remote (git URL) contexts, `dockerfile_inline`, ' +
    'absolute paths and paths with `${VAR}` are not checked.',
  fix: 'Point `build.context` at the directory that holds the code (relative to the compose file) and `build.dockerfile` at the Dockerfile relative to that context.',
  effort: 5,
  example: 'services:\n  api:\n    build: ./backend   # the folder was renamed to ./api',
  run(model) {
    const out: Report[] = [];
    const stacks = model.get(composeStacks);
    const dockerfilePaths = model.listed('**/*').filter(isDockerfilePath);
    for (const cf of model.get(composeFiles)) {
      if (cf.error) continue;
      // with `-f base -f overlay`, Compose resolves the overlay's paths against the base file's directory
      const baseDir = stacks.find((s) => s.files.includes(cf))?.files[0]?.dir ?? cf.dir;
      for (const b of builds(model, cf.file)) {
        const raw = b.context.raw;
        if (REMOTE.test(raw) || raw.includes('$')) continue;
        const candidates = [inside(cf.dir, raw), inside(baseDir, raw)].filter((p): p is string => p !== undefined);
        if (candidates.length === 0) continue; // outside the repository: cannot be checked
        const context = candidates.find((c) => model.dirExists(c));
        if (context === undefined) {
          const wanted = candidates[0]!;
          const name = posix.basename(wanted);
          const dirs = [...new Set(dockerfilePaths.map((p) => posix.dirname(p).replace(/^\.$/, '')))];
          const guess = dirs.find((d) => posix.basename(d) === name) ?? (dirs.length === 1 ? dirs[0] : undefined);
          out.push({
            file: cf.file,
            line: b.context.line,
            key: `${b.service}:context`,
            message: `Service \`${b.service}\` builds from \`${raw}\` (${wanted || '.'}/ in the repo), which does not exist; \`docker compose build\` stops with "unable to prepare context: path \\"${raw}\\" not found" and the service never starts.`,
            fix:
              guess !== undefined
                ? `Point the build at the folder that holds the Dockerfile: \`context: ${rel(cf.dir, guess)}\` (${guess || 'the repo root'} has ${dockerfilePaths.filter((p) => posix.dirname(p).replace(/^\.$/, '') === guess).join(', ')}).`
                : `Point \`context:\` at the directory that holds the service's code and Dockerfile, relative to ${cf.file}.`,
          });
          continue;
        }
        if (b.inline) continue;
        const dfRaw = b.dockerfile?.raw;
        if (dfRaw !== undefined && (dfRaw.startsWith('/') || dfRaw.includes('$'))) continue;
        const df = dfRaw !== undefined ? inside(context, dfRaw) : joinPath(context, 'Dockerfile');
        if (df === undefined) continue;
        if (model.exists(df)) continue;
        // docker falls back to a lower-case `dockerfile`; podman reads `Containerfile`
        if (dfRaw === undefined && ['dockerfile', 'Containerfile'].some((n) => model.exists(joinPath(context, n)))) continue;
        const inContext = dockerfilePaths.filter((p) => p.startsWith(context ? context + '/' : ''));
        const near = inContext.filter((p) => posix.dirname(p) === (context || '.')).concat(inContext).slice(0, 3);
        out.push({
          file: cf.file,
          line: b.dockerfile?.line ?? b.context.line,
          key: `${b.service}:dockerfile`,
          message: `Service \`${b.service}\` builds with ${dfRaw !== undefined ? `\`dockerfile: ${dfRaw}\`` : 'the default `Dockerfile`'}, but ${df} does not exist (the Dockerfile path is relative to the context \`${context || '.'}\`); \`docker compose build\` fails with "failed to read dockerfile: no such file or directory".`,
          fix: near.length
            ? `Use an existing Dockerfile, relative to the context: \`dockerfile: ${posix.relative(context || '.', near[0]!)}\`${near.length > 1 ? ` (also in the context: ${near.slice(1).join(', ')})` : ''}.`
            : `Add ${df}, or set \`dockerfile:\` to the Dockerfile's path relative to the context \`${context || '.'}\`.`,
        });
      }
    }
    return out;
  },
});
