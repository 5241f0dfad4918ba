import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import { registerPreparer } from '../parsers.js';

const require = createRequire(import.meta.url);

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Loads web-tree-sitter and tree-sitter-python's shipped .wasm once per process (no native build). */
export function loadPythonParser(): Promise<void> {
  loading ??= (async () => {
    await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
    const lang = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    const p = new Parser();
    p.setLanguage(lang);
    parser = p;
  })();
  return loading;
}

registerPreparer({ matches: (p) => p.endsWith('.py') || p.endsWith('.pyi'), load: loadPythonParser });

/** Deeper syntax trees than this are not walked (hostile input); the file is skipped with a notice. */
export const MAX_PYTHON_DEPTH = 400;

/**
 * Parses Python source and hands the tree to `fn`; the tree is freed afterwards, so callers
 * must copy what they need into plain objects. Throws when the parser was not loaded.
 */
export function withPythonTree<T>(source: string, fn: (root: Node, tree: Tree) => T): T {
  if (!parser) throw new Error('the Python parser is not loaded (prepareParsers was not called)');
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return fn(tree.rootNode, tree);
  } finally {
    tree.delete();
  }
}

export type { Node as PyNode };
