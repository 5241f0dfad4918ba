import { defineFacts } from '../project.js';
import { composeFiles } from './compose.js';
import { isDevCompose } from './dev-compose.js';
import { dockerfiles, type Dockerfile } from './dockerfile.js';
import { isDevOnlyPath } from './files.js';

/** One way the repo builds an image: a Dockerfile with its context. */
export interface ImageBuild {
  dockerfile: Dockerfile;
  /** Repo-relative context directory. */
  context: string;
  /** True when the context is known (compose says so); a lone Dockerfile's context is assumed to be its directory. */
  contextKnown: boolean;
  /** Compose services that build it, with the file they live in. */
  composeServices: { file: string; service: string; dev: boolean }[];
  /** Judged from the Dockerfile's name and the compose files that use it. */
  devOnly: boolean;
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
    builds.set(`${df.file}\0${df.dir}`, { dockerfile: df, context: df.dir, contextKnown: false, composeServices: [], devOnly: isDevOnlyPath(df.file) });
  }
  return [...builds.values()];
});
