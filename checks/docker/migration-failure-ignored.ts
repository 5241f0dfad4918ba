import { defineCheck, type Report } from '../../src/engine/check.js';
import type { ProjectModel } from '../../src/model/project.js';
import { parseCommandLine, type SimpleCommand } from '../../src/model/shell.js';
import {
  baseOf,
  composeFiles,
  deployServices,
  DEPLOY_FILES,
  dirOf,
  expandStart,
  dockerfiles,
  isDevCompose,
  isDevOnlyPath,
  isMigrationCommand,
  packageJsons,
  PACKAGE_JSON_GLOBS,
  procfiles,
  shellScripts,
  type ScriptLine,
} from '../../src/model/deploy/index.js';

const KEYWORDS = new Set(['then', 'do', 'else', 'fi', 'done', 'esac']);

/** Commands that swallow a failure when put after `||`. */
const SWALLOW = new Set(['true', ':', 'echo', 'printf', 'logger']);

function swallowed(next: SimpleCommand | undefined): boolean {
  if (!next || next.joinedBy !== '||') return false;
  const a0 = next.argv[0] ?? '';
  return SWALLOW.has(a0) || (a0 === 'exit' && (next.argv[1] ?? '0') === '0');
}

/**
 * How a migration's failure is lost in one command line: `|| true`, `; next` (no errexit), `&`
 * (backgrounded), `| tee` (pipe status is the last command's). Undefined when it is not.
 */
function lostBy(cmds: readonly SimpleCommand[], errexit: boolean): { migration: SimpleCommand; how: string; kind: string } | undefined {
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i]!;
    if (!isMigrationCommand(c.argv)) continue;
    const next = cmds[i + 1];
    if (next && KEYWORDS.has(next.argv[0] ?? '')) continue;
    const text = c.argv.join(' ');
    if (swallowed(next)) return { migration: c, how: `\`${text} || ${next!.argv.join(' ')}\` turns a failed migration into success`, kind: 'or' };
    if (next?.joinedBy === ';' && !errexit) return { migration: c, how: `\`${text}; ${next.argv.join(' ')}\` runs the next command whether or not the migration succeeded`, kind: 'semicolon' };
    if (next?.joinedBy === '&') return { migration: c, how: `\`${text} &\` runs the migration in the background, so nothing waits for it or sees it fail`, kind: 'background' };
    if (next?.joinedBy === '|' && !errexit) return { migration: c, how: `\`${text} | ${next.argv.join(' ')}\` reports the exit status of \`${next.argv[0]}\`, not of the migration`, kind: 'pipe' };
  }
  return undefined;
}

const FIX =
  'Let a failed migration stop the start: join it with `&&` (`alembic upgrade head && exec gunicorn ...`), drop `|| true`, ' +
  'and put `set -e` at the top of scripts. If the migration needs the database to be up, wait for it (a healthcheck ' +
  'dependency or a retry loop that exits non-zero after N attempts) instead of ignoring errors.';

function report(file: string, line: number, how: string, key: string, severity?: 'medium'): Report {
  return {
    file,
    line,
    key,
    ...(severity ? { severity } : {}),
    message: `${how}: the app then starts against a schema that is missing tables or columns, and the deploy looks healthy until requests fail.`,
    fix: FIX,
  };
}

function hasErrexit(model: ProjectModel, file: string, lines: readonly ScriptLine[]): boolean {
  const first = (model.text(file) ?? '').split('\n', 1)[0] ?? '';
  if (/^#!.*\s-[a-z]*e/.test(first)) return true;
  return lines.some((l) => l.commands.some((c) => c.argv[0] === 'set' && c.argv.slice(1).some((a) => /^-[a-z]*e/.test(a) || a === 'errexit')));
}

/** Script names that say they run at container start or release (`setup.sh`, `fix-db.sh` do not). */
const START_SCRIPT = /(^|[-_.])(entrypoint|start|prestart|deploy|release|boot|run|launch|serve)([-_.]|$)/i;

/** Scripts the start paths of production services run (followed through CMD, compose, Procfile, npm). */
function startPathScripts(model: ProjectModel): Set<string> {
  const out = new Set<string>();
  for (const s of model.get(deployServices)) {
    if (s.devOnly) continue;
    const origin = { file: s.startAt?.file ?? s.file, line: s.startAt?.line ?? s.line, baseDir: dirOf(s.file), ...(s.dockerfile ? { dockerfile: s.dockerfile, context: s.context ?? s.dockerfile.dir } : {}) };
    for (const st of expandStart(model, origin, s.start)) for (const f of st.via) out.add(f);
  }
  return out;
}

function scriptReports(model: ProjectModel): Report[] {
  const out: Report[] = [];
  const onStart = startPathScripts(model);
  for (const [file, lines] of model.get(shellScripts)) {
    // Only scripts a deploy runs: found on a start path, or named like a container entrypoint/start script.
    if (isDevOnlyPath(file) || !(onStart.has(file) || START_SCRIPT.test(baseOf(file)))) continue;
    const errexit = hasErrexit(model, file, lines);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (/^(if|elif|until|while)\s/.test(l.text)) continue; // the condition of a branch or loop handles the failure
      const lost = lostBy(l.commands, errexit);
      if (lost) {
        out.push(report(file, l.line, lost.how, `${lost.kind}:${lost.migration.argv.slice(0, 3).join(' ')}`));
        continue;
      }
      // Without `set -e`, a migration on its own line is followed by the next line whatever happens.
      const alone = l.commands.length === 1 && isMigrationCommand(l.commands[0]!.argv) && !/^(if|until|while|!)\s/.test(l.text);
      const later = lines.slice(i + 1).find((x) => !/^(fi|done|esac|else|then|do|echo|printf)\b|^\}/.test(x.text));
      if (alone && !errexit && later && !/\$\?/.test(later.text)) {
        out.push(report(file, l.line, `${file} has no \`set -e\`, so after \`${l.commands[0]!.argv.join(' ')}\` fails it goes on to \`${later.text}\``, `no-errexit:${l.commands[0]!.argv.slice(0, 3).join(' ')}`, 'medium'));
      }
    }
  }
  return out;
}

export default defineCheck({
  id: 'docker/migration-failure-ignored',
  title: 'A failed migration does not stop the start',
  severity: 'high',
  files: [...DEPLOY_FILES, ...PACKAGE_JSON_GLOBS],
  docs:
    'A start path that runs migrations but throws their failure away: `alembic upgrade head || true`, ' +
    '`npx prisma migrate deploy || echo failed`, `python manage.py migrate; gunicorn ...` outside `set -e`, a ' +
    'backgrounded or piped migration. The server starts against an old or half-migrated schema and the deploy looks ' +
    'healthy until requests hit the missing tables. Looked for in Dockerfile CMD/ENTRYPOINT, compose `command`, ' +
    'Procfile lines, package.json scripts and shell scripts (development files skipped). A script without `set -e` ' +
    'whose migration line is followed by more commands is reported as medium.',
  fix: 'Chain the migration with `&&`, remove `|| true`, and use `set -e` in scripts.',
  effort: 5,
  example: 'CMD alembic upgrade head || true && exec uvicorn app.main:app',
  run(model) {
    const out: Report[] = [];
    const check = (file: string, line: number, cmds: readonly SimpleCommand[]) => {
      const lost = lostBy(cmds, false);
      if (lost) out.push(report(file, line, lost.how, `${lost.kind}:${lost.migration.argv.slice(0, 3).join(' ')}`));
    };
    for (const df of model.get(dockerfiles)) if (df.start && !isDevOnlyPath(df.file)) check(df.file, df.start.line, df.start.commands);
    for (const cf of model.get(composeFiles)) {
      if (isDevCompose(cf)) continue;
      for (const s of cf.services) for (const c of [s.entrypoint, s.command]) if (c) check(cf.file, c.line, c.commands);
    }
    for (const p of model.get(procfiles)) if (!isDevOnlyPath(p.file)) check(p.file, p.line, p.commands);
    for (const pkg of model.get(packageJsons).values()) {
      if (isDevOnlyPath(pkg.file)) continue;
      const lines = (model.text(pkg.file) ?? '').split('\n');
      for (const [name, body] of Object.entries(pkg.scripts)) {
        const line = Math.max(1, lines.findIndex((l) => l.includes(`"${name}"`)) + 1);
        check(pkg.file, line, parseCommandLine(body));
      }
    }
    return [...out, ...scriptReports(model)];
  },
});
