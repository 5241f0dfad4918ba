import { defineCheck, type Report } from '../../src/engine/check.js';
import { globMatcher, type ProjectModel } from '../../src/model/project.js';
import { joinPath } from '../../src/model/shell.js';
import {
  baseOf,
  containerJoin,
  coveringCopy,
  DEPLOY_FILES,
  dockerignoreFor,
  GITIGNORE_GLOBS,
  gitIgnores,
  imageBuilds,
  isDockerIgnored,
  isGitIgnored,
  isUrlSource,
  scriptArg,
  stripWrappers,
  type DockerCopy,
  type DockerIgnore,
  type ImageBuild,
} from '../../src/model/deploy/index.js';

const GLOB_CHARS = /[*?[]/;
/** Where a bare command name is looked up in the usual base images. */
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const rel = (context: string, p: string) => (context ? p.slice(context.length + 1) : p);
const ctxName = (context: string) => (context ? `\`${context}/\`` : 'the repository root');

function exists(model: ProjectModel, p: string): boolean {
  return model.exists(p) || model.dirExists(p);
}

function existsAbove(model: ProjectModel, b: ImageBuild, src: string): boolean {
  for (let d = b.dockerfile.dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    if (exists(model, joinPath(d, src))) return true;
    if (d === '') return false;
  }
}

/** A file elsewhere in the repo with the same name, to suggest the intended path. */
function suggestion(model: ProjectModel, context: string, p: string): string {
  const name = baseOf(p);
  const hit = model.listed(`**/${name}`).find((f) => f.startsWith(context ? context + '/' : ''));
  return hit ? ` (did you mean \`${rel(context, hit)}\`?)` : '';
}

function copyReports(model: ProjectModel, b: ImageBuild, ig: DockerIgnore | undefined): Report[] {
  const out: Report[] = [];
  const { dockerfile: df, context } = b;
  const ignores = model.get(gitIgnores);
  for (const st of df.stages) {
    for (const c of st.copies) {
      if (c.from) continue;
      const literal = c.sources.filter((s) => !isUrlSource(s) && !s.includes('$'));
      const globs = literal.filter((s) => GLOB_CHARS.test(s));
      // `COPY package.json yarn.lock* ./` is the idiom for an optional file: fine while any source matches.
      if (globs.length === literal.length && globs.length > 0) {
        const ms = globs.map((g) => globMatcher(joinPath(context, g)));
        if (!model.listed(context ? `${context}/**` : '**').some((f) => ms.some((m) => m(f)))) out.push(missing(model, b, c, globs.join(' ')));
      }
      for (const src of literal) {
        if (GLOB_CHARS.test(src)) continue;
        const p = joinPath(context, src);
        if (p === context || exists(model, p)) {
          if (p !== context && isDockerIgnored(ig, rel(context, p))) out.push(excluded(b, c, src, ig!));
          continue;
        }
        if (isGitIgnored(p, ignores)) continue; // generated or local-only (dist/, .env): built before docker build, or a different bug
        // An inferred context is a guess: stay silent when the path exists relative to another directory above.
        if (!b.contextKnown && existsAbove(model, b, src)) continue;
        out.push(missing(model, b, c, src));
      }
    }
  }
  return out;
}

function missing(model: ProjectModel, b: ImageBuild, c: DockerCopy, src: string): Report {
  const p = joinPath(b.context, src);
  return {
    file: b.dockerfile.file,
    line: c.line,
    key: `copy:${src}`,
    message: `\`${c.instruction} ${c.sources.join(' ')} ${c.dest}\` needs \`${src}\`, which does not exist in the build context ${ctxName(b.context)} (${p}); \`docker build\` stops here with "not found".`,
    fix: `Create ${p}, or fix the path in ${b.dockerfile.file}:${c.line}${suggestion(model, b.context, src)}, or build with the context that contains it.`,
  };
}

function excluded(b: ImageBuild, c: DockerCopy, src: string, ig: DockerIgnore): Report {
  return {
    file: b.dockerfile.file,
    line: c.line,
    key: `ignored:${src}`,
    message: `\`${c.instruction} ${c.sources.join(' ')} ${c.dest}\` needs \`${src}\`, but ${ig.file} excludes it from the build context, so \`docker build\` fails with "not found" (or the image lacks it).`,
    fix: `Add \`!${src}\` at the end of ${ig.file}, or remove the rule that excludes it.`,
  };
}

/** Files a RUN creates or fetches (`curl -o`, `> file`, `cp`, `ln`), so a missing repo file is fine. */
function createdByRun(b: ImageBuild, name: string): boolean {
  return b.dockerfile.stages.some((s) => s.runs.some((r) => r.text.includes(name) && /(>|\b(curl|wget|cp|mv|ln|touch|install|tee|cat)\b)/.test(r.text)));
}

function chmodded(b: ImageBuild, containerPath: string, c: DockerCopy): boolean {
  if (c.chmod && /[1357]$|\+x/.test(c.chmod)) return true;
  const dir = containerPath.slice(0, containerPath.lastIndexOf('/'));
  return b.dockerfile.stages.some((s) => s.runs.some((r) => /\bchmod\b/.test(r.text) && (r.text.includes(baseOf(containerPath)) || r.text.includes(dir) || /chmod\s+-R/.test(r.text))));
}

function startReports(model: ProjectModel, b: ImageBuild, ig: DockerIgnore | undefined): Report[] {
  const { dockerfile: df, context } = b;
  const start = df.start;
  if (!start) return [];
  const argv = stripWrappers(start.argv[0] === '/bin/sh' && start.argv[1] === '-c' ? (start.commands[0]?.argv ?? []) : start.argv);
  const py = argv[0] && /^python[0-9.]*$/.test(argv[0]) && argv[1]?.endsWith('.py') ? { path: argv[1], rest: [] } : undefined;
  const s = py ?? scriptArg(argv);
  if (!s || s.path.includes('$')) return [];
  const wd = df.final?.workdir ?? '/';
  // A bare name (`docker-entrypoint.sh`) is looked up in PATH, not in the working directory.
  const candidates = s.path.includes('/') || py ? [containerJoin(wd, s.path)] : PATH_DIRS.map((d) => `${d}/${s.path}`);
  const found = candidates.map((cp) => ({ cp, cover: coveringCopy(model, df, cp, context) })).find((x) => x.cover);
  if (!found) return [];
  const { cp: containerPath, cover } = found as { cp: string; cover: NonNullable<typeof found.cover> };
  const what = start.entrypoint ? 'ENTRYPOINT' : 'CMD';
  const line = start.entrypoint?.line ?? start.line;
  if (!model.exists(cover.candidate) || isDockerIgnored(ig, rel(context, cover.candidate))) {
    if (createdByRun(b, baseOf(s.path)) || (!model.exists(cover.candidate) && isGitIgnored(cover.candidate, model.get(gitIgnores)))) return [];
    // The COPY that provides the script already gets its own finding when the source is missing.
    if (!model.exists(cover.candidate) && cover.copy.sources.some((x) => !exists(model, joinPath(context, x)))) return [];
    const why = model.exists(cover.candidate) ? `${ig!.file} excludes ${cover.candidate} from the context` : `${cover.candidate} does not exist`;
    return [
      {
        file: df.file,
        line,
        key: `start:${s.path}`,
        message: `The ${what} runs \`${s.path}\` (${containerPath} in the image, from ${df.file}:${cover.copy.line}), but ${why}; the container exits at start with "no such file or directory".`,
        fix: `Add ${cover.candidate} to the repository (or un-exclude it), or point the ${what} at the script that exists.`,
      },
    ];
  }
  const direct = !py && scriptArg(argv)?.path === argv[0];
  if (direct && !model.isExecutable(cover.candidate) && !chmodded(b, containerPath, cover.copy)) {
    return [
      {
        file: df.file,
        line,
        key: `exec:${s.path}`,
        message: `The ${what} runs \`${s.path}\` directly, but ${cover.candidate} is not executable in the repository and nothing in ${df.file} makes it so; the container exits at start with "permission denied".`,
        fix: `Run \`git update-index --chmod=+x ${cover.candidate}\` and commit, or copy it with \`COPY --chmod=755\`, or start it through the shell: ["sh", "${s.path}"].`,
      },
    ];
  }
  return [];
}

export default defineCheck({
  id: 'docker/missing-build-input',
  title: 'Dockerfile needs a file the build context does not have',
  severity: 'critical',
  files: [...DEPLOY_FILES, ...GITIGNORE_GLOBS],
  docs:
    'COPY/ADD sources that do not exist in the build context (compose `build.context`, else the Dockerfile\'s ' +
    'directory) or that .dockerignore excludes (Docker\'s root-anchored rules; BuildKit, the default builder since ' +
    'Docker 23.0, reads `<Dockerfile>.dockerignore` first), so ' +
    '`docker build` fails with "not found"; a CMD/ENTRYPOINT script or `python file.py` that the image would get from ' +
    'the context but that does not exist (exit at start: "no such file or directory"); and a script run directly that ' +
    'is not executable in git and not made executable (`chmod +x`, `COPY --chmod`) nor started through sh/bash ' +
    '("permission denied"). A wildcard source that matches nothing is fine when another source of the same COPY ' +
    'matches (`COPY package.json yarn.lock* ./`). Paths that .gitignore covers (dist/, a local .env) are skipped, as ' +
    'they are produced outside git; so are sources found at the repo root when the context is only assumed.',
  fix: 'Fix the path, add the missing file, un-exclude it in .dockerignore, or make the script executable.',
  effort: 10,
  example: 'COPY requirements/prod.txt .   # requirements/prod.txt does not exist',
  run(model) {
    return model.get(imageBuilds).flatMap((b) => {
      const ig = dockerignoreFor(model, b.dockerfile, b.context);
      return [...copyReports(model, b, ig), ...startReports(model, b, ig)];
    });
  },
});
