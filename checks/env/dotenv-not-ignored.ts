import { defineCheck, type Report } from '../../src/engine/check.js';
import type { ProjectModel } from '../../src/model/project.js';
import {
  composeFiles,
  COMPOSE_GLOBS,
  dirOf,
  envFiles,
  ENV_FILE_GLOBS,
  gitIgnores,
  GITIGNORE_GLOBS,
  isGitIgnored,
  nearestGitIgnore,
  isDevOnlyPath,
  isEnvFilePath,
  isSecretName,
  isTemplateEnvFile,
  realEnvPathFor,
} from '../../src/model/deploy/index.js';

/** Real env files the project expects (from templates, compose `env_file:`, committed ones), with the evidence. */
function expectedEnvFiles(model: ProjectModel): Map<string, { file: string; secret: boolean }> {
  const out = new Map<string, { file: string; secret: boolean }>();
  const add = (path: string, file: string, secret: boolean) => {
    if (isDevOnlyPath(file) && !/\.local$/.test(path)) return;
    const cur = out.get(path);
    if (!cur) out.set(path, { file, secret });
    else cur.secret ||= secret;
  };
  for (const e of model.get(envFiles)) add(e.template ? realEnvPathFor(e.file) : e.file, e.file, e.entries.some((x) => isSecretName(x.name)));
  for (const cf of model.get(composeFiles)) {
    for (const s of cf.services) for (const f of s.envFiles) if (!isTemplateEnvFile(f.path)) add(f.path, cf.file, true);
  }
  return out;
}

function evidence(path: string, file: string): string {
  if (path === file) return 'the file is in the repository now';
  return isEnvFilePath(file) ? `the real file for ${file}` : `loaded by ${file}`;
}

export default defineCheck({
  id: 'env/dotenv-not-ignored',
  title: '.env is not ignored by git',
  severity: 'high',
  files: [...GITIGNORE_GLOBS, ...ENV_FILE_GLOBS, ...COMPOSE_GLOBS],
  docs:
    'The project keeps configuration in `.env` files (it has a `.env.example`, a `.env`, or a compose `env_file: .env`) ' +
    'but no `.gitignore` rule ignores `.env` in that directory, so the first `git add .` after someone fills in real ' +
    'secrets publishes them. Every .gitignore from the root down is applied, with negations (`!.env`). High when the ' +
    'env files hold secret-like settings, medium otherwise. Example and test folders are skipped.',
  fix: 'Add `.env` (and `.env.*` with `!.env.example`) to the .gitignore.',
  effort: 2,
  example: '# .gitignore without .env, next to a .env.example holding SECRET_KEY=',
  run(model) {
    const ignores = model.get(gitIgnores);
    const out: Report[] = [];
    for (const [path, why] of expectedEnvFiles(model)) {
      const dir = dirOf(path);
      if (isGitIgnored(path, ignores)) continue;
      const nearest = nearestGitIgnore(dir, ignores);
      const where = nearest ? { file: nearest.file, line: nearest.lines } : { file: why.file, line: 1 };
      const rel = nearest && nearest.dir ? path.slice(nearest.dir.length + 1) : path;
      out.push({
        ...where,
        key: path,
        ...(why.secret ? {} : { severity: 'medium' as const }),
        message: nearest
          ? `${nearest.file} does not ignore ${path} (${evidence(path, why.file)}); the first \`git add .\` after someone fills in real secrets commits them.`
          : `The repository has no .gitignore, so ${path} (${evidence(path, why.file)}) is committed by the first \`git add .\` after someone fills in real secrets.`,
        fix: `Add these lines to ${nearest ? nearest.file : '.gitignore'}:\n${rel}${rel.endsWith('.env') ? `\n${rel}.*\n!${rel}.example` : ''}`,
      });
    }
    return out;
  },
});
