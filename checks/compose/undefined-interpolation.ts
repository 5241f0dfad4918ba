import { isPair, isScalar, visit } from 'yaml';
import { defineCheck, type Report } from '../../src/engine/check.js';
import { composeFiles, COMPOSE_GLOBS, findInterpolations, isDevCompose, type Interpolation } from '../../src/model/deploy/index.js';
import { COMPOSE_USAGE_GLOBS, interpolationDefinitions, isTestComposePath, stackOf } from '../../src/model/compose-extra.js';
import type { Severity } from '../../src/engine/types.js';
import { parseYaml } from '../../src/model/yaml.js';

/** Variables every shell exports, so compose always sees them. */
const ALWAYS_SET = new Set(['HOME', 'PWD', 'USER', 'PATH', 'SHELL', 'LOGNAME', 'TMPDIR', 'LANG', 'TERM', 'UID', 'GID']);
/** Keys whose strings are commands run inside the container, where `$VAR` usually meant the container's variable. */
const COMMAND_KEYS = new Set(['command', 'entrypoint', 'test']);

interface Use {
  i: Interpolation;
  line: number;
  /** Service the scalar belongs to, when under `services.<name>`. */
  service?: string;
  /** Inside command, entrypoint or healthcheck test. */
  inCommand: boolean;
}

const LOWER: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low' };

function uses(text: string): Use[] {
  const { doc, lineOf, error } = parseYaml(text);
  if (error) return [];
  const out: Use[] = [];
  visit(doc, {
    Scalar(_k, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('$')) return;
      const keys = path.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
      const found = findInterpolations(node.value);
      // `${A:-${B}}`: B only matters when A is unset, and then the author chose it as a fallback
      const nested = new Set(found.flatMap((f) => (f.operand ? findInterpolations(f.operand).map((n) => n.raw) : [])));
      for (const i of found) {
        if (nested.has(i.raw)) continue;
        const use: Use = { i, line: lineOf(node), inCommand: keys.some((k) => COMMAND_KEYS.has(k)) };
        if (keys[0] === 'services' && keys[1]) use.service = keys[1];
        out.push(use);
      }
    },
  });
  return out;
}

export default defineCheck({
  id: 'compose/undefined-interpolation',
  title: 'Compose variable that nothing defines',
  severity: 'high',
  files: [...COMPOSE_GLOBS, '**/.env', '**/.env.*', '**/*.env', ...COMPOSE_USAGE_GLOBS],
  docs:
    'A `${VAR}` (or `$VAR`) in a compose file, without a default, that no `.env` or `.env.example` next to the ' +
    'compose file (or its parents, or an `--env-file` named in a script), and no script or workflow that runs ' +
    'compose, defines. Compose replaces it with an empty string and only prints a warning ("The \\"VAR\\" variable ' +
    'is not set. Defaulting to a blank string."), so the container starts with `DATABASE_URL=` or an image named ' +
    '`:latest` and fails later, far from the cause. `${VAR:?message}` / `${VAR?message}` makes compose stop with the ' +
    'message instead, which is deliberate; it is still reported (medium) when no env template documents the ' +
    'variable, because the first person to deploy learns about it only from the error. A `$VAR` inside `command`, ' +
    '`entrypoint` or a healthcheck `test` is interpolated by compose too, not by the container shell: write `$$VAR` ' +
    'for the container\'s variable. Dev compose files get one severity lower; test and CI compose files ' +
    '(`docker-compose.test.yml`, `compose.ci.yaml`, `.ci/`, `.github/`) are skipped, their variables come from the CI environment.',
  fix: 'Add the variable to .env.example next to the compose file (and to .env / the deploy environment), or give it a default: `${VAR:-value}`.',
  effort: 5,
  example: 'services:\n  api:\n    environment:\n      DATABASE_URL: ${DATABASE_URL}   # in no .env or .env.example',
  run(model) {
    const out: Report[] = [];
    for (const cf of model.get(composeFiles)) {
      // a test/CI compose file gets its variables from the CI environment, which the repo does not show
      if (cf.error || isTestComposePath(cf.file)) continue;
      const defined = interpolationDefinitions(model, cf);
      const dev = isDevCompose(cf) || (stackOf(model, cf.file)?.files.every((f) => isDevCompose(f)) ?? false);
      const byName = new Map<string, Use[]>();
      for (const u of uses(model.text(cf.file) ?? '')) {
        const { i } = u;
        const required = i.modifier === undefined || i.modifier === '?' || i.modifier === ':?';
        if (!required || defined.has(i.name) || ALWAYS_SET.has(i.name)) continue;
        const list = byName.get(i.name) ?? [];
        list.push(u);
        byName.set(i.name, list);
      }
      for (const [name, list] of byName) {
        const first = list[0]!;
        const others = list.length > 1 ? ` (also on line${list.length > 2 ? 's' : ''} ${list.slice(1).map((u) => u.line).join(', ')})` : '';
        const svc = first.service ? cf.services.find((s) => s.name === first.service) : undefined;
        const containerHas = svc?.environment.some((e) => e.name === name) ?? false;
        const explicit = first.i.modifier === '?' || first.i.modifier === ':?';
        let severity: Severity;
        let message: string;
        let fix: string;
        if (list.every((u) => u.inCommand) && !explicit) {
          severity = containerHas ? 'high' : 'medium';
          message =
            `\`${first.i.raw}\` in ${first.service ? `service \`${first.service}\`'s ` : ''}command at ${cf.file}:${first.line}${others} is expanded by compose when it reads the file, not by the container's shell, and no .env defines ${name}: the command runs with an empty string there` +
            (containerHas ? ` even though the service sets ${name} in its \`environment:\`.` : '.');
          fix = `Write \`$$${first.i.raw.slice(1)}\` so the container's shell expands it${containerHas ? '' : ` (and set ${name} in the service's \`environment:\`)`}, or define ${name} in .env.example next to ${cf.file} if compose should fill it in.`;
        } else if (explicit) {
          severity = 'medium';
          message = `\`${first.i.raw}\` at ${cf.file}:${first.line}${others} is required, and no .env.example (or other env file) next to ${cf.file} lists ${name}: \`docker compose up\` stops with "${first.i.operand || `required variable ${name} is missing a value`}" for whoever deploys next.`;
          fix = `Document it: add \`${name}=\` with a comment saying what to put there to .env.example next to ${cf.file}.`;
        } else {
          severity = 'high';
          message = `\`${first.i.raw}\` at ${cf.file}:${first.line}${others} has no default and no .env or .env.example next to ${cf.file} defines ${name}: compose substitutes an empty string (only a warning), so ${first.service ? `service \`${first.service}\`` : 'the stack'} starts with ${name} blank and fails later.`;
          fix = `Add \`${name}=\` to .env.example next to ${cf.file} and set it in .env / the deploy environment; or make it fail fast with \`\${${name}:?set ${name} in .env}\`, or give a safe default: \`\${${name}:-value}\`.`;
        }
        out.push({ file: cf.file, line: first.line, key: name, severity: dev ? LOWER[severity] : severity, message, fix });
      }
    }
    return out;
  },
});
