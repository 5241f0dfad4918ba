import { defineFacts, type ProjectModel } from '../project.js';
import { MAX_PYTHON_DEPTH, withPythonTree, type PyNode } from './parse.js';

/** What an extractor sees of one Python file. */
export interface PyFileContext {
  path: string;
  source: string;
}

/**
 * A per-file extractor over the tree-sitter tree. All registered extractors run in ONE parse of
 * each file (the tree is freed right after), and must return plain data.
 */
export interface PyExtractor<T> {
  readonly name: string;
  extract(root: PyNode, ctx: PyFileContext): T;
}

const registry: PyExtractor<unknown>[] = [];

/** Declares and registers an extractor; call at module top level. */
export function definePyExtractor<T>(name: string, extract: (root: PyNode, ctx: PyFileContext) => T): PyExtractor<T> {
  const e: PyExtractor<T> = { name, extract };
  registry.push(e as PyExtractor<unknown>);
  return e;
}

interface PyFileResults {
  results: Map<PyExtractor<unknown>, unknown>;
  /** Set when the file has syntax errors (tree-sitter recovers; the results are best effort). */
  syntaxErrorLine?: number;
}

function tooDeep(root: PyNode): boolean {
  // Walk with an explicit stack; tree-sitter's cursor keeps this O(nodes) without recursion.
  const cursor = root.walk();
  let depth = 0;
  for (;;) {
    if (depth > MAX_PYTHON_DEPTH) {
      cursor.delete();
      return true;
    }
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return false;
      }
      depth--;
    }
  }
}

/** Every read .py file parsed once, with every registered extractor's result. */
export const pythonFiles = defineFacts('python-files', (model) => {
  const out = new Map<string, PyFileResults>();
  for (const path of model.read('**/*.py')) {
    const source = model.text(path) ?? '';
    try {
      withPythonTree(source, (root) => {
        if (tooDeep(root)) {
          model.parseNotice(path, `Python syntax tree nested deeper than ${MAX_PYTHON_DEPTH}; file skipped`);
          return;
        }
        const results = new Map<PyExtractor<unknown>, unknown>();
        for (const e of registry) results.set(e, e.extract(root, { path, source }));
        const entry: PyFileResults = { results };
        if (root.hasError) {
          entry.syntaxErrorLine = firstErrorLine(root);
          model.parseNotice(path, `Python syntax error near line ${entry.syntaxErrorLine}; facts from this file are best effort`);
        }
        out.set(path, entry);
      });
    } catch (err) {
      model.parseNotice(path, `could not parse Python: ${(err as Error).message}`);
    }
  }
  return out;
});

function firstErrorLine(root: PyNode): number {
  const cursor = root.walk();
  try {
    for (;;) {
      const n = cursor.currentNode;
      if (n.type === 'ERROR' || n.isMissing) return n.startPosition.row + 1;
      if (n.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return 1;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** One extractor's result for every parsed Python file (path → result). */
export function pyFacts<T>(model: ProjectModel, extractor: PyExtractor<T>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [path, r] of model.get(pythonFiles)) out.set(path, r.results.get(extractor as PyExtractor<unknown>) as T);
  return out;
}

/** The syntax-error line of a parsed file, if tree-sitter found one. */
export function pySyntaxErrorLine(model: ProjectModel, path: string): number | undefined {
  return model.get(pythonFiles).get(path)?.syntaxErrorLine;
}
