import { defineFacts, type ProjectModel } from '../project.js';
import { joinPath } from '../shell.js';
import { isUrlSource } from './container-paths.js';
import { composeFiles } from './compose.js';
import { isDevCompose } from './dev-compose.js';
import { dockerfiles, type Dockerfile } from './dockerfile.js';
import { dirOf, isDevOnlyPath } from './files.js';

/** One way the repo builds an image: a Dockerfile with its context. */
export interface ImageBuild {
  dockerfile: Dockerfile;
  /** Repo-relative context directory. */
  context: string;
  /** True when compose says what the context is; a lone Dockerfile's context is inferred (inferContext). */
  contextKnown: boolean;
  /** Compose services that build it, with the file they live in. */
  composeServices: { file: string; service: string; dev: boolean }[];
  /** Judged from the Dockerfile's name and the compose files that use it. */
  devOnly: boolean;
}

/**
 * The context a lone Dockerfile is most likely built with: its own directory, or the nearest
 * ancestor where the most of its COPY sources exist (`docker build -f images/api/Dockerfile .`
 * from the root is common). Ties go to the nearest directory.
 */
function inferContext(model: ProjectModel, df: Dockerfile): string {
  const sources = df.stages.flatMap((s) => s.copies.filter((c) => !c.from).flatMap((c) => c.sources)).filter((x) => !/[*?[$]/.test(x) && !isUrlSource(x));
  if (sources.length === 0) return df.dir;
  const candidates: string[] = [];
  for (let d = df.dir; ; d = dirOf(d)) {
    candidates.push(d);
    if (d === '') break;
  }
  let best = df.dir;
  let bestHits = -1;
  for (const c of candidates) {
    const hits = sources.filter((x) => {
      const p = joinPath(c, x);
      return p === c || model.exists(p) || model.dirExists(p);
    }).length;
    if (hits > bestHits) {
      best = c;
      bestHits = hits;
    }
  }
  return best;
}

/**
 * Every (Dockerfile, context) pair: from compose `build:` entries, plus each Dockerfile no compose
 * file builds (context assumed to be its own directory).
 */
export const imageBuilds = defineFacts('deploy-image-builds', (model): ImageBuild[] => {
  const dfs = new Map(model.get(dockerfiles).map((d) => [d.file, d]));
  const builds = new Map<string, ImageBuild>();
  for (const cf of model.get(composeFiles)) {
    const dev = isDevCompose(cf);
    for (const s of cf.services) {
      if (!s.build || s.build.remote) continue;
      const df = dfs.get(s.build.dockerfile);
      if (!df) continue;
      const key = `${df.file}\0${s.build.context}`;
      const b = builds.get(key) ?? { dockerfile: df, context: s.build.context, contextKnown: true, composeServices: [], devOnly: true };
      b.composeServices.push({ file: cf.file, service: s.name, dev });
      builds.set(key, b);
    }
  }
  for (const b of builds.values()) b.devOnly = isDevOnlyPath(b.dockerfile.file) || b.composeServices.every((s) => s.dev);
  const built = new Set([...builds.values()].map((b) => b.dockerfile.file));
  for (const df of dfs.values()) {
    if (built.has(df.file)) continue;
    const context = inferContext(model, df);
    builds.set(`${df.file}\0${context}`, { dockerfile: df, context, contextKnown: false, composeServices: [], devOnly: isDevOnlyPath(df.file) });
  }
  return [...builds.values()];
});
