import { registerEnvReadSource, type EnvRead } from '../env-reads.js';
import { nodeGraph, nodeRuntime } from './graph.js';

/**
 * Env reads of the code each Node package runs, registered into the cross-language registry.
 * Tests and tool configs are left out: a variable only a test reads is not the deploy's business.
 */
registerEnvReadSource((model): EnvRead[] => {
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
});
