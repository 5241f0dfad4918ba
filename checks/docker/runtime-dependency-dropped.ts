import { defineCheck, type Report } from '../../src/engine/check.js';
import type { ProjectModel } from '../../src/model/project.js';
import { joinPath, type SimpleCommand } from '../../src/model/shell.js';
import {
  composeFiles,
  deployServices,
  DEPLOY_FILES,
  expandStart,
  gitIgnores,
  GITIGNORE_GLOBS,
  isDevCompose,
  isGitIgnored,
  packageJsons,
  PACKAGE_JSON_GLOBS,
  stageChain,
  type DeployService,
  type Dockerfile,
  type DockerStage,
  type PackageJson,
} from '../../src/model/deploy/index.js';

/** Binaries whose package has another name. */
const BIN_PACKAGE: Record<string, string> = {
  tsc: 'typescript', nest: '@nestjs/cli', 'babel-node': '@babel/node', tsnd: 'ts-node-dev', sequelize: 'sequelize-cli',
  'ts-node-esm': 'ts-node', 'ts-node-transpile-only': 'ts-node',
};
const BUILD_DIRS = ['dist', 'build', 'out', 'lib', '.next'];
const BUILD_COMMAND = /\b(npm run build|npm run-script build|yarn (run )?build|pnpm (run )?build|bun run build|tsc|nest build|next build|vite build|babel|esbuild|swc|webpack|rollup|tsup)\b/;

/** True when an install in this stage chain leaves devDependencies out. */
function omitsDev(df: Dockerfile, stage: DockerStage): { line: number; text: string } | undefined {
  let nodeEnvProd = false;
  for (const s of stageChain(df, stage)) {
    if (s.env.some((e) => e.name === 'NODE_ENV' && e.value === 'production')) nodeEnvProd = true;
    for (const r of s.runs) {
      for (const c of r.commands) {
        const a = c.argv;
        const install = (a[0] === 'npm' && (a[1] === 'ci' || a[1] === 'install' || a[1] === 'i')) || (a[0] === 'yarn' && (a.length === 1 || a[1] === 'install')) || (a[0] === 'pnpm' && (a[1] === 'install' || a[1] === 'i'));
        if (!install) continue;
        const flags = a.join(' ');
        if (/--omit[= ]dev|--only[= ]prod|--production\b|--prod\b|(^| )-P\b/.test(flags) || nodeEnvProd || c.env.NODE_ENV === 'production') return { line: r.line, text: r.text };
      }
    }
    // `COPY --from=deps /app/node_modules ./node_modules` inherits what the deps stage installed.
    for (const c of s.copies) {
      if (!c.from || !c.sources.some((x) => x.includes('node_modules'))) continue;
      const from = df.stages.find((x) => x.name === c.from!.toLowerCase());
      const hit = from && from !== stage ? omitsDev(df, from) : undefined;
      if (hit) return hit;
    }
  }
  return undefined;
}

/** True when the final image gets a build output: built in the chain, or copied from a stage that builds. */
function builds(df: Dockerfile, stage: DockerStage, dir: string): boolean {
  const ran = (s: DockerStage) => stageChain(df, s).some((x) => x.runs.some((r) => BUILD_COMMAND.test(r.text)));
  if (ran(stage)) return true;
  return stageChain(df, stage).some((s) =>
    s.copies.some((c) => {
      if (!c.from) return c.sources.some((x) => x.replace(/^\.\//, '').startsWith(dir));
      const from = df.stages.find((x) => x.name === c.from!.toLowerCase() || String(x.index) === c.from);
      return !!from && ran(from);
    }),
  );
}

/** The package a command needs at run time: its binary, or a `-r ts-node/register` preload. */
function neededPackages(c: SimpleCommand): string[] {
  let a = c.argv;
  if (a[0] === 'npx' || (a[0] === 'pnpm' && a[1] === 'exec') || (a[0] === 'yarn' && a[1] === 'exec')) a = a.slice(a[0] === 'npx' ? 1 : 2).filter((x) => !x.startsWith('-'));
  const bin = (a[0] ?? '').replace(/^\.\/node_modules\/\.bin\//, '');
  const out = [BIN_PACKAGE[bin] ?? bin];
  a.forEach((x, i) => {
    if (['-r', '--require', '--loader', '--import', '--experimental-loader'].includes(x) && a[i + 1]) {
      const m = a[i + 1]!;
      out.push(m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0]!);
    }
  });
  return out;
}

function check(model: ProjectModel, s: DeployService, pkg: PackageJson): Report[] {
  const df = s.dockerfile!;
  const final = df.final!;
  const at = s.startAt ?? { file: df.file, line: final.line, text: '' };
  const steps = expandStart(model, { file: at.file, line: at.line, dockerfile: df, context: s.context ?? df.dir, baseDir: df.dir }, s.start);
  const out: Report[] = [];
  const omit = omitsDev(df, final);
  if (omit) {
    for (const st of steps) {
      const dev = neededPackages(st).find((p) => pkg.devDependencies.has(p) && !pkg.dependencies.has(p));
      if (!dev) continue;
      out.push({
        file: df.file,
        line: omit.line,
        key: `devdep:${dev}`,
        message: `\`${omit.text}\` installs without devDependencies, but the start path (${at.file}:${at.line}) runs \`${st.argv.join(' ')}\`${st.file !== at.file ? ` (${st.file})` : ''}, which needs \`${dev}\`, a devDependency in ${pkg.file}; the container exits with "${st.argv[0] === 'npx' ? dev : st.argv[0]}: not found".`,
        fix: `Move \`${dev}\` from devDependencies to dependencies in ${pkg.file} (\`npm install --save ${dev}\`), or compile in a build stage and start the output with \`node\`.`,
      });
      break;
    }
  }
  for (const st of steps) {
    if (st.argv[0] !== 'node') continue;
    const file = st.argv.slice(1).find((x) => !x.startsWith('-'));
    const dir = file?.replace(/^\.\//, '').split('/')[0];
    if (!file || !dir || !BUILD_DIRS.includes(dir) || builds(df, final, dir)) continue;
    if (model.dirExists(joinPath(s.context ?? df.dir, dir))) continue; // committed build output
    if (isGitIgnored(joinPath(s.context ?? df.dir, dir), model.get(gitIgnores)) && final.copies.some((c) => !c.from && c.sources.includes('.'))) {
      // a CI job may build dist/ before `docker build` and `COPY . .` picks it up; too uncertain to report
      continue;
    }
    out.push({
      file: at.file,
      line: at.line,
      key: `output:${dir}`,
      message: `The start path runs \`node ${file}\`, but no stage of ${df.file} builds \`${dir}/\` (no build command, no COPY --from a stage that builds) and the repository does not ship it, so the container exits with "Cannot find module".`,
      fix: `Build before the image starts: add \`RUN npm run build\` after the sources are copied (or a build stage and \`COPY --from=build /app/${dir} ./${dir}\`).`,
    });
    break;
  }
  return out;
}

export default defineCheck({
  id: 'docker/runtime-dependency-dropped',
  title: 'Image drops what its start command needs',
  severity: 'critical',
  files: [...DEPLOY_FILES, ...PACKAGE_JSON_GLOBS, ...GITIGNORE_GLOBS],
  docs:
    'A Node image installs without devDependencies (`npm ci --omit=dev` (npm 7+), the older `--only=production` / ' +
    '`--production`, ' +
    '`yarn install --production`, `pnpm install --prod`, or `NODE_ENV=production` before `npm ci`, also through ' +
    '`COPY --from=deps .../node_modules`) while its start path, scripts and npm scripts followed, runs a tool that is ' +
    'only a devDependency (`ts-node`, `nest`, `prisma`, `tsc`, `-r ts-node/register`): the container exits with "not ' +
    'found". Also: the start path runs `node dist/...` (or build/, out/, lib/) but no stage builds that directory and ' +
    'no COPY brings it, so the container exits with "Cannot find module".',
  fix: 'Move the runtime tool to dependencies, or build in a stage and start the compiled output with node.',
  effort: 15,
  example: 'RUN npm ci --omit=dev\nCMD ["npx", "ts-node", "src/index.ts"]   # ts-node is a devDependency',
  run(model) {
    const pkgs = model.get(packageJsons);
    const devCompose = new Set(model.get(composeFiles).filter(isDevCompose).map((c) => c.file));
    const seen = new Set<string>();
    return model.get(deployServices).flatMap((s) => {
      if (!s.dockerfile?.final || s.devOnly || devCompose.has(s.file) || s.start.length === 0) return [];
      const key = `${s.startAt?.file}:${s.startAt?.line}`;
      const pkg = pkgs.get(s.context ?? s.dockerfile.dir) ?? pkgs.get(s.dockerfile.dir);
      if (seen.has(key) || !pkg) return [];
      seen.add(key);
      return check(model, s, pkg);
    });
  },
});
