import type { ProjectModel } from '../project.js';
import { joinPath } from '../shell.js';
import { containerJoin, type DockerCopy, type DockerStage, type Dockerfile } from './dockerfile.js';

/** The stages an image is built from, the root first (a `FROM earlier-stage` chain). */
export function stageChain(df: Dockerfile, stage: DockerStage | undefined = df.final): DockerStage[] {
  const chain: DockerStage[] = [];
  for (let s = stage; s; s = s.parentStage !== undefined ? df.stages[s.parentStage] : undefined) chain.unshift(s);
  return chain;
}

/** COPY/ADD from the build context into the image (not `--from`, not URLs), in order. */
export function contextCopies(df: Dockerfile, stage?: DockerStage): DockerCopy[] {
  return stageChain(df, stage).flatMap((s) => s.copies.filter((c) => !c.from));
}

export function isUrlSource(s: string): boolean {
  return /^(https?|git|ssh):\/\//.test(s) || s.startsWith('git@');
}

/**
 * Maps a path inside the image back to the repository file that a COPY put there, e.g.
 * `/app/scripts/entrypoint.sh` with `WORKDIR /app` + `COPY . .` and context `backend` gives
 * `backend/scripts/entrypoint.sh`. Returns undefined when no COPY from the context covers it.
 */
export function repoPathFor(
  model: ProjectModel,
  df: Dockerfile,
  containerPath: string,
  context: string = df.dir,
  stage?: DockerStage,
): string | undefined {
  const target = containerJoin('/', containerPath);
  const copies = contextCopies(df, stage).reverse(); // a later COPY overwrites an earlier one
  for (const c of copies) {
    const dest = containerJoin(c.workdir, c.dest);
    const destIsDir = c.dest.endsWith('/') || c.dest === '.' || c.sources.length > 1;
    for (const src of c.sources) {
      if (isUrlSource(src) || src.includes('*') || src.includes('$')) continue;
      const repoSrc = joinPath(context, src);
      const srcIsDir = repoSrc === '' || model.dirExists(repoSrc);
      if (srcIsDir) {
        // a directory's contents are copied into dest
        if (target === dest) return repoSrc;
        if (target.startsWith(dest === '/' ? '/' : dest + '/')) {
          const rest = target.slice(dest === '/' ? 1 : dest.length + 1);
          const candidate = joinPath(repoSrc, rest);
          if (model.exists(candidate) || model.dirExists(candidate)) return candidate;
        }
      } else if (destIsDir || model.dirExists(joinPath(context, c.dest))) {
        if (target === containerJoin(dest, src.split('/').pop() ?? src)) return repoSrc;
      } else if (target === dest) return repoSrc;
    }
  }
  return undefined;
}

/**
 * The reverse of repoPathFor: where a repository path lands in the image (`backend/src/alembic.ini`
 * with `COPY src/ src/` in `/app` and context `backend` gives `/app/src/alembic.ini`).
 */
export function containerPathFor(model: ProjectModel, df: Dockerfile, repoPath: string, context: string = df.dir, stage?: DockerStage): string | undefined {
  for (const c of contextCopies(df, stage).reverse()) {
    const dest = containerJoin(c.workdir, c.dest);
    for (const src of c.sources) {
      if (isUrlSource(src) || src.includes('*') || src.includes('$')) continue;
      const repoSrc = joinPath(context, src);
      if (repoSrc === repoPath) {
        const intoDir = !model.dirExists(repoSrc) && (c.dest.endsWith('/') || c.dest === '.' || c.sources.length > 1);
        return intoDir ? containerJoin(dest, repoSrc.split('/').pop() ?? '') : dest;
      }
      if (repoSrc === '' || repoPath.startsWith(repoSrc + '/')) return containerJoin(dest, repoSrc === '' ? repoPath : repoPath.slice(repoSrc.length + 1));
    }
  }
  return undefined;
}

/** True when the image gets `repoPath` (or its whole directory) from the build context. */
export function imageCarries(df: Dockerfile, repoPath: string, context: string = df.dir): boolean {
  return contextCopies(df).some((c) =>
    c.sources.some((src) => {
      if (isUrlSource(src) || src.includes('$')) return false;
      const repoSrc = joinPath(context, src.replace(/\*.*$/, ''));
      return repoSrc === '' || repoSrc === repoPath || repoPath.startsWith(repoSrc.replace(/\/$/, '') + '/');
    }),
  );
}

/**
 * The COPY that would put a file at this image path, and the repository path it would come from,
 * whether or not that file exists (for "the script CMD runs is missing"). Undefined when no COPY
 * from the context covers the path (it comes from the base image or a RUN).
 */
export function coveringCopy(
  model: ProjectModel,
  df: Dockerfile,
  containerPath: string,
  context: string = df.dir,
): { copy: DockerCopy; candidate: string } | undefined {
  const target = containerJoin('/', containerPath);
  for (const c of contextCopies(df).reverse()) {
    const dest = containerJoin(c.workdir, c.dest);
    for (const src of c.sources) {
      if (isUrlSource(src) || src.includes('*') || src.includes('$')) continue;
      const repoSrc = joinPath(context, src);
      const srcIsDir = repoSrc === context || model.dirExists(repoSrc);
      if (srcIsDir && (dest === '/' || target.startsWith(dest + '/'))) {
        return { copy: c, candidate: joinPath(repoSrc, target.slice(dest === '/' ? 1 : dest.length + 1)) };
      }
      if (!srcIsDir) {
        const intoDir = c.dest.endsWith('/') || c.dest === '.' || c.sources.length > 1;
        const landed = intoDir ? containerJoin(dest, src.split('/').pop() ?? src) : dest;
        if (landed === target) return { copy: c, candidate: repoSrc };
      }
    }
  }
  return undefined;
}
