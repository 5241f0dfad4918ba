import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { pyNames } from '../../src/model/python/bindings.js';
import { DEPENDENCY_FILES } from '../../src/model/python/deps.js';
import { isKnownImport } from '../../src/model/python/distributions.js';
import { declaresImport, lookupName, offeredNames, resolvedImports, type ResolvedImport } from '../../src/model/python/imports.js';
import { MODULE_MAP_FILES, pythonModules, type ModuleTarget } from '../../src/model/python/modules.js';
import { isAuxiliaryPath, outsideCodeRoots, reachOf } from '../../src/model/python/reach.js';
import { closestName } from '../../src/model/python/suggest.js';
import type { ProjectModel } from '../../src/model/project.js';

function written(imp: ResolvedImport): string {
  const mod = '.'.repeat(imp.level) + imp.module;
  if (imp.kind === 'import') return `import ${mod}${imp.alias ? ` as ${imp.alias}` : ''}`;
  return `from ${mod} import ${imp.name}${imp.alias ? ` as ${imp.alias}` : ''}`;
}

function severityOf(model: ProjectModel, imp: ResolvedImport): Severity {
  if (imp.inMain || outsideCodeRoots(model, imp.file)) return 'medium';
  if (imp.scope === 'function' || imp.conditional) return 'high';
  return reachOf(model, imp.file) === 'elsewhere' ? 'high' : 'critical';
}

function describeTarget(model: ProjectModel, t: ModuleTarget): string {
  if (t.kind === 'namespace') {
    const names = offeredNames(model, t);
    return names.length ? `${t.path}/ (a folder without __init__.py)` : `${t.path}/ (a folder with no Python module in it)`;
  }
  return t.path;
}

/** What a module or folder defines, for the message: the closest name first, then a short list. */
function offered(model: ProjectModel, targets: ModuleTarget[], name: string): { closest?: string; detail: string; list: string[] } {
  const names = [...new Set(targets.flatMap((t) => offeredNames(model, t)))].filter((n) => !n.startsWith('_'));
  const closest = closestName(name, names);
  let detail = '';
  if (closest) {
    const t = targets.find((x) => x.kind === 'module' || x.kind === 'package');
    const b = t ? pyNames(model).get(t.path)?.bindings[closest]?.[0] : undefined;
    const kind = b ? ({ def: 'a function', class: 'a class', import: 'an import', assign: 'a variable', other: 'a name' } as const)[b.kind] : 'a module';
    detail = ` The closest name it defines is \`${closest}\` (${kind}${b ? `, line ${b.line}` : ''}).`;
  } else if (names.length) detail = ` It defines: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''}.`;
  return { ...(closest ? { closest } : {}), detail, list: names };
}

export default defineCheck({
  id: 'python/unresolved-import',
  title: 'Import of a local module or name that does not exist',
  severity: 'critical',
  files: [...MODULE_MAP_FILES, ...DEPENDENCY_FILES],
  docs:
    'An import of a module of this repository that no file provides (`from data.seed import load_materials` with no ' +
    '`data/seed.py`), or of a name the module does not define (`from config import settings` when config.py only ' +
    'defines `get_settings`). Python raises ImportError / ModuleNotFoundError when the import runs: at startup for a ' +
    'module-level import of the app, so the container crash-loops. Modules are looked up the way the deploy finds them ' +
    '(WORKDIR and COPY of the Dockerfile, `cd` in the start command, `--app-dir`, PYTHONPATH, the package config, a src ' +
    'layout) and, generously, from every folder above the importing file. Imports inside `try/except ImportError`, under ' +
    '`if TYPE_CHECKING:` or a Python-version test never fire; names reached through `__init__` re-exports, star imports ' +
    'and submodules count; a module with `__getattr__` or compiled extensions is never judged.',
  fix: 'Import the name the module really defines (or add the missing module/function), and run the import once in the deploy image: `docker run --rm <image> python -c "import <module>"`.',
  effort: 10,
  example: '# backend/config.py defines get_settings only\nfrom config import settings  # ImportError at startup',
  run(model) {
    const out: Report[] = [];
    const map = model.get(pythonModules);
    for (const [file, imports] of model.get(resolvedImports)) {
      const aux = isAuxiliaryPath(file) && reachOf(model, file) !== 'startup';
      if (aux) continue;
      for (const imp of imports) {
        if (imp.guarded || imp.origin !== 'local') continue;
        if (imp.weak && (isKnownImport(imp.top) || declaresImport(model, imp.top))) continue;
        const severity = severityOf(model, imp);
        const text = written(imp);
        if (imp.targets.length === 0) {
          // the package exists but not this module (or a relative import points nowhere)
          const parts = (imp.absolute ?? imp.module).split('.');
          const parentName = parts.slice(0, -1).join('.');
          const parentTargets = parentName
            ? imp.level > 0 && imp.module.includes('.')
              ? map.resolveModule(file, imp.module.split('.').slice(0, -1).join('.'), imp.level)
              : imp.level > 0 && !imp.module.includes('.')
                ? map.resolveModule(file, '', imp.level)
                : map.resolveModule(file, parentName, 0)
            : [];
          if (map.sysPathEdited && imp.level === 0) continue;
          const last = parts[parts.length - 1] ?? imp.module;
          const o = offered(model, parentTargets, last);
          const where = parentTargets[0] ? ` ${describeTarget(model, parentTargets[0])} has no ${last}.py or ${last}/ package.` : '';
          out.push({
            file,
            line: imp.line,
            key: `${imp.level}:${imp.module}`,
            severity,
            message: `\`${text}\` (${file}:${imp.line}) names module \`${imp.absolute ?? imp.module}\`, which does not exist in the repository:${where}${o.detail} The import raises ModuleNotFoundError${severity === 'critical' ? ' when the app starts' : ' when it runs'}.`,
            fix: o.closest
              ? `Import from the module that exists (\`${o.closest}\`?), or create ${last}.py with what the code expects.`
              : `Create the module \`${imp.absolute ?? imp.module}\` (${(imp.absolute ?? imp.module).split('.').join('/')}.py) or fix the import path.`,
          });
          continue;
        }
        if (imp.kind !== 'from' || !imp.name || imp.name === '*') continue;
        const results = imp.targets.map((t) => lookupName(model, t, imp.name!));
        if (!results.every((r) => r.kind === 'missing')) continue;
        if (map.sysPathEdited && imp.level === 0 && map.foldersDefining(imp.top).length > 1) continue;
        const o = offered(model, imp.targets, imp.name);
        const target = imp.targets[0]!;
        const isEmptyFolder = target.kind === 'namespace' && o.list.length === 0;
        out.push({
          file,
          line: imp.line,
          key: `${imp.level}:${imp.module}:${imp.name}`,
          severity,
          message: isEmptyFolder
            ? `\`${text}\` (${file}:${imp.line}): \`${imp.absolute ?? imp.module}\` is only ${describeTarget(model, target)}, so nothing named \`${imp.name}\` can be imported from it; the import raises ImportError${severity === 'critical' ? ' when the app starts' : ' when it runs'}.`
            : `\`${text}\` (${file}:${imp.line}): ${describeTarget(model, target)} defines no \`${imp.name}\`, so the import raises ImportError${severity === 'critical' ? ' when the app starts' : ' when it runs'}.${o.detail}`,
          fix: o.closest
            ? `Import the name that exists: \`from ${'.'.repeat(imp.level)}${imp.module} import ${o.closest}\`${/^(get|load|make|create|build)_/.test(o.closest) ? ` and call it (\`${imp.name} = ${o.closest}()\`)` : ''}, or define \`${imp.name}\` in ${target.kind === 'namespace' ? `${target.path}/` : target.path}.`
            : isEmptyFolder
              ? `Create ${target.path}/__init__.py (or ${target.path}.py) defining \`${imp.name}\`, and make sure the deploy copies it into the image.`
              : `Define \`${imp.name}\` in ${target.path}, or import it from the module that has it.`,
        });
      }
    }
    return out;
  },
});
