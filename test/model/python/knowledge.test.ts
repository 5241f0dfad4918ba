import { apiRemovals, parseKnowledgeBase } from '../../../src/model/python/knowledge.js';

test('every knowledge base entry is well formed and cites a version', () => {
  const { entries, problems } = apiRemovals();
  expect(problems).toEqual([]);
  expect(entries.length).toBeGreaterThanOrEqual(15);
  for (const e of entries) {
    // the changelog names the release (a version number) that made the change
    expect(e.changelog).toMatch(/\d+\.\d+/);
    expect(e.breaks.length).toBeGreaterThan(30);
  }
  const packages = new Set(entries.map((e) => e.package));
  for (const p of ['pydantic', 'passlib', 'sqlalchemy', 'flask', 'werkzeug', 'starlette', 'celery', 'django', 'numpy', 'httpx', 'urllib3', 'python']) {
    expect(packages).toContain(p);
  }
});

test('malformed entries are reported, not loaded', () => {
  const r = parseKnowledgeBase('- id: a\n  package: x\n  versions: ">=nope"\n  uses: [{import: x.y}]\n  breaks: b\n  fix: f\n  changelog: c 1.0\n- id: b\n');
  expect(r.entries).toEqual([]);
  expect(r.problems).toHaveLength(2);
});
