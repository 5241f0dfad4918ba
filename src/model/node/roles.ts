/** What a source file is for, judged from its path: tests and tooling never run in the server. */

const TEST_DIR = /(^|\/)(__tests__|__mocks__|tests?|spec|specs|e2e|cypress|playwright|__fixtures__|fixtures|stories|\.storybook|test-utils|testing|[\w-]+[-_](tests?|specs?))\//i;
const TEST_FILE = /\.(test|spec|e2e|e2e-spec|stories|story|bench|cy)\.[cm]?[jt]sx?$/i;
/** Folders of developer tooling, and of scaffolding templates: code written for other projects. */
const TOOL_DIR = /(^|\/)(scripts|tools|tooling|docs|examples?|benchmarks?|seeds?|seeders|templates|scaffolds?|blueprints)\//i;
const TOOL_FILE = /(^|\/)([^/]+\.config|\.[^/]+rc|jest|vitest|vite|webpack|rollup|babel|eslint|prettier|tailwind|postcss|karma|gulpfile|gruntfile|tsup|esbuild|commitlint|lint-staged|nodemon|ecosystem|knexfile|ormconfig|drizzle|setup-tests|global-setup|global-teardown)[^/]*\.[cm]?[jt]sx?$/i;

/** Test code: test folders, `*.test.ts`, `*.spec.ts`, stories. */
export function isTestFile(p: string): boolean {
  return TEST_DIR.test(p) || TEST_FILE.test(p);
}

/** Build and tool configuration, scripts folders, seeds: run by developers or CLIs, not by the server. */
export function isToolingFile(p: string): boolean {
  return TOOL_DIR.test(p) || TOOL_FILE.test(p) || /\.d\.[cm]?ts$/.test(p);
}
