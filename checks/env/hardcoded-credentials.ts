import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import { ENV_READ_FILES } from '../../src/model/env-reads.js';
import { lineAt, type ProjectModel } from '../../src/model/project.js';
import {
  composeFiles,
  DEPLOY_FILES,
  dockerfiles,
  findTokensInText,
  isDevCompose,
  isDevOnlyPath,
  isEnvFilePath,
  isSecretName,
  isTemplateEnvFile,
  isWeakValue,
  redact,
  stageChain,
  urlCredentials,
  type ComposeFile,
} from '../../src/model/deploy/index.js';

/** Config files where a connection string with a password is a committed credential. */
const CONFIG_GLOBS = [
  '**/*.{ini,cfg,conf,properties,toml}',
  '**/{config,configs,settings,conf,deploy,k8s,kubernetes,helm,charts}/**/*.{yml,yaml,json}',
  '**/{application,appsettings,settings,config}*.{yml,yaml,json}',
  '**/*.{pem,key}',
] as const;

/** Files that are generated or hold hashes, never hand-written credentials. */
const SKIP = /(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|Pipfile\.lock|[^/]*\.min\.js|[^/]*\.map)$/;

const URL_CANDIDATE = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s'"`<>@/]+:[^\s'"`<>@/]+@[^\s'"`<>]+/gi;

/** A literal (no `${...}`) password that is not a placeholder: those belong to env/insecure-default-secret. */
function realLiteral(v: string): boolean {
  const t = v.trim();
  // `/run/secrets/db-password`: a path to a mounted secret, not the secret
  if (/^(\/|\.\/)[^\s]*$/.test(t)) return false;
  return t !== '' && !t.includes('$') && !isWeakValue(t);
}

function composeReports(cf: ComposeFile): Report[] {
  if (isDevOnlyPath(cf.file)) return [];
  const severity: Severity | undefined = isDevCompose(cf) ? 'low' : undefined;
  const out: Report[] = [];
  for (const svc of cf.services) {
    for (const e of svc.environment) {
      if (e.value === undefined) continue;
      const creds = urlCredentials(e.value);
      if (isSecretName(e.name) && realLiteral(e.value)) {
        out.push({
          file: cf.file,
          line: e.line,
          key: `${svc.name}:${e.name}`,
          ...(severity ? { severity } : {}),
          message: `Service \`${svc.name}\` has ${e.name} written into ${cf.file} (\`${redact(e.value)}\`): everyone who can read the repository has it, every environment shares it, and rotating it needs a commit.`,
          fix: `Replace the value with \`${e.name}: \${${e.name}:?${e.name} must be set}\`, put the value in the deploy's secret store (or an untracked .env), and rotate it, since it is in git history.`,
        });
      } else if (creds && realLiteral(creds.password)) {
        out.push({
          file: cf.file,
          line: e.line,
          key: `${svc.name}:${e.name}`,
          ...(severity ? { severity } : {}),
          message: `${e.name} in service \`${svc.name}\` embeds the password of \`${creds.user}\` in ${cf.file}; everyone who can read the repository can connect with it.`,
          fix: `Build the URL from variables: \`${e.name}: postgresql://\${DB_USER:?}:\${DB_PASSWORD:?}@db:5432/\${DB_NAME:?}\` (adapt the scheme) and rotate the password.`,
        });
      }
    }
  }
  return out;
}

function dockerfileReports(model: ProjectModel): Report[] {
  return model.get(dockerfiles).flatMap((df) =>
    isDevOnlyPath(df.file)
      ? []
      : stageChain(df).flatMap((st) =>
          [...st.env, ...st.args].flatMap((v): Report[] =>
            v.value !== undefined && isSecretName(v.name) && realLiteral(v.value)
              ? [
                  {
                    file: df.file,
                    line: v.line,
                    key: `${v.kind}:${v.name}`,
                    message: `\`${v.kind} ${v.name}\` bakes a literal secret (\`${redact(v.value)}\`) into the image: \`docker history\` shows it to anyone who can pull the image, and it is in git history.`,
                    fix: `Delete the value from the Dockerfile, pass ${v.name} at run time from the secret store (or a BuildKit \`--mount=type=secret\` for build-time use), and rotate it.`,
                  },
                ]
              : [],
          ),
        ),
  );
}

/**
 * Why a token finding is medium rather than critical ('' when it is not): an AWS access key id is
 * only half a credential unless the file also holds a secret access key; Google API keys are
 * mostly browser keys restricted by referrer; test and example paths often hold revoked samples.
 */
function weaker(name: string, text: string, dev: boolean): string {
  if (dev) return ' (a test or example path, so medium; still rotate it if it is live)';
  if (name === 'AWS access key id' && !/(secret_?access_?key|SecretAccessKey|aws_secret)["'\s:=]+[A-Za-z0-9/+]{40}\b/i.test(text))
    return ' (an access key id without its secret key in this file, so medium; it still names a live IAM user)';
  if (name === 'Google API key') return ' (Google API keys are often browser keys restricted by referrer, so medium; check its restrictions)';
  return '';
}

/** Well-known token formats anywhere, and credentialed URLs in config files. */
function textReports(model: ProjectModel, files: readonly string[]): Report[] {
  const out: Report[] = [];
  const configs = new Set(CONFIG_GLOBS.flatMap((g) => model.read(g)));
  for (const file of files) {
    if (SKIP.test(file) || (isEnvFilePath(file) && !isTemplateEnvFile(file))) continue; // real .env: env/committed-dotenv
    const text = model.text(file) ?? '';
    const dev = isDevOnlyPath(file);
    for (const t of findTokensInText(text)) {
      const why = weaker(t.name, text, dev);
      out.push({
        file,
        line: lineAt(text, t.index),
        key: `token:${t.name}:${redact(t.match)}`,
        ...(why ? { severity: 'medium' as const } : {}),
        message: `A ${t.name} (\`${redact(t.match)}\`) is committed in ${file}${why}; anyone with read access to the repository or its history can use it.`,
        fix: `Revoke and rotate the ${t.name} now, remove it from ${file}, and read it from an environment variable set in the secret store.`,
        effort: 20,
      });
    }
    if (!configs.has(file) || dev) continue;
    for (const m of text.matchAll(URL_CANDIDATE)) {
      const creds = urlCredentials(m[0]);
      if (!creds || !realLiteral(creds.password)) continue;
      out.push({
        file,
        line: lineAt(text, m.index),
        key: `url:${creds.user}@${m[0].split('@').pop()}`,
        message: `${file} holds a connection string with the password of \`${creds.user}\` (\`${redact(creds.password)}\`); everyone who can read the repository can connect with it.`,
        fix: `Read the URL from an environment variable (e.g. \`sqlalchemy.url\` set from DATABASE_URL in alembic/env.py), keep the value in the secret store, and rotate the password.`,
      });
    }
  }
  return out;
}

const FILES = [...DEPLOY_FILES, ...ENV_READ_FILES, ...CONFIG_GLOBS, '**/*.md'];

export default defineCheck({
  id: 'env/hardcoded-credentials',
  title: 'Credential written into the repository',
  severity: 'critical',
  files: FILES,
  docs:
    'Literal passwords and connection strings with passwords in docker-compose `environment:`, Dockerfile ENV/ARG and ' +
    'config files (`alembic.ini`, `config/*.yml`, `*.toml`), and well-known token formats anywhere (AWS access keys, ' +
    'GitHub and GitLab tokens, Stripe live keys, Slack, Google, OpenAI, Anthropic, SendGrid, npm tokens, private key ' +
    'blocks). A committed credential is readable by everyone with repository access, stays in history, and is shared ' +
    'by every environment. Placeholders (`changeme`, `password`) are left to env/insecure-default-secret; real `.env` ' +
    'files to env/committed-dotenv. Compose files and Dockerfiles named for development or tests are skipped; a compose ' +
    'file whose app runs a dev server or mounts its source is low; tokens under test or example paths are medium.',
  fix: 'Rotate the credential, remove it from the file, and read it from the environment (set in the secret store).',
  effort: 15,
  example: 'services:\n  api:\n    environment:\n      STRIPE_SECRET_KEY: sk_live_51H...',
  run(model) {
    const files = [...new Set(FILES.flatMap((g) => model.read(g)))].sort();
    const structured = [...model.get(composeFiles).flatMap(composeReports), ...dockerfileReports(model)];
    const at = new Set(structured.map((r) => `${r.file}:${r.line}`));
    return [...structured, ...textReports(model, files).filter((r) => !at.has(`${r.file}:${r.line}`))];
  },
});
