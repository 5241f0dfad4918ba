import { registerEnvReadSource, type EnvRead } from '../env-reads.js';
import type { ProjectModel } from '../project.js';
import { nodeGraph, nodeRuntime } from './graph.js';

/**
 * Env reads of the code each Node package runs, registered into the cross-language registry.
 * Tests and tool configs are left out: a variable only a test reads is not the deploy's business.
 * Other languages' rules read this registry, so a failure here becomes a notice, never a crash
 * of their check.
 */
registerEnvReadSource((model: ProjectModel): EnvRead[] => {
  try {
    return nodeEnvReads(model);
  } catch (err) {
    model.notices.push({ kind: 'internal', message: `Node env reads skipped: ${(err as Error).message}` });
    return [];
  }
});

function nodeEnvReads(model: ProjectModel): EnvRead[] {
  const graph = model.get(nodeGraph);
  const runtime = model.get(nodeRuntime);
  const out: EnvRead[] = [];
  for (const [file, facts] of graph.program.files) {
    const pkg = graph.packageOf(file);
    if (!pkg || !runtime.get(pkg.dir)?.files.has(file)) continue;
    for (const e of facts.env) {
      out.push({
        name: e.name,
        file,
        line: e.line,
        hasDefault: e.hasDefault,
        ...(e.defaultValue !== undefined ? { defaultValue: e.defaultValue } : {}),
        language: 'node',
        via: e.via,
        root: pkg.dir,
      });
    }
  }
  return out;
}
