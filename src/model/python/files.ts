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
  /** Each registered extractor's result, by its index in the registry. */
  results: readonly unknown[];
  /** Set when the file has syntax errors (tree-sitter recovers; the results are best effort). */
  syntaxErrorLine?: number;
}

/** What one file's parse yields: its results, or the fact that its tree was too deep to walk. */
type PyFileOutcome = PyFileResults | 'too-deep';

/** Parses one file and runs every extractor; throws when the parser fails. */
function parseFile(path: string, source: string): PyFileOutcome {
  return withPythonTree(source, (root): PyFileOutcome => {
    if (tooDeep(root)) return 'too-deep';
    const results = registry.map((e) => e.extract(root, { path, source }));
    return root.hasError ? { results, syntaxErrorLine: firstErrorLine(root) } : { results };
  });
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

/**
 * Every read .py file parsed once, with every registered extractor's result. With a fact cache,
 * a file whose content an earlier scan parsed is not parsed again.
 */
export const pythonFiles = defineFacts('python-files', (model) => {
  const out = new Map<string, PyFileResults>();
  // The cache variant: which extractors ran (a newly registered one means new entries).
  const v = registry.map((e) => e.name).join(',');
  for (const path of model.read('**/*.py')) {
    const source = model.text(path) ?? '';
    let got: PyFileOutcome;
    try {
      got = model.perFile('python', path, v, source, () => parseFile(path, source));
    } catch (err) {
      model.parseNotice(path, `could not parse Python: ${(err as Error).message}`);
      continue;
    }
    if (got === 'too-deep') {
      model.parseNotice(path, `Python syntax tree nested deeper than ${MAX_PYTHON_DEPTH}; file skipped`);
      continue;
    }
    if (got.syntaxErrorLine !== undefined) {
      model.parseNotice(path, `Python syntax error near line ${got.syntaxErrorLine}; facts from this file are best effort`);
    }
    out.set(path, got);
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
  const i = registry.indexOf(extractor as PyExtractor<unknown>);
  for (const [path, r] of model.get(pythonFiles)) out.set(path, r.results[i] as T);
  return out;
}

/** The syntax-error line of a parsed file, if tree-sitter found one. */
export function pySyntaxErrorLine(model: ProjectModel, path: string): number | undefined {
  return model.get(pythonFiles).get(path)?.syntaxErrorLine;
}
