import { loadPythonParser, withPythonTree } from '../../../src/model/python/parse.js';
import type { PyExtractor } from '../../../src/model/python/files.js';

/** Runs one extractor over an inline source (parser loaded once per test file). */
export async function extract<T>(e: PyExtractor<T>, source: string, path = 'm.py'): Promise<T> {
  await loadPythonParser();
  return withPythonTree(source, (root) => e.extract(root, { path, source }));
}
