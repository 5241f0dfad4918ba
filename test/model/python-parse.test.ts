import { loadPythonParser, withPythonTree } from '../../src/model/python/parse.js';

test('tree-sitter-python loads from its shipped wasm and parses', async () => {
  await loadPythonParser();
  const kinds = withPythonTree('import os\nfrom a.b import c as d\n', (root) => root.namedChildren.map((n) => n?.type));
  expect(kinds).toEqual(['import_statement', 'import_from_statement']);
});
