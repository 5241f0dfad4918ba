import { isPair, visit, type Node } from 'yaml';
import { defineCheck, type Report } from '../../src/engine/check.js';
import { COMPOSE_GLOBS, isComposePath } from '../../src/model/deploy/index.js';
import { isMap, isScalar, isSeq, parseYaml } from '../../src/model/yaml.js';

/** Cookiecutter/Copier templates: Jinja tags make the file invalid YAML until rendered. */
const TEMPLATE = /\{%|\{\{\s*(cookiecutter|copier|project|_copier)/;

export default defineCheck({
  id: 'compose/invalid-file',
  title: 'Compose file that does not parse',
  severity: 'critical',
  files: [...COMPOSE_GLOBS],
  docs:
    'A compose file that is not valid YAML, that writes a key twice in one mapping (two `depends_on:` in a service), ' +
    'whose top level is not a mapping, or whose `services` (or one service) is not a mapping. `docker compose` ' +
    'refuses the whole file ("yaml: line 12: did not find expected key", "mapping key "depends_on" already ' +
    'defined at line 4", "services.api must be a mapping"), so no service in it starts, and the other compose rules ' +
    'only see what a lenient parser made of it. ' +
    'Jinja-templated files (cookiecutter, copier) are skipped: they only become YAML when rendered.',
  fix: 'Fix the YAML at the line shown (indentation, a missing colon, a tab, an unquoted `:` or `*`), then check it with `docker compose config`.',
  effort: 10,
  example: 'services:\n  api:\n    image: app\n   ports: ["8000:8000"]   # one space short',
  run(model) {
    const out: Report[] = [];
    for (const file of model.read('**/*.{yml,yaml}').filter(isComposePath)) {
      const text = model.text(file) ?? '';
      if (file.includes('{{') || TEMPLATE.test(text)) continue;
      const { doc, lineOf, error } = parseYaml(text);
      if (error) {
        out.push({
          file,
          line: error.line,
          key: 'yaml',
          message: `${file} is not valid YAML (line ${error.line}: ${error.message}); \`docker compose\` refuses the whole file, so none of its services start.`,
          fix: `Fix the YAML at ${file}:${error.line} (indentation, a tab, a missing \`:\`, an unquoted value starting with \`*\`, \`&\` or \`{\`), then run \`docker compose -f ${file} config\` to confirm it parses.`,
        });
        continue;
      }
      // go-yaml, which compose uses, rejects a key written twice in one mapping; the `yaml` library keeps the last
      const dups: Report[] = [];
      visit(doc, {
        Map(_k, map, path) {
          const where = path.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : '?')).join('.');
          const seen = new Map<string, number>();
          for (const p of map.items) {
            if (!isScalar(p.key) || p.key.value === '<<') continue;
            const k = String(p.key.value);
            const line = lineOf(p.key as Node);
            const first = seen.get(k);
            if (first === undefined) seen.set(k, line);
            else
              dups.push({
                file,
                line,
                key: `duplicate:${where ? where + '.' : ''}${k}`,
                message: `\`${k}\` is written twice in the same mapping of ${file} (lines ${first} and ${line}); \`docker compose\` refuses the file ("mapping key '${k}' already defined at line ${first}"), so none of its services start.`,
                fix: `Merge the two \`${k}:\` blocks (lines ${first} and ${line}) into one.`,
              });
          }
        },
      });
      if (dups.length) {
        out.push(...dups);
        continue;
      }
      const root = doc.contents;
      if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) continue;
      if (!isMap(root)) {
        out.push({
          file,
          line: lineOf(root),
          key: 'root',
          message: `${file} is YAML but its top level is a ${isSeq(root) ? 'list' : 'scalar'}, not a mapping with \`services:\`; \`docker compose\` rejects it.`,
          fix: 'Make the top level a mapping: `services:` followed by one indented entry per service.',
        });
        continue;
      }
      const services = root.items.find((p) => isScalar(p.key) && p.key.value === 'services');
      if (!services || services.value === null) continue;
      const sv = services.value;
      if (!isMap(sv)) {
        out.push({
          file,
          line: lineOf(services.key as Node),
          key: 'services',
          message: `\`services\` in ${file} is a ${isSeq(sv) ? 'list' : 'scalar'}, not a mapping of service names; \`docker compose\` rejects the file ("services must be a mapping").`,
          fix: 'Write `services:` as a mapping:\nservices:\n  api:\n    build: .\n(a `- name` list is not accepted).',
        });
        continue;
      }
      for (const p of sv.items) {
        const name = isScalar(p.key) ? String(p.key.value) : '?';
        const v = p.value;
        if (v === null || isMap(v) || (!isScalar(v) && !isSeq(v))) continue;
        if (isScalar(v) && v.value === null) continue;
        out.push({
          file,
          line: lineOf(p.key as Node),
          key: `service:${name}`,
          message: `Service \`${name}\` in ${file} is a ${isSeq(v) ? 'list' : 'scalar'} (\`${String(isScalar(v) ? v.value : '[...]').slice(0, 40)}\`), not a mapping; \`docker compose\` rejects the file ("services.${name} must be a mapping").`,
          fix: `Give \`${name}\` its keys as a mapping, e.g.\n  ${name}:\n    image: ${isScalar(v) ? String(v.value) : 'IMAGE'}`,
        });
      }
    }
    return out;
  },
});
