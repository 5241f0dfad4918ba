import { defineCheck, type Report } from '../../src/engine/check.js';
import {
  baseOf,
  envFiles,
  ENV_FILE_GLOBS,
  findTokens,
  isDevOnlyPath,
  isSecretName,
  isWeakValue,
  looksRandomSecret,
  urlCredentials,
  type EnvFile,
  type EnvFileEntry,
} from '../../src/model/deploy/index.js';

/** Why an entry looks like a real secret, or undefined. */
function realSecret(e: EnvFileEntry): string | undefined {
  const token = findTokens(e.value)[0];
  if (token) return token.name;
  const creds = urlCredentials(e.value);
  // `${POSTGRES_PASSWORD}` inside the URL is a reference, expanded by whoever loads the file
  if (creds && creds.password.length >= 8 && !creds.password.includes('$') && !isWeakValue(creds.password)) return 'connection string with a password';
  if (isSecretName(e.name) && looksRandomSecret(e.value)) return 'high-entropy value';
  return undefined;
}

/**
 * `.env.development` / `.env.test` are committed on purpose in many frameworks (Vite, Next.js);
 * `.env.local` and `.env.*.local` are the personal-secret files and never are.
 */
function committedOnPurpose(f: EnvFile): boolean {
  return isDevOnlyPath(f.file) && !/\.local$/.test(baseOf(f.file));
}

function report(f: EnvFile): Report[] {
  if (f.template) return [];
  const real = f.entries.flatMap((e) => {
    const why = realSecret(e);
    return why ? [{ e, why }] : [];
  });
  if (real.length > 0) {
    const first = real[0]!.e;
    const names = real.map((r) => `${r.e.name} (${r.why})`).join(', ');
    return [
      {
        file: f.file,
        line: first.line,
        key: 'real-secrets',
        severity: 'critical',
        effort: 30,
        message: `${f.file} is in the repository and holds real-looking secrets: ${names}. Everyone with read access to the repository or any clone of its history has them.`,
        fix: `Rotate ${real.map((r) => r.e.name).join(', ')} first (they stay in git history), then \`git rm --cached ${f.file}\`, add \`${baseOf(f.file)}\` to .gitignore and keep a ${baseOf(f.file)}.example with placeholders.`,
      },
    ];
  }
  if (committedOnPurpose(f)) return [];
  const secrets = f.entries.filter((e) => isSecretName(e.name));
  if (secrets.length === 0) return [];
  return [
    {
      file: f.file,
      line: secrets[0]!.line,
      key: 'placeholders',
      severity: 'medium',
      message: `${f.file} is in the repository with secret settings (${secrets.map((e) => e.name).join(', ')}); their values look like placeholders today, but the next real value typed into this file gets committed.`,
      fix: `\`git mv ${f.file} ${f.file}.example\` (or \`git rm --cached ${f.file}\`), add \`${baseOf(f.file)}\` to .gitignore, and document copying the example.`,
    },
  ];
}

export default defineCheck({
  id: 'env/committed-dotenv',
  title: 'Real .env file committed to the repository',
  severity: 'critical',
  files: [...ENV_FILE_GLOBS],
  docs:
    'A real env file (`.env`, `.env.production`, `.env.local`, `prod.env`; not `.env.example` and other templates) is ' +
    'tracked in the repository. Critical when it holds real-looking secrets: a well-known token format (cloud keys, ' +
    'GitHub, Stripe live, Slack, OpenAI, private keys), a connection string with a real password, or a high-entropy value ' +
    'under a secret-like name; those are exposed to everyone who can read the repository and stay in its history after ' +
    'deletion, so they must be rotated. Medium when its secret settings hold only placeholders. `.env.development` and ' +
    '`.env.test` without real secrets are skipped: frameworks such as Vite and Next.js commit them on purpose.',
  fix: 'Rotate any real secret, `git rm --cached .env`, add `.env` to .gitignore, and commit a `.env.example` with placeholders instead.',
  effort: 10,
  example: '# .env (tracked)\nSTRIPE_SECRET_KEY=sk_live_...',
  run(model) {
    return model.get(envFiles).flatMap(report);
  },
});
