import { defineFacts, type ProjectModel } from '../project.js';
import { joinPath, type SimpleCommand } from '../shell.js';
import { composeFiles } from './compose.js';
import { isDevCompose } from './dev-compose.js';
import { stageChain } from './container-paths.js';
import { dockerfiles } from './dockerfile.js';
import { envFiles, isTemplateEnvFile, type EnvFile } from './dotenv.js';
import { baseOf, dirOf, isDevOnlyPath, isEnvFilePath } from './files.js';
import { shellScripts } from './scripts.js';
import { deployServices } from './services.js';
import { expandStart } from './start-path.js';

/**
 * An env template (`.env.example`) that the deploy itself loads, so its placeholders become the
 * running values: `env_file: .env.example`, `cp .env.example .env` in a start script or
 * Dockerfile, `COPY .env.example .env`.
 */
export interface LoadedTemplate {
  template: EnvFile;
  /** Where the deploy loads or copies it. */
  file: string;
  line: number;
  how: 'env_file' | 'cp' | 'COPY';
}

/** Container entrypoint scripts by convention (`docker-entrypoint.sh`, `entrypoint.prod.sh`). */
const ENTRYPOINT_SCRIPT = /entrypoint/i;

/** `.env`, `.env.production`, `prod.env`: a name the app loads (not another template). */
function isLiveEnvName(dest: string): boolean {
  const b = baseOf(dest);
  return isEnvFilePath(b) && !isTemplateEnvFile(b);
}

function findTemplate(templates: EnvFile[], raw: string, dirs: string[]): EnvFile | undefined {
  for (const d of dirs) {
    const hit = templates.find((t) => t.file === joinPath(d, raw));
    if (hit) return hit;
  }
  // Paths inside an image (`/app/.env.example`) do not map to the repo; fall back to a unique base name.
  const byName = templates.filter((t) => baseOf(t.file) === baseOf(raw));
  return byName.length === 1 ? byName[0] : undefined;
}

/** `cp [-n|-f] <template> <dest>` where dest is a real env file name. */
function copiedTemplates(cmds: readonly SimpleCommand[], templates: EnvFile[], dirs: string[]): EnvFile[] {
  const out: EnvFile[] = [];
  for (const c of cmds) {
    if (c.argv[0] !== 'cp' && c.argv[0] !== 'mv') continue;
    const args = c.argv.slice(1).filter((a) => !a.startsWith('-'));
    if (args.length !== 2) continue;
    const [src, dest] = args as [string, string];
    if (!isLiveEnvName(dest)) continue;
    const t = findTemplate(templates, src, [joinPath(dirs[0] ?? '', c.cwd), ...dirs]);
    if (t) out.push(t);
  }
  return out;
}

function compute(model: ProjectModel): LoadedTemplate[] {
  const templates = model.get(envFiles).filter((e) => e.template);
  if (templates.length === 0) return [];
  const out: LoadedTemplate[] = [];
  for (const cf of model.get(composeFiles)) {
    if (isDevCompose(cf)) continue;
    for (const s of cf.services) {
      for (const f of s.envFiles) {
        const t = templates.find((x) => x.file === f.path);
        if (t) out.push({ template: t, file: cf.file, line: f.line, how: 'env_file' });
      }
    }
  }
  // Start paths (CMD/ENTRYPOINT, compose command, Procfile) with the scripts and npm scripts they run.
  for (const s of model.get(deployServices)) {
    if (s.devOnly) continue;
    const origin = { file: s.startAt?.file ?? s.file, line: s.startAt?.line ?? s.line, baseDir: dirOf(s.file), ...(s.dockerfile ? { dockerfile: s.dockerfile, context: s.context ?? s.dockerfile.dir } : {}) };
    for (const step of expandStart(model, origin, s.start)) {
      for (const t of copiedTemplates([step], templates, [dirOf(step.file), s.context ?? dirOf(s.file)])) out.push({ template: t, file: step.file, line: step.line, how: 'cp' });
    }
  }
  for (const df of model.get(dockerfiles)) {
    if (isDevOnlyPath(df.file)) continue;
    for (const st of stageChain(df)) {
      for (const r of st.runs) for (const t of copiedTemplates(r.commands, templates, [df.dir])) out.push({ template: t, file: df.file, line: r.line, how: 'cp' });
      for (const c of st.copies) {
        if (c.from || c.sources.length !== 1 || !isLiveEnvName(c.dest)) continue;
        const t = findTemplate(templates, c.sources[0]!, [df.dir]);
        if (t) out.push({ template: t, file: df.file, line: c.line, how: 'COPY' });
      }
    }
  }
  // Container entrypoint scripts by their conventional name, even when no CMD here names them.
  for (const [file, lines] of model.get(shellScripts)) {
    if (isDevOnlyPath(file) || !ENTRYPOINT_SCRIPT.test(baseOf(file))) continue;
    for (const l of lines) for (const t of copiedTemplates(l.commands, templates, [dirOf(file), ''])) out.push({ template: t, file, line: l.line, how: 'cp' });
  }
  return out;
}

export const loadedEnvTemplates = defineFacts('deploy-loaded-env-templates', compute);
