import { defineCheck, type Report } from '../../src/engine/check.js';
import { pyNames, type TopBinding } from '../../src/model/python/bindings.js';
import { followName } from '../../src/model/python/imports.js';
import { MODULE_MAP_FILES, pythonModules } from '../../src/model/python/modules.js';
import { isAuxiliaryPath, reachOf } from '../../src/model/python/reach.js';
import type { ProjectModel } from '../../src/model/project.js';

/** Attributes every function has, and those functools caches add. */
const FUNCTION_ATTRS = new Set(['cache_clear', 'cache_info', 'cache_parameters', 'register', 'dispatch', 'registry']);
const CACHE_DECORATORS = /^(functools\.)?(lru_cache|cache)(\(|$)/;

interface FunctionDef {
  file: string;
  line: number;
  decorators: string[];
}

/** The def a module-level name stands for, if every binding of it is one plain function. */
function functionOf(model: ProjectModel, file: string, name: string, bindings: TopBinding[]): FunctionDef | undefined {
  if (bindings.length !== 1) return undefined;
  const b = bindings[0]!;
  if (b.kind === 'def') return { file, line: b.line, decorators: b.decorators ?? [] };
  if (b.kind !== 'import' || !b.import || b.import.name === undefined) return undefined;
  const map = model.get(pythonModules);
  const targets = map.resolveModule(file, b.import.module, b.import.level);
  if (targets.length !== 1) return undefined;
  const r = followName(model, targets[0]!, b.import.name);
  if (r.kind !== 'binding' || r.bindings.length !== 1 || r.bindings[0]!.kind !== 'def') return undefined;
  return { file: r.file, line: r.bindings[0]!.line, decorators: r.bindings[0]!.decorators ?? [] };
}

export default defineCheck({
  id: 'python/attribute-on-function',
  title: 'Attribute read on a function as if it were an object',
  severity: 'critical',
  files: [...MODULE_MAP_FILES],
  docs:
    'Code reads an attribute of a name that is a function, not the object the function returns: ' +
    '`from config import settings` where config.py has `def settings(): return Settings()`, then ' +
    '`settings.REDIS_URL`. Functions have no such attribute, so the line raises AttributeError: ' +
    "'function' object has no attribute 'REDIS_URL' (at import time for module-level code, else on the first request). " +
    'The name is followed through imports and package re-exports to its def. Decorated functions are left alone ' +
    '(a decorator may return an object: Celery tasks, click commands), except functools caches, which only add ' +
    '`cache_clear`/`cache_info`; dunder attributes and attributes the code assigns on the function are fine.',
  fix: 'Call the function and use its result: `settings = get_settings()` then `settings.REDIS_URL` (or `get_settings().REDIS_URL`).',
  effort: 5,
  example: '# config.py: def settings(): return Settings()\nfrom config import settings\nredis.from_url(settings.REDIS_URL)',
  run(model) {
    const out: Report[] = [];
    const all = pyNames(model);
    for (const [file, names] of all) {
      const reach = reachOf(model, file);
      if (isAuxiliaryPath(file) && reach !== 'startup') continue;
      const reported = new Set<string>();
      for (const ref of names.refs) {
        const attr = ref.attrs[0];
        if (!attr || reported.has(ref.name) || attr.startsWith('__') || FUNCTION_ATTRS.has(attr)) continue;
        if (names.attributeAssigned.includes(ref.name)) continue;
        const bindings = names.bindings[ref.name];
        if (!bindings) continue;
        const fn = functionOf(model, file, ref.name, bindings);
        if (!fn) continue;
        const cached = fn.decorators.length > 0 && fn.decorators.every((d) => CACHE_DECORATORS.test(d));
        if (fn.decorators.length > 0 && !cached) continue;
        if (all.get(fn.file)?.attributeAssigned.includes(ref.name)) continue;
        reported.add(ref.name);
        const chain = [ref.name, ...ref.attrs].join('.');
        const where = fn.file === file ? `line ${fn.line}` : `${fn.file}:${fn.line}`;
        out.push({
          file,
          line: ref.line,
          key: `${ref.name}.${attr}`,
          ...(reach === 'elsewhere' ? { severity: 'high' as const } : {}),
          message: `\`${chain}\` (${file}:${ref.line}) reads \`${attr}\` from \`${ref.name}\`, which is a function (def at ${where})${cached ? ' wrapped in a cache decorator' : ''}, not the object it returns: it raises AttributeError: 'function' object has no attribute '${attr}'.`,
          fix: `Call it: \`${ref.name}().${[attr, ...ref.attrs.slice(1)].join('.')}\`, or bind the result once (\`${ref.name === 'settings' ? 'settings = get_settings()' : `obj = ${ref.name}()`}\`) and read attributes from that.`,
        });
      }
    }
    return out;
  },
});
