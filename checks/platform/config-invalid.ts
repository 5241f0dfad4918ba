import { defineCheck, type Report } from '../../src/engine/check.js';
import { obj, platformConfigs, type PlatformConfig } from '../../src/model/platform/configs.js';
import { keyLine } from '../../src/model/platform/config-doc.js';
import { FLY_GLOBS, NIXPACKS_GLOBS, RAILWAY_GLOBS, RENDER_GLOBS, HEROKU_GLOBS } from '../../src/model/platform/files.js';
import { suspiciousKeys } from '../../src/model/platform/schema.js';

const NAMES: Record<string, string> = { railway: 'Railway', nixpacks: 'Nixpacks', render: 'Render', fly: 'Fly', heroku: 'Heroku' };

export default defineCheck({
  id: 'platform/config-invalid',
  title: 'Platform config file does not parse or uses keys the platform ignores',
  severity: 'high',
  files: [...RAILWAY_GLOBS, ...NIXPACKS_GLOBS, ...RENDER_GLOBS, ...FLY_GLOBS, ...HEROKU_GLOBS],
  docs:
    'railway.json/railway.toml, nixpacks.toml, render.yaml, fly.toml and heroku.yml are read by the platform on every ' +
    'deploy. One that does not parse fails the deploy (Render rejects the Blueprint, `fly deploy` stops, Railway ' +
    'reports "invalid config") or is skipped; a misspelt or misplaced key is silently ignored, so the setting the team ' +
    'relies on never applies: `healthcheckPath` in render.yaml (Render reads `healthCheckPath`), `startCommand` at the ' +
    'top of railway.json instead of under `deploy`, `[start] command` in nixpacks.toml (it reads `cmd`), a string ' +
    '`internal_port`. Only keys one or two letters away from, or in the wrong section for, a documented key are ' +
    'reported; unknown settings far from every documented key are left alone.',
  fix: 'Fix the syntax error, or rename/move the key to the one the platform documents.',
  effort: 5,
  example: 'services:\n  - type: web\n    healthcheckPath: /health   # Render reads healthCheckPath',
  run(model) {
    const out: Report[] = [];
    for (const c of model.get(platformConfigs)) {
      const name = NAMES[c.platform] ?? c.platform;
      if (c.doc.error) {
        out.push({
          file: c.file,
          line: c.doc.error.line,
          key: 'parse',
          message: `${c.file} is not valid ${c.doc.format.toUpperCase()} (line ${c.doc.error.line}: ${c.doc.error.message}): ${name} cannot read it, so the deploy fails or runs without this configuration.`,
          fix: `Fix the syntax at line ${c.doc.error.line}; check it with a ${c.doc.format.toUpperCase()} parser before pushing.`,
        });
        continue;
      }
      if (!obj(c.doc.value)) {
        out.push({ file: c.file, line: 1, key: 'not-a-table', message: `${c.file} holds no ${c.doc.format === 'json' ? 'JSON object' : 'table of settings'}: ${name} finds none of its settings in it.`, fix: 'Write the settings as a top-level object.' });
        continue;
      }
      for (const s of suspiciousKeys(c.platform, c.doc)) {
        const at = s.path.slice(0, -1).join('.');
        out.push({
          file: c.file,
          line: s.line,
          key: `key:${s.path.join('.')}`,
          message:
            s.reason === 'misspelt'
              ? `${c.file} sets \`${s.key}\`${at ? ` in \`${at}\`` : ''}, which ${name} does not read (it reads \`${s.suggestion}\`): the setting is silently ignored.`
              : `${c.file} sets \`${s.key}\` at the top level, but ${name} reads it only under \`${s.section}\`: the setting is silently ignored.`,
          fix: s.reason === 'misspelt' ? `Rename \`${s.key}\` to \`${s.suggestion}\`.` : `Move \`${s.key}\` into the \`${s.section}\` section.`,
        });
      }
      out.push(...typeProblems(c));
    }
    return out;
  },
});

/** Values of the wrong type where the platform needs a specific one. */
function typeProblems(c: PlatformConfig): Report[] {
  const out: Report[] = [];
  const v = obj(c.doc.value)!;
  const bad = (path: (string | number)[], want: string, got: unknown) =>
    out.push({
      file: c.file,
      line: keyLine(c.doc, path),
      key: `type:${path.join('.')}`,
      message: `${c.file} sets \`${path.join('.')}\` to ${JSON.stringify(got)}, but ${NAMES[c.platform]} expects ${want}: the config is rejected or the value ignored.`,
      fix: `Write \`${path.join('.')}\` as ${want}.`,
    });
  if (c.platform === 'railway') {
    const d = obj(v.deploy);
    if (d && d.startCommand !== undefined && typeof d.startCommand !== 'string' && d.startCommand !== null) bad(['deploy', 'startCommand'], 'a string', d.startCommand);
    if (d && d.healthcheckPath !== undefined && typeof d.healthcheckPath === 'string' && !d.healthcheckPath.startsWith('/')) bad(['deploy', 'healthcheckPath'], 'a path starting with `/`', d.healthcheckPath);
  } else if (c.platform === 'nixpacks') {
    const s = obj(v.start);
    if (s && s.cmd !== undefined && typeof s.cmd !== 'string') bad(['start', 'cmd'], 'a string', s.cmd);
  } else if (c.platform === 'render') {
    if (v.services !== undefined && !Array.isArray(v.services)) bad(['services'], 'a list of services', '(a map)');
  } else if (c.platform === 'fly') {
    const hs = obj(v.http_service);
    if (hs && hs.internal_port !== undefined && typeof hs.internal_port !== 'number') bad(['http_service', 'internal_port'], 'a number', hs.internal_port);
    if (Array.isArray(v.services)) {
      v.services.forEach((s, i) => {
        const p = obj(s)?.internal_port;
        if (p !== undefined && typeof p !== 'number') bad(['services', i, 'internal_port'], 'a number', p);
      });
    }
  }
  return out;
}
