import { defineCheck, type Report } from '../../src/engine/check.js';
import { pyNames } from '../../src/model/python/bindings.js';
import { resolvedImports } from '../../src/model/python/imports.js';
import { MODULE_MAP_FILES } from '../../src/model/python/modules.js';
import { isAuxiliaryPath, reachOf, underDeployRoot } from '../../src/model/python/reach.js';
import type { ProjectModel } from '../../src/model/project.js';

/** Files some other module of the project imports (by resolved target). */
function importedFiles(model: ProjectModel): Set<string> {
  const out = new Set<string>();
  for (const [file, imps] of model.get(resolvedImports)) {
    for (const i of imps) for (const t of i.targets) if (t.path !== file) out.add(t.path);
  }
  return out;
}

export default defineCheck({
  id: 'python/undefined-name',
  title: 'Name used where it is never bound',
  severity: 'high',
  files: [...MODULE_MAP_FILES],
  docs:
    'A pyflakes-style scope analysis (module, function, class, lambda and comprehension scopes) finds names that no ' +
    'scope binds: a typo, a missing import, or an import that sits only under `if __name__ == "__main__":` while a ' +
    'function outside that block uses it (it works when the file runs as a script and raises NameError as soon as the ' +
    'app imports it). The call raises NameError at run time, usually on the first request that reaches it. Only ' +
    'certain cases are reported: a binding anywhere in the module (even later or conditional) counts, and star imports, ' +
    '`global`, `exec`/`globals()` tricks, `try/except NameError` and Python 2 files make names unknown instead.',
  fix: 'Import or define the name at module level (move the import out of the `__main__` block), or fix the typo.',
  effort: 3,
  example: 'def api_key_valid(key):\n    return key in os.getenv("API_KEYS", "")\n\nif __name__ == "__main__":\n    import os',
  run(model) {
    const out: Report[] = [];
    let imported: Set<string> | undefined;
    for (const [file, names] of pyNames(model)) {
      if (names.undefinedNames.length === 0) continue;
      const reach = reachOf(model, file);
      if (isAuxiliaryPath(file) && reach !== 'startup') continue;
      const byName = new Map<string, typeof names.undefinedNames>();
      for (const u of names.undefinedNames) {
        const list = byName.get(u.name) ?? [];
        list.push(u);
        byName.set(u.name, list);
      }
      for (const [name, uses] of byName) {
        const first = uses[0]!;
        const more = uses.length > 1 ? ` (and ${uses.length - 1} more use${uses.length > 2 ? 's' : ''} in this file)` : '';
        if (first.reason === 'main-only') {
          const bindings = names.bindings[name] ?? [];
          const onlyImports = bindings.every((b) => b.kind === 'import');
          imported ??= importedFiles(model);
          // `parser = argparse.ArgumentParser()` under __main__ used by main() is the usual script
          // pattern; it only breaks when something imports the module.
          // A script nobody imports runs the block before anything uses the name; only a module
          // that the app imports (or that sits in the deployed code tree) breaks.
          if (!imported.has(file) && reach !== 'startup' && !(onlyImports && underDeployRoot(model, file))) continue;
          const what = onlyImports ? 'imported' : 'bound';
          out.push({
            file,
            line: first.line,
            key: name,
            message: `\`${name}\` is used at ${file}:${first.line}${more} but ${what} only under \`if __name__ == "__main__":\` (line ${first.boundAt}). Run as a script it works; when the app imports ${file}, that block does not run and the use raises NameError: name '${name}' is not defined.`,
            fix: onlyImports
              ? `Move the import to the top of ${file} (next to the other imports), out of the \`if __name__ == "__main__":\` block.`
              : `Define \`${name}\` at module level (outside \`if __name__ == "__main__":\`), or pass it to the functions that use it.`,
          });
          continue;
        }
        out.push({
          file,
          line: first.line,
          key: name,
          ...(first.inFunction && reach === 'elsewhere' ? { severity: 'medium' as const } : {}),
          message: `\`${name}\` at ${file}:${first.line}${more} is not defined anywhere in the module: no import, assignment, def or class binds it and it is not a builtin. ${first.inFunction ? 'Calling the enclosing function' : 'Importing the module'} raises NameError: name '${name}' is not defined.`,
          fix: `Import \`${name}\` (or define it) at the top of ${file}, or correct the spelling.`,
        });
      }
    }
    return out;
  },
});
