import { defineCheck, type Report } from '../../src/engine/check.js';
import {
  NODE_DEPLOY_FILES,
  NODE_MODEL_FILES,
  composeServicesFor,
  dockerfilesFor,
  expandScript,
  nodeTarget,
  platformsFor,
  deployEnvFor,
  envTemplatesFor,
  nodeGraph,
  nodeRuntime,
  type EnvReadRecord,
  type NodePackage,
} from '../../src/model/node/index.js';
import type { ProjectModel } from '../../src/model/project.js';

/** Variables the runtime, the platform or the tooling sets; nobody documents these. */
const PROVIDED = new Set([
  'NODE_ENV', 'PORT', 'HOME', 'PATH', 'PWD', 'USER', 'HOSTNAME', 'TZ', 'LANG', 'CI', 'DEBUG', 'NODE_OPTIONS', 'NODE_DEBUG',
  'NODE_EXTRA_CA_CERTS', 'TERM', 'SHELL', 'TMPDIR', 'INIT_CWD', 'FORCE_COLOR', 'NO_COLOR', 'DYNO', 'K_SERVICE', 'K_REVISION',
  'K_CONFIGURATION', 'JEST_WORKER_ID', 'VITEST', 'npm_package_version', 'npm_package_name', 'npm_lifecycle_event',
  'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'SOURCE_VERSION', 'APP_ENGINE', 'GAE_SERVICE',
]);
const PROVIDED_PREFIX = /^(npm_|VERCEL|RAILWAY_|RENDER|FLY_|HEROKU_|AWS_LAMBDA_|GITHUB_|RUNNER_|KUBERNETES_|VITEST_|NETLIFY|CF_PAGES|GOOGLE_CLOUD_)/;

export default defineCheck({
  id: 'node/env-not-documented',
  title: 'Environment variable the code reads that no template or deploy file defines',
  severity: 'high',
  files: [...NODE_MODEL_FILES, ...NODE_DEPLOY_FILES],
  docs:
    'The server code (files reachable from its start entry) reads an environment variable — `process.env.X`, destructuring ' +
    'from process.env, envalid `cleanEnv`, a zod or Joi env schema, `ConfigService.get` of @nestjs/config — that no ' +
    'env template (`.env.example`, `.env.sample`...) in the package or above it lists and no deploy file sets (Dockerfile ' +
    'ENV/ARG, Procfile, app.json, render.yaml, fly.toml). Whoever deploys has no way to know it is needed. Only packages ' +
    'something runs as a process (a start script that runs a node file, or a deploy file in the package) are judged; a ' +
    'library of a monorepo is not judged on its own. Critical when ' +
    'no read has a default (the app starts with `undefined`, or an env schema refuses to start), high when a default hides ' +
    'it. One report per variable, at its first read. Packages a compose service builds are left to compose/env-not-passed, ' +
    'which reports the variables that service never receives, so a variable is reported once. Variables the runtime or ' +
    'platform sets (NODE_ENV, PORT, HOSTNAME, DYNO, RAILWAY_*, ...) are not reported.',
  fix: 'Add the variable to the env template (`NAME=` with a comment saying what it is for), and set it in the deploy environment.',
  effort: 5,
  example: "const secret = process.env.JWT_SECRET;   // .env.example lists only DATABASE_URL",
  run(model) {
    const graph = model.get(nodeGraph);
    const runtime = model.get(nodeRuntime);
    const out: Report[] = [];
    for (const pkg of graph.packages) {
      // Libraries are judged through the services that run them; a package is a service when
      // something starts it (a start script, or a deploy file in its folder).
      if (pkg.kind === 'frontend' || !isDeployable(model, pkg) || composeServicesFor(model, pkg).length > 0) continue;
      const files = [...(runtime.get(pkg.dir)?.files ?? [])].sort();
      const reads = new Map<string, { file: string; read: EnvReadRecord }[]>();
      for (const f of files) {
        for (const e of graph.program.files.get(f)?.env ?? []) {
          if (PROVIDED.has(e.name) || PROVIDED_PREFIX.test(e.name)) continue;
          let l = reads.get(e.name);
          if (!l) reads.set(e.name, (l = []));
          l.push({ file: f, read: e });
        }
      }
      if (reads.size === 0) continue;
      const templates = envTemplatesFor(model, pkg, graph.packages);
      const deployed = deployEnvFor(model, pkg);
      const template = [...templates.values()].find((v) => v.template)?.file;
      for (const [name, sites] of reads) {
        if (templates.has(name) || deployed.has(name)) continue;
        out.push(report(pkg, name, sites, template));
      }
    }
    return out;
  },
});

/**
 * Something runs this package as a process: its start script runs a node file or `nest start`
 * (not `tsc -w` or a bundler watch, as libraries' start scripts do), or its own folder holds a
 * Dockerfile or platform file.
 */
function isDeployable(model: ProjectModel, pkg: NodePackage): boolean {
  const own = (file: string): boolean => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '') === pkg.dir;
  const runs = expandScript(pkg, 'start').some((s) => nodeTarget(s) !== undefined || (s.argv[0] === 'nest' && s.argv[1] === 'start'));
  return runs || dockerfilesFor(model, pkg).some((d) => own(d.file)) || platformsFor(model, pkg).some((p) => own(p.file));
}

function report(pkg: NodePackage, name: string, sites: { file: string; read: EnvReadRecord }[], template: string | undefined): Report {
  const first = sites[0]!;
  const withDefault = sites.find((s) => s.read.hasDefault);
  const more = sites.length - 1;
  const target = template ?? `${pkg.dir ? pkg.dir + '/' : ''}.env.example`;
  const consequence = withDefault?.read.optional && withDefault.read.defaultValue === undefined
    ? `the code that uses it (${withDefault.file}:${withDefault.read.line}) is silently skipped in production`
    : withDefault
    ? `the app falls back to ${withDefault.read.defaultValue !== undefined ? `\`${withDefault.read.defaultValue}\`` : 'its default'} (${withDefault.file}:${withDefault.read.line}) in production without anyone deciding so`
    : first.read.via.startsWith('envalid') || first.read.via.includes('schema') || first.read.via.includes('createEnv') || first.read.via.endsWith('getOrThrow')
      ? 'the env validation refuses to start the app until someone finds out and sets it'
      : 'the app runs with `undefined` there';
  return {
    file: first.file,
    line: first.read.line,
    key: name,
    severity: withDefault ? 'high' : 'critical',
    message:
      `\`${name}\` is read at ${first.file}:${first.read.line} (${first.read.via})${more > 0 ? ` and in ${more} more place${more > 1 ? 's' : ''}` : ''}, ` +
      `but ${template ? `${template} does not list it` : `${pkg.dir || 'the repository'} has no .env.example`} and no deploy file sets it: ` +
      `whoever deploys does not know it is needed, and ${consequence}.`,
    fix: `Add \`${name}=\` to ${target}${template ? '' : ' (create it)'} with a comment on what it is for, and set ${name} in the deploy environment.`,
  };
}
