import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { ENV_READ_FILES, envReads, type EnvRead } from '../../src/model/env-reads.js';
import type { ProjectModel } from '../../src/model/project.js';
import {
  composeFiles,
  COMPOSE_GLOBS,
  defaultOf,
  DEPLOY_FILES,
  dockerfiles,
  findInterpolations,
  isDevCompose,
  isDevOnlyPath,
  isSecretName,
  isSigningSecretName,
  isWeakValue,
  loadedEnvTemplates,
  stageChain,
  urlCredentials,
  type ComposeFile,
} from '../../src/model/deploy/index.js';

/** A placeholder for a secret, or an empty signing key. */
function weakFor(name: string, value: string): boolean {
  return isWeakValue(value) || (value.trim() === '' && isSigningSecretName(name));
}

function impact(name: string): string {
  return /PASS|PWD/i.test(name)
    ? 'anyone who can reach that service can log in with a password published in this repository'
    : 'the app signs or encrypts with a publicly known value, so anyone can forge its sessions and tokens';
}

const show = (v: string) => (v === '' ? 'an empty string' : `\`${v}\``);

function requiredFix(name: string): string {
  return (
    `Make the variable required instead of defaulting it: \`${name}: \${${name}:?${name} must be set}\`, ` +
    `and set a generated value (\`openssl rand -hex 32\`) in the deploy environment or secret store.`
  );
}

/** Compose: `${VAR:-placeholder}`, weak literals, and credentialed URLs with weak passwords. */
function composeReports(cf: ComposeFile): Report[] {
  if (isDevOnlyPath(cf.file)) return [];
  const severity: Severity | undefined = isDevCompose(cf) ? 'low' : undefined;
  const devNote = severity ? ' (this compose file looks like a local development setup, so this is low)' : '';
  const out: Report[] = [];
  const seen = new Set<string>();
  const push = (r: Report) => {
    if (seen.has(r.key)) return;
    seen.add(r.key);
    out.push(severity ? { ...r, severity } : r);
  };
  for (const svc of cf.services) {
    for (const e of svc.environment) {
      const value = e.value;
      if (value === undefined) continue;
      let reported = false;
      for (const i of e.interpolations) {
        const d = defaultOf(i);
        if (d === undefined || !(isSecretName(i.name) || isSecretName(e.name)) || !weakFor(i.name, d)) continue;
        reported = true;
        push({
          file: cf.file,
          line: e.line,
          key: `default:${i.name}`,
          message: `\`${i.raw}\` in service \`${svc.name}\` gives ${i.name} ${show(d)} whenever the deploy does not set it; compose starts without complaint and ${impact(i.name)}${devNote}.`,
          fix: requiredFix(i.name),
        });
      }
      if (!value.includes('$') && isSecretName(e.name) && weakFor(e.name, value)) {
        push({
          file: cf.file,
          line: e.line,
          key: `literal:${svc.name}:${e.name}`,
          message: `Service \`${svc.name}\` sets ${e.name} to the placeholder ${show(value)} in ${cf.file}; every deploy of this file runs with it and ${impact(e.name)}${devNote}.`,
          fix: requiredFix(e.name),
        });
      }
      const expanded = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]*)\}/g, '$2');
      const creds = urlCredentials(expanded);
      if (creds && !reported && isWeakValue(creds.password) && !isSecretName(e.name)) {
        push({
          file: cf.file,
          line: e.line,
          key: `url:${svc.name}:${e.name}`,
          message: `${e.name} in service \`${svc.name}\` connects as \`${creds.user}\` with the password \`${creds.password}\` unless the deploy overrides it; ${impact('PASSWORD')}${devNote}.`,
          fix: `Build the URL from required variables: \`${e.name}: postgresql://\${DB_USER:?}:\${DB_PASSWORD:?}@db:5432/\${DB_NAME:?}\` (adapt the scheme), and keep the password in the secret store.`,
        });
      }
    }
  }
  // Defaults elsewhere in the file (db service passwords in `command`, healthchecks, build args).
  for (const i of cf.interpolations) {
    const d = defaultOf(i);
    if (d === undefined || !isSecretName(i.name) || !weakFor(i.name, d)) continue;
    push({
      file: cf.file,
      line: i.line,
      key: `default:${i.name}`,
      message: `\`${i.raw}\` in ${cf.file} gives ${i.name} ${show(d)} whenever the deploy does not set it, and ${impact(i.name)}${devNote}.`,
      fix: requiredFix(i.name),
    });
  }
  return out;
}

function dockerfileReports(model: ProjectModel): Report[] {
  return model.get(dockerfiles).flatMap((df) => {
    if (isDevOnlyPath(df.file)) return [];
    return stageChain(df).flatMap((st) =>
      [...st.env, ...st.args].flatMap((v): Report[] => {
        if (v.value === undefined || !isSecretName(v.name)) return [];
        const d = findInterpolations(v.value).map(defaultOf).find((x) => x !== undefined) ?? v.value;
        if (!weakFor(v.name, d)) return [];
        return [
          {
            file: df.file,
            line: v.line,
            key: `${v.kind}:${v.name}`,
            message: `\`${v.kind} ${v.name}=${v.value}\` bakes the placeholder ${show(d)} into the image: any container started without ${v.name} runs with it, and ${impact(v.name)}.`,
            fix: `Delete the ${v.kind} default (\`${v.kind} ${v.name}\` with no value, or drop the line) and pass ${v.name} at run time from the platform's secret store; have the app refuse to start without it.`,
          },
        ];
      }),
    );
  });
}

function templateReports(model: ProjectModel): Report[] {
  const out: Report[] = [];
  const seen = new Set<string>();
  for (const l of model.get(loadedEnvTemplates)) {
    for (const e of l.template.entries) {
      if (!isSecretName(e.name) || !weakFor(e.name, e.value) || seen.has(l.template.file + e.name)) continue;
      seen.add(l.template.file + e.name);
      const how = l.how === 'env_file' ? `\`env_file: ${l.template.file}\`` : `the copy of it into a real env file`;
      out.push({
        file: l.template.file,
        line: e.line,
        key: `template:${e.name}`,
        message: `${e.name}=${e.value || '(empty)'} in ${l.template.file} is a placeholder meant for a human, but the deploy loads this file (${how} at ${l.file}:${l.line}), so it becomes the running value and ${impact(e.name)}.`,
        fix: `Stop loading the example at ${l.file}:${l.line}: use \`env_file: .env\` (untracked) or the platform's environment, and set ${e.name} to a generated value (\`openssl rand -hex 32\`).`,
      });
    }
  }
  return out;
}

function codeReports(model: ProjectModel): Report[] {
  let reads: EnvRead[];
  try {
    reads = model.get(envReads);
  } catch (err) {
    // A language extractor that fails on hostile input must not take the compose/Dockerfile findings with it.
    model.parseNotice('', `env/insecure-default-secret: code defaults skipped, env reads failed: ${(err as Error).message}`);
    return [];
  }
  return reads.flatMap((r): Report[] => {
    // An empty code default is usually checked later (`if not SECRET_KEY: raise`); only placeholders count.
    if (!r.hasDefault || r.defaultValue === undefined || !isSecretName(r.name) || !isWeakValue(r.defaultValue)) return [];
    if (isDevOnlyPath(r.file) || /(^|\/)(tests?|conftest)[/._]/.test(r.file)) return [];
    const guard = r.guarded ? ' The code refuses this value outside development, so this is low.' : '';
    return [
      {
        file: r.file,
        line: r.line,
        key: `code:${r.name}`,
        ...(r.guarded ? { severity: 'low' as const } : {}),
        message: `${r.via} gives ${r.name} the default ${show(r.defaultValue)}: a deploy that forgets to set ${r.name} starts normally and ${impact(r.name)}.${guard}`,
        fix: `Remove the default so startup fails when ${r.name} is missing (a required setting), and set a generated value (\`openssl rand -hex 32\`) in the deploy environment.`,
      },
    ];
  });
}

export default defineCheck({
  id: 'env/insecure-default-secret',
  title: 'Secret with a placeholder default that takes effect in deploys',
  severity: 'critical',
  files: [...DEPLOY_FILES, ...COMPOSE_GLOBS, ...ENV_READ_FILES],
  docs:
    'A secret-like setting (SECRET, KEY, TOKEN, PASSWORD, a URL with a password) whose value takes effect when nobody ' +
    'configures it and is a well-known placeholder or weak value (`changeme`, `change-this-secret-key-in-production`, ' +
    '`secret`, `password`, an empty signing key). Sources: code defaults (`os.getenv("SECRET_KEY", "changeme")`), ' +
    'docker-compose `environment:` literals and `${VAR:-default}`, Dockerfile ENV/ARG, and an example env file that the ' +
    'deploy itself loads (`env_file: .env.example`, `cp .env.example .env` in a start script or Dockerfile). The app ' +
    'starts normally, so nothing tells the team that production signs tokens with a published key. ' +
    'A placeholder in `.env.example` that a human is meant to replace is normal and is not reported. ' +
    'Precision: compose files and Dockerfiles named for development or tests (`docker-compose.dev.yml`, `*test*`, ' +
    '`*local*`, `*.override.yml`, CI folders) are skipped (a `POSTGRES_PASSWORD: postgres` there is fine); a compose ' +
    'file whose app runs a dev server or mounts its own source tree is reported as low; a code default the code refuses ' +
    'outside development (a validator that raises) is low.',
  fix: 'Remove the default so the deploy fails when the secret is missing (`${SECRET_KEY:?must be set}` in compose, no default in code), and set a generated value in the secret store.',
  effort: 10,
  example: 'services:\n  api:\n    environment:\n      SECRET_KEY: ${SECRET_KEY:-changeme}',
  run(model) {
    return [
      ...model.get(composeFiles).flatMap(composeReports),
      ...dockerfileReports(model),
      ...templateReports(model),
      ...codeReports(model),
    ];
  },
});
