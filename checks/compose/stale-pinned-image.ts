import { posix } from 'node:path';
import { defineCheck, type Report } from '../../src/engine/check.js';
import { COMPOSE_GLOBS, dirOf, DOCKERFILE_GLOBS, dockerfiles, isDevOnlyPath } from '../../src/model/deploy/index.js';
import { composeStacks, COMPOSE_USAGE_GLOBS, isDevService, parseImageRef, repoImages, type ImageRef, type RepoImage } from '../../src/model/compose-extra.js';
import type { ProjectModel } from '../../src/model/project.js';

/** Tags that move with every push: pulling them gets the current build, not a snapshot. */
const MOVING = /^(latest|main|master|trunk|stable|edge|dev|develop|development|nightly|staging|stage|prod|production|release|current|lts|head|next)$/i;

function rel(fromDir: string, to: string): string {
  const r = posix.relative(fromDir || '.', to || '.');
  return r === '' ? '.' : r.startsWith('..') ? r : `./${r}`;
}

/** A Dockerfile whose folder is named like the image (`acme/api` and `api/Dockerfile`), that does not itself build FROM the image. */
function byFolderName(model: ProjectModel, ref: ImageRef): RepoImage | undefined {
  const hits = model.get(dockerfiles).filter((df) => {
    if (!df.dir || isDevOnlyPath(df.file) || posix.basename(df.dir).toLowerCase() !== ref.name) return false;
    return !df.stages.some((s) => parseImageRef(s.resolvedImage).repo === ref.repo);
  });
  const df = hits.length === 1 ? hits[0]! : undefined;
  return df ? { repo: ref.repo, dockerfile: df.file, context: df.dir, source: df.file, line: 1, how: 'script' } : undefined;
}

export default defineCheck({
  id: 'compose/stale-pinned-image',
  title: 'Service pinned to a prebuilt image of code this repo builds',
  severity: 'high',
  files: [...COMPOSE_GLOBS, ...DOCKERFILE_GLOBS, ...COMPOSE_USAGE_GLOBS, '**/.env', '**/.env.*', '**/*.env'],
  docs:
    'A service that runs `image: owner/app@sha256:...` or `owner/app:1.2.0` (no `build:`) while this repository holds ' +
    'the Dockerfile that builds that image: another compose file builds it (`build:` + `image:` with the same name), a ' +
    'script or workflow runs `docker build -t owner/app ...`, or (medium) a folder named like the image holds a ' +
    'Dockerfile. A digest or a fixed tag is a snapshot: every fix committed after it was pushed (dependency pins, a ' +
    'migrations entrypoint, config changes) is missing from what this compose file runs, and nothing warns about it. ' +
    'Moving tags (`latest`, `main`, `stable`...) and tags set by a variable (`${TAG}`) are what a CI pipeline updates, and ' +
    'official images (`postgres:16`, `redis`, `nginx`) are never the repo\'s own: all silent.',
  fix: 'Build the service from the repository (`build: { context: ., dockerfile: Dockerfile }`, keeping `image:` as the tag), or rebuild, push and update the digest in the same change as the fix.',
  effort: 15,
  example: 'services:\n  backend:\n    image: acme/backend@sha256:9fb3...   # acme/backend is built from ./Dockerfile',
  run(model) {
    const out: Report[] = [];
    const built = model.get(repoImages);
    for (const stack of model.get(composeStacks)) {
      for (const s of stack.services.values()) {
        if (s.build || !s.image || s.incomplete || s.extendsBase) continue;
        const ref = parseImageRef(s.image.value);
        if (ref.official || ref.interpolated) continue;
        const pin = ref.digest ? 'digest' : ref.tag && !MOVING.test(ref.tag) ? 'tag' : undefined;
        if (!pin) continue;
        const builders = built.get(ref.repo);
        const builder = builders?.[0] ?? byFolderName(model, ref);
        if (!builder) continue;
        const sure = !!builders;
        const file = s.image.file;
        const dev = isDevService(model, s);
        const pinned = ref.digest ? `${ref.repo}@${ref.digest.slice(0, 19)}…` : s.image.value;
        const how =
          builder.how === 'compose'
            ? `${builder.source}:${builder.line} builds it from ${builder.dockerfile}`
            : sure
              ? `${builder.source}:${builder.line} builds and tags it from ${builder.dockerfile}`
              : `${builder.dockerfile} sits in a folder named like the image`;
        const ctx = rel(dirOf(file), builder.context);
        const dockerfile = posix.relative(builder.context || '.', builder.dockerfile);
        out.push({
          file,
          line: s.image.line,
          key: `${s.name}:${ref.repo}`,
          severity: sure ? (dev ? 'medium' : 'high') : dev ? 'low' : 'medium',
          message:
            `Service \`${s.name}\` runs the prebuilt image \`${pinned}\`, pinned by ${pin}, but this repository builds ${ref.repo} itself (${how}): ` +
            `the container runs whatever was pushed when that ${pin} was taken, without any fix committed since (dependency pins, entrypoint and migration changes).`,
          fix:
            `Build it from the repository instead of pulling the snapshot:\n    build:\n      context: ${ctx}\n${dockerfile === 'Dockerfile' ? '' : `      dockerfile: ${dockerfile}\n`}    image: ${ref.repo}:local\n` +
            (builder.how === 'script' && sure ? `or rebuild and push (${builder.source}) and update the ${pin} on line ${s.image.line} in the same change as the fix.` : `or rebuild, push and update the ${pin} on line ${s.image.line} in the same change as the fix.`),
        });
      }
    }
    return out;
  },
});
