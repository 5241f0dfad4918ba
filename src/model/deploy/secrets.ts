/**
 * What counts as a secret and what counts as a throwaway value. Shared by the env rules so that
 * "secret-like name" and "placeholder" mean the same thing everywhere.
 */

/** Name words that make a setting a secret. */
const SECRET_WORDS = new Set(['SECRET', 'PASSWORD', 'PASSWD', 'PASS', 'PWD', 'TOKEN', 'KEY', 'APIKEY', 'CREDENTIALS', 'PRIVATE', 'SALT']);
/**
 * A trailing word that turns a secret-looking name into an ordinary setting:
 * `ACCESS_TOKEN_EXPIRE_MINUTES`, `SECRET_KEY_FILE`, `API_KEY_HEADER`, `KEY_PREFIX`.
 */
const NOT_SECRET_TAIL = new Set([
  'ID', 'IDS', 'NAME', 'FILE', 'PATH', 'DIR', 'URL', 'URI', 'HOST', 'PORT', 'EXPIRE', 'EXPIRES', 'EXPIRY', 'EXPIRATION',
  'MINUTES', 'SECONDS', 'HOURS', 'DAYS', 'TTL', 'LIFETIME', 'AGE', 'ALGORITHM', 'ALG', 'TYPE', 'LENGTH', 'LEN', 'SIZE',
  'HEADER', 'PREFIX', 'ENABLED', 'ENABLE', 'DISABLED', 'ISSUER', 'AUDIENCE', 'MODE', 'VERSION', 'FIELD', 'PARAM',
  'LOCATION', 'REGION', 'USER', 'USERNAME', 'ROUNDS', 'MIN', 'MAX', 'POLICY', 'REQUIRED', 'COOKIE', 'SCHEME', 'FORMAT',
  'ENDPOINT', 'ROTATION', 'VAULT', 'ARN', 'KIND', 'COUNT', 'LIMIT', 'STORE', 'BACKEND', 'PROVIDER',
]);
/** Words that say the value is public even though the name has KEY in it. */
const PUBLIC_WORDS = new Set(['PUBLIC', 'PUBLISHABLE', 'PRIMARY', 'FOREIGN', 'SORT', 'PARTITION', 'CACHE', 'IDEMPOTENCY', 'SITE', 'MAPS', 'RECAPTCHA', 'ANON']);

/** Splits `jwtSecretKey`, `JWT_SECRET_KEY`, `jwt-secret.key` into upper-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/** True for names of settings that hold secrets: SECRET_KEY, DB_PASSWORD, GITHUB_TOKEN, SENTRY_DSN. */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (words.length === 1 && words[0] === 'PWD') return false; // the shell's working directory
  if (words.some((w) => PUBLIC_WORDS.has(w))) return false;
  if (NOT_SECRET_TAIL.has(words[words.length - 1]!)) return false;
  return words.some((w) => SECRET_WORDS.has(w) || w.endsWith('PASSWORD') || w.endsWith('SECRET') || w.endsWith('TOKEN'));
}

/** Signing/encryption secrets: an empty value is as bad as a placeholder (tokens signed with ''). */
export function isSigningSecretName(name: string): boolean {
  const words = nameWords(name);
  return isSecretName(name) && words.some((w) => w === 'SECRET' || w === 'SIGNING' || w === 'ENCRYPTION' || w === 'JWT' || w === 'SALT');
}

const WEAK_EXACT = new Set([
  'changeme', 'change-me', 'change_me', 'changethis', 'change-this', 'change_this', 'changeit', 'secret', 'secretkey',
  'secret-key', 'secret_key', 'mysecret', 'my-secret', 'mysecretkey', 'my-secret-key', 'supersecret', 'super-secret',
  'supersecretkey', 'super-secret-key', 'password', 'passw0rd', 'password1', 'password123', 'pass', 'passwd', 'admin',
  'root', 'test', 'testing', 'default', 'example', 'sample', 'dev', 'development', 'local', 'insecure', 'placeholder',
  'dummy', 'fake', 'todo', 'tbd', 'none', 'null', 'replaceme', 'replace-me', 'replace_me', '123456', '12345678',
  '1234567890', 'qwerty', 'letmein', 'postgres', 'mysql', 'mongo', 'guest', 'user', 'foobar', 'foo', 'bar', 'key',
  'token', 'apikey', 'api-key', 'api_key', 'jwt-secret', 'jwt_secret', 'jwtsecret', 'notasecret', 'not-a-secret',
  'your-secret-key', 'your_secret_key', 'yoursecretkey', 'xxx',
]);

/** Phrases that mark a value as a placeholder someone meant to replace. */
const PLACEHOLDER_PARTS = [
  'change-this', 'change_this', 'changethis', 'change-me', 'change_me', 'changeme', 'change-in-production',
  'in-production', 'in_production', 'replace-with', 'replace_with', 'replace-me', 'replaceme', 'your-', 'your_',
  'django-insecure', 'insecure', 'placeholder', 'example', 'not-secure', 'notsecure', 'dummy', 'fake', 'sample',
  'generate-', 'put-your', 'enter-your', 'todo', 'xxxx', '****', '...',
];

/**
 * True when the value is a well-known placeholder or a weak password: `changeme`,
 * `change-this-secret-key-in-production`, `secret`, `password`, `<your-key>`, `xxxxxxxx`.
 */
export function isWeakValue(value: string): boolean {
  const v = value.trim().replace(/^['"]|['"]$/g, '').toLowerCase();
  if (v === '') return false; // emptiness is judged separately (isSigningSecretName)
  if (WEAK_EXACT.has(v)) return true;
  if (/^<.*>$/.test(v) || /^\{\{.*\}\}$/.test(v) || /^\[.*\]$/.test(v)) return true;
  if (/^(.)\1+$/.test(v)) return true; // aaaaaa, 000000
  return PLACEHOLDER_PARTS.some((p) => v.includes(p));
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A value that looks like a generated secret: long, mixed, high entropy, no placeholder words. */
export function looksRandomSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < 16 || /\s/.test(v) || isWeakValue(v)) return false;
  if (/^(https?|postgres(ql)?|mysql|redis|amqp|mongodb(\+srv)?):\/\//i.test(v)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
  return classes >= 2 && entropy(v) >= 3.5;
}

/** A credentialed URL's parts (`scheme://user:password@host`), or undefined. */
export function urlCredentials(value: string): { user: string; password: string } | undefined {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (!u.password) return undefined;
  return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/** A well-known token format, by its published prefix and shape. */
export interface TokenFormat {
  name: string;
  pattern: RegExp;
}

export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{60,}\b/ },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { name: 'Stripe live secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/ },
  { name: 'Slack token', pattern: /\bxox[abposr]-[0-9A-Za-z-]{20,}\b/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b|\bsk-proj-[A-Za-z0-9_-]{40,}\b/ },
  { name: 'Anthropic API key', pattern: /\bsk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}\b/ },
  { name: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { name: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/ },
];

/** Documentation examples that match token shapes but are published as fakes. */
const KNOWN_FAKES = ['AKIAIOSFODNN7EXAMPLE', 'EXAMPLE', 'xxxxxxxx', 'XXXXXXXX', '00000000', '12345678', 'abcdefgh', 'ABCDEFGH'];

function isFakeToken(name: string, s: string): boolean {
  return name !== 'private key' && (KNOWN_FAKES.some((k) => s.includes(k)) || entropy(s) < 3.2);
}

/** A PEM header followed by a real base64 body (not `privatekeyprivatekey...` or `...`). */
function realPemBody(text: string, headerEnd: number): boolean {
  const body = text.slice(headerEnd, headerEnd + 400).replace(/^[\s#/*"'|-]+/gm, '').split('-----')[0] ?? '';
  const b64 = body.replace(/[^A-Za-z0-9+/=]/g, '');
  return b64.length >= 64 && entropy(b64) >= 4.5;
}

/** Well-known tokens in a value (the matched text and the format's name). */
export function findTokens(text: string): { name: string; match: string }[] {
  return findTokensInText(text).map(({ name, match }) => ({ name, match }));
}

/** Well-known tokens anywhere in a file's text, with their offsets. */
export function findTokensInText(text: string): { name: string; match: string; index: number }[] {
  const out: { name: string; match: string; index: number }[] = [];
  for (const f of TOKEN_FORMATS) {
    const re = new RegExp(f.pattern.source, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (isFakeToken(f.name, m[0])) continue;
      if (f.name === 'private key' && !realPemBody(text, m.index + m[0].length)) continue;
      out.push({ name: f.name, match: m[0], index: m.index });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** `sk_live_ab…` — enough to recognise, never the whole secret in a report. */
export function redact(s: string): string {
  return s.length <= 8 ? '…' : `${s.slice(0, Math.min(8, Math.floor(s.length / 3)))}…`;
}
