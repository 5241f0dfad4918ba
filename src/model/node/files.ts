import { Project, ts } from 'ts-morph';
import { defineFacts } from '../project.js';
import { extractFile } from './extract.js';
import { nodePackages, packageOf, type NodePackage } from './packages.js';
import { isTestFile, isToolingFile } from './roles.js';
import type { NodeFileFacts } from './types.js';

/** The JS/TS sources the node model parses. */
export const NODE_SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';

/**
 * Bounds for huge or hostile repositories. Past them the model is marked partial: rules that
 * need the whole program (an unmounted router, an unreferenced file) stay silent rather than
 * guess from half of it.
 */
export const NODE_MODEL_LIMITS = {
  maxFiles: 25_000,
  maxTotalBytes: 80 * 1024 * 1024,
  /** Parsing stops after this long; the engine bounds a whole check at 20 s. */
  timeBudgetMs: 12_000,
  /** A file longer than this with very long lines is minified or generated: not parsed. */
  minifiedBytes: 100 * 1024,
} as const;

/** Folders that hold build output, bundles or coverage reports, never sources to judge. */
const OUTPUT_DIRS = new Set(['dist', 'build', 'out', 'coverage', '.output', 'public', 'static', 'www', 'bundle', '.serverless', '.vercel', '.netlify', '.docusaurus', 'storybook-static']);

export interface NodeProgram {
  /** Facts per parsed file. */
  files: Map<string, NodeFileFacts>;
  /** True when a bound stopped the parse early. */
  partial: boolean;
  parsedBytes: number;
  ms: number;
}

/** True for paths the model parses (sources of a non-frontend package, not build output). */
export function isModelledSource(path: string): boolean {
  if (/\.(min|bundle)\.[cm]?js$/.test(path)) return false;
  const segs = path.split('/');
  return !segs.slice(0, -1).some((s) => OUTPUT_DIRS.has(s));
}

/**
 * Every JS/TS file of every backend package parsed once with ts-morph (syntax only, no type
 * check, in-memory file system holding only what the scan read). Each file's tree is dropped right
 * after its facts are extracted, so memory stays flat on large repositories.
 */
export const nodeProgram = defineFacts('node-program', (model): NodeProgram => {
  const started = performance.now();
  const packages = model.get(nodePackages);
  const files = new Map<string, NodeFileFacts>();
  const out: NodeProgram = { files, partial: false, parsedBytes: 0, ms: 0 };
  if (packages.length === 0) return out;
  // Made on the first file the fact cache does not answer: a warm scan may parse nothing.
  let project: Project | undefined;
  const parse = (path: string, text: string, options: ExtractOptions): NodeFileFacts => {
    project ??= new Project({
      useInMemoryFileSystem: true,
      skipLoadingLibFiles: true,
      skipFileDependencyResolution: true,
      compilerOptions: { allowJs: true, noResolve: true },
    });
    const sf = project.createSourceFile(`/${path}`, text, { overwrite: true, scriptKind: scriptKindOf(path) });
    try {
      return extractFile(sf.compilerNode, path, options);
    } finally {
      project.removeSourceFile(sf);
    }
  };
  // Tests are never judged, so never parsed; services go first and tool files last, so that a
  // time bound cuts what matters least.
  const rank = (p: string): number => {
    const pkg = packageOf(packages, p);
    return (pkg?.kind === 'service' ? 0 : 2) + (isToolingFile(p) ? 1 : 0);
  };
  const paths = model
    .read(NODE_SOURCE_GLOB)
    .filter((p) => !isTestFile(p))
    .map((p) => ({ p, r: rank(p) }))
    .sort((a, b) => a.r - b.r || (a.p < b.p ? -1 : 1))
    .map((x) => x.p);
  for (const path of paths) {
    const pkg = packageOf(packages, path);
    if (!pkg || pkg.kind === 'frontend' || !isModelledSource(path)) continue;
    const text = model.text(path);
    if (text === undefined) continue;
    if (text.length > NODE_MODEL_LIMITS.minifiedBytes && looksMinified(text)) continue;
    if (
      files.size >= NODE_MODEL_LIMITS.maxFiles ||
      out.parsedBytes + text.length > NODE_MODEL_LIMITS.maxTotalBytes ||
      performance.now() - started > NODE_MODEL_LIMITS.timeBudgetMs
    ) {
      out.partial = true;
      model.parseNotice(path, `node model stopped after ${files.size} files (size or time bound); whole-program rules were skipped`);
      break;
    }
    out.parsedBytes += text.length;
    try {
      const options = optionsFor(path, pkg);
      // The facts are a function of the path, the text and these options alone.
      const facts = model.perFile('node', path, JSON.stringify(options), text, () => parse(path, text, options));
      files.set(path, facts);
      if (facts.syntaxErrorLine !== undefined) {
        model.parseNotice(path, `syntax error near line ${facts.syntaxErrorLine}; facts from this file are best effort`);
      }
    } catch (err) {
      model.parseNotice(path, `could not analyse: ${(err as Error).message}`);
    }
  }
  out.ms = performance.now() - started;
  return out;
});

type ExtractOptions = Parameters<typeof extractFile>[2];

function optionsFor(path: string, pkg: NodePackage): ExtractOptions {
  return {
    typescript: /\.[cm]?tsx?$/.test(path),
    declaration: /\.d\.[cm]?ts$/.test(path),
    decoratorMetadata: pkg.tsconfig?.emitDecoratorMetadata ?? false,
  };
}

function scriptKindOf(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(path)) return ts.ScriptKind.TS;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Few, very long lines: a bundle or minified file. */
function looksMinified(text: string): boolean {
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return text.length / lines > 300;
}
