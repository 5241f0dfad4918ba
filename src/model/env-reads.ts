import { defineFacts, type ProjectModel } from './project.js';

/**
 * An environment variable the code reads, from any language: `os.getenv("X", "d")`, a pydantic
 * BaseSettings field, `process.env.X ?? "d"`, an envalid/zod schema entry...
 */
export interface EnvRead {
  /** The variable name as the process environment must spell it (prefix and alias applied). */
  name: string;
  file: string;
  line: number;
  /** True when the code supplies a fallback, so the app starts without the variable. */
  hasDefault: boolean;
  /** The literal fallback, when it is a literal. */
  defaultValue?: string;
  language: 'python' | 'node';
  /** How it is read, for messages: `os.getenv`, `Settings.jwt_secret`, `process.env`. */
  via: string;
  /**
   * The directory of the package or service root the file belongs to (repo-relative, '' for the
   * root), so deploy rules can tell which service's code reads it.
   */
  root: string;
  /**
   * True when the code refuses the default outside development (a validator that raises on the
   * placeholder), which lowers insecure-default findings.
   */
  guarded?: boolean;
}

type EnvReadSource = (model: ProjectModel) => EnvRead[];
const sources: EnvReadSource[] = [];

/** Language extractors register here at module load; `envReads` merges them. */
export function registerEnvReadSource(source: EnvReadSource): void {
  sources.push(source);
}

/** Every env read in the project, across languages, sorted by file and line. */
export const envReads = defineFacts('env-reads', (model) =>
  sources
    .flatMap((s) => s(model))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
);

/** Globs of the source files env reads come from (checks that use envReads must declare them). */
export const ENV_READ_FILES = ['**/*.py', '**/*.{ts,tsx,js,mjs,cjs,mts,cts}'] as const;
