import { defineCheck, type Report } from '../../src/engine/check.js';
import { composeFiles } from '../../src/model/deploy/compose.js';
import { isDevCompose } from '../../src/model/deploy/dev-compose.js';
import { DEPLOY_FILES } from '../../src/model/deploy/files.js';
import { deployServices } from '../../src/model/deploy/services.js';
import { platformConfigs } from '../../src/model/platform/configs.js';
import { PLATFORM_FILES } from '../../src/model/platform/files.js';
import { devServer, isDevScriptName, packageScript, startPaths, type DevServer, type StartPath } from '../../src/model/platform/start-paths.js';
import type { ProjectModel } from '../../src/model/project.js';
import { joinPath, parseCommandLine } from '../../src/model/shell.js';

export default defineCheck({
  id: 'platform/dev-server-in-production',
  title: 'Production start command runs a development server',
  severity: 'high',
  files: [...new Set([...DEPLOY_FILES, ...PLATFORM_FILES, '**/package.json'])],
  docs:
    'The command a production deploy starts (Procfile, railway/nixpacks/render/fly/heroku.yml start command, the CMD ' +
    'of a production Dockerfile) runs a development server or mode: `uvicorn --reload`, `manage.py runserver`, `flask ' +
    'run`, nodemon, ts-node-dev, `tsx watch`, `next dev`, `vite`, or `npm run dev` (also through `npm start` when the ' +
    'start script is one of these). Development servers are single-process, watch the file system, skip production ' +
    'builds and are documented as unsafe for production ("do not use this server in a production setting"); under load ' +
    'or after a deploy they restart, leak memory or fall over. Compose files and Dockerfiles meant for local ' +
    'development (named `*.dev.*`/`override`, or mounting the source tree) are not reported.',
  fix: 'Start the production server instead: gunicorn/uvicorn without --reload, `node dist/server.js`, `next start`.',
  effort: 15,
  example: 'web: uvicorn app.main:app --reload --host 0.0.0.0 --port $PORT',
  run(model) {
    const out: Report[] = [];
    const devImages = devOnlyImages(model);
    for (const sp of model.get(startPaths)) {
      // A compose file whose service runs a dev server is, by the deploy model's definition, a dev compose file.
      if (sp.devOnly || sp.origin === 'compose' || sp.role === 'release' || (sp.dockerfile && sp.origin === 'dockerfile' && devImages.has(sp.dockerfile))) continue;
      for (const c of sp.commands) {
        const found = devServer(c);
        if (found) {
          out.push(report(sp, found));
          break;
        }
        const script = packageScript(c);
        if (!script) continue;
        const pkgDir = sp.dockerfile ? sp.dir : joinPath(sp.dir, c.cwd.startsWith('/') ? '' : c.cwd);
        const r = viaScript(model, sp, script.manager, script.script, pkgDir);
        if (r) {
          out.push(r);
          break;
        }
      }
    }
    return out;
  },
});

function report(sp: StartPath, d: DevServer, via?: string): Report {
  return {
    file: sp.file,
    line: sp.line,
    key: `${sp.name}:${d.what}`,
    message:
      `${sp.key} (\`${sp.text}\`) runs ${d.what}${via ? ` (${via})` : ''} in the production start path: it ${d.why}. ` +
      'Under real traffic it is slow, restarts on its own and is not meant to face the internet.',
    fix: `Start the production server instead: \`${d.instead}\`; keep ${d.what} for a dev compose file or a \`dev\` script.`,
  };
}

/** `npm start` whose script is `nodemon server.js`; `npm run dev` by name. */
function viaScript(model: ProjectModel, sp: StartPath, manager: string, name: string, dir: string): Report | undefined {
  const run = name === 'start' ? `${manager} start` : `${manager} run ${name}`;
  const pkgPath = joinPath(dir, 'package.json');
  let body: string | undefined;
  try {
    const scripts = (JSON.parse(model.text(pkgPath) ?? '{}') as { scripts?: Record<string, unknown> }).scripts ?? {};
    body = typeof scripts[name] === 'string' ? (scripts[name] as string) : undefined;
  } catch {
    body = undefined;
  }
  if (body) {
    for (const c of parseCommandLine(body)) {
      const d = devServer(c);
      if (d) return report(sp, d, `\`${run}\` runs \`${body}\` from ${pkgPath}`);
    }
  }
  if (isDevScriptName(name)) {
    return report(sp, { what: `\`${run}\``, why: `runs the project's development script${body ? ` (\`${body}\`)` : ''}`, instead: `${manager} start with a production start script` });
  }
  return undefined;
}

/**
 * Dockerfiles that only dev compose files build, in a repo with no platform config or Procfile:
 * nothing deploys them to production.
 */
function devOnlyImages(model: ProjectModel): Set<string> {
  const out = new Set<string>();
  if (model.get(platformConfigs).length > 0 || model.listed('**/Procfile').length > 0) return out;
  const dev = new Map(model.get(composeFiles).map((cf) => [cf.file, isDevCompose(cf)]));
  const users = new Map<string, boolean[]>();
  for (const s of model.get(deployServices)) {
    if (s.kind !== 'compose' || !s.dockerfile) continue;
    const list = users.get(s.dockerfile.file) ?? [];
    list.push(dev.get(s.file) === true || s.devOnly);
    users.set(s.dockerfile.file, list);
  }
  for (const [file, devs] of users) if (devs.every(Boolean)) out.add(file);
  return out;
}
