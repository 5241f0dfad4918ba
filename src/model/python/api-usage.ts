import type { ProjectModel } from '../project.js';
import { pyNames, type NameRef, type PyModuleNames, type TopBinding } from './bindings.js';
import { resolvedImports, type ResolvedImport } from './imports.js';
import type { ApiUse } from './knowledge.js';

/**
 * Where a file uses a third-party or stdlib API, by fully qualified name: the import statements
 * (`from pydantic import BaseSettings` → pydantic.BaseSettings) and references through imported
 * names (`np.float_` → numpy.float_, `Retry(method_whitelist=...)` → call of
 * urllib3.util.retry.Retry with that keyword, `engine.execute` where
 * `engine = create_engine(...)` → method execute of an instance of sqlalchemy.create_engine).
 */

export interface ApiHit {
  file: string;
  line: number;
  /** The knowledge-base use that matched. */
  use: ApiUse;
  /** The code as the message should quote it. */
  written: string;
}

/** Qualified name an import binding stands for, undefined for relative (local) imports. */
function bindingTarget(b: TopBinding): string | undefined {
  if (b.kind !== 'import' || !b.import || b.import.level > 0) return undefined;
  return b.import.name !== undefined ? `${b.import.module}.${b.import.name}` : b.import.module;
}

/** The callee of `x = callee(...)` resolved through the file's imports (`create_engine` → sqlalchemy.create_engine). */
function instanceOf(names: PyModuleNames, b: TopBinding): string | undefined {
  if (!b.callee) return undefined;
  const [head, ...rest] = b.callee.split('.');
  const hb = names.bindings[head!];
  if (!hb || hb.length !== 1) return undefined;
  const base = bindingTarget(hb[0]!);
  return base ? [base, ...rest].join('.') : undefined;
}

function under(q: string, path: string): boolean {
  return q === path || q.startsWith(path + '.');
}

interface FileApi {
  imports: ResolvedImport[];
  refs: { ref: NameRef; qualified?: string; instance?: string }[];
}

function fileApi(model: ProjectModel, file: string, names: PyModuleNames): FileApi {
  const imports = (model.get(resolvedImports).get(file) ?? []).filter((i) => !i.guarded && i.level === 0);
  const guardedLines = new Set((model.get(resolvedImports).get(file) ?? []).filter((i) => i.guarded).map((i) => i.line));
  const refs: FileApi['refs'] = [];
  for (const ref of names.refs) {
    const bs = names.bindings[ref.name];
    // several bindings (a try/except fallback, a rebinding) make the target ambiguous
    if (!bs || bs.length !== 1) continue;
    const b = bs[0]!;
    if (b.kind === 'import') {
      if (guardedLines.has(b.line)) continue;
      const base = bindingTarget(b);
      if (base) refs.push({ ref, qualified: [base, ...ref.attrs].join('.') });
    } else if (b.callee) {
      const inst = instanceOf(names, b);
      if (inst) refs.push({ ref, instance: inst });
    }
  }
  return { imports, refs };
}

function importText(i: ResolvedImport): string {
  return i.kind === 'import' ? `import ${i.module}${i.alias ? ` as ${i.alias}` : ''}` : `from ${i.module} import ${i.name}${i.alias ? ` as ${i.alias}` : ''}`;
}

function refText(r: NameRef): string {
  const base = [r.name, ...r.attrs].join('.');
  if (!r.call) return base;
  if (r.call.decorator && r.call.args <= 1 && r.call.kwargs.length === 0) return `@${base}`;
  const kw = r.call.kwargs.map((k) => `${k}=...`);
  const pos = r.call.firstArg === 'list' ? ['[...]'] : [];
  return `${base}(${[...pos, ...kw].join(', ')})`;
}

function matchUse(api: FileApi, file: string, use: ApiUse): ApiHit[] {
  const out: ApiHit[] = [];
  if ('import' in use) {
    for (const i of api.imports) {
      const q = i.kind === 'from' && i.name && i.name !== '*' ? `${i.module}.${i.name}` : i.module;
      if (under(q, use.import)) out.push({ file, line: i.line, use, written: importText(i) });
    }
    for (const r of api.refs) if (r.qualified && under(r.qualified, use.import) && r.ref.attrs.length > 0) out.push({ file, line: r.ref.line, use, written: refText(r.ref) });
  } else if ('module' in use) {
    for (const i of api.imports) {
      const full = i.kind === 'from' && i.name && i.name !== '*' ? `${i.module}.${i.name}` : i.module;
      if (under(i.module, use.module) || under(full, use.module)) out.push({ file, line: i.line, use, written: importText(i) });
    }
  } else if ('call' in use) {
    for (const r of api.refs) {
      const c = r.ref.call;
      if (!c || r.qualified !== use.call) continue;
      if (use.kwargs && !use.kwargs.some((k) => c.kwargs.includes(k))) continue;
      if (use.without_kwargs && use.without_kwargs.some((k) => c.kwargs.includes(k))) continue;
      if (use.first_arg === 'list' && c.firstArg !== 'list') continue;
      out.push({ file, line: r.ref.line, use, written: refText(r.ref) });
    }
  } else {
    for (const r of api.refs) {
      if (r.instance && use.of.includes(r.instance) && r.ref.attrs[0] === use.method) out.push({ file, line: r.ref.line, use, written: refText(r.ref) });
    }
  }
  return out;
}

/**
 * Every place in `file` that matches one of `uses`, first line first. Files are analysed lazily and
 * cached per model through a WeakMap, so a knowledge base of many entries costs one pass per file.
 */
export function findApiUses(model: ProjectModel, file: string, uses: readonly ApiUse[]): ApiHit[] {
  let perModel = cache.get(model);
  if (!perModel) {
    perModel = new Map();
    cache.set(model, perModel);
  }
  let api = perModel.get(file);
  if (!api) {
    const names = pyNames(model).get(file);
    if (!names) return [];
    api = fileApi(model, file, names);
    perModel.set(file, api);
  }
  const hits = uses.flatMap((u) => matchUse(api, file, u));
  return hits.sort((a, b) => a.line - b.line);
}

const cache = new WeakMap<ProjectModel, Map<string, FileApi>>();
