import { defineCheck } from '../../src/engine/check.js';
import { joinPath } from '../../src/model/shell.js';
import {
  baseOf,
  DEPLOY_FILES,
  dockerignoreFor,
  envFiles,
  imageBuilds,
  isDockerIgnored,
  isEnvFilePath,
  isSecretName,
  isTemplateEnvFile,
  stageChain,
  type DockerCopy,
  type ImageBuild,
} from '../../src/model/deploy/index.js';

/** Private keys and credential files that must never reach an image layer. */
const KEY_FILE = /(^|\/)(id_rsa|id_ed25519|id_ecdsa)[^/]*$|\.(pem|key|p12|pfx|jks|keystore)$|(^|\/)[^/]*(credentials|service-account|serviceaccount)[^/]*\.json$/i;

/** The COPY/ADD that sends the whole build context into the image (`COPY . .`, `ADD ./ /app`). */
function wholeContextCopy(b: ImageBuild): DockerCopy | undefined {
  // Only the final image's stages matter: what a build stage copies is discarded unless copied on.
  for (const st of stageChain(b.dockerfile)) {
    const c = st.copies.find((x) => !x.from && x.sources.some((s) => joinPath(b.context, s) === b.context));
    if (c) return c;
  }
  return undefined;
}

export default defineCheck({
  id: 'docker/context-leaks-secrets',
  title: 'COPY . sends secrets and the git history into the image',
  severity: 'medium',
  files: [...DEPLOY_FILES, '**/*.{pem,key,p12,pfx,jks,keystore}', '**/*{credentials,service-account}*.json'],
  docs:
    '`COPY . .` copies the whole build context into an image layer. Without a .dockerignore, or with one that does ' +
    'not exclude `.env`, `.git` and (for Node) `node_modules`, the image carries the developer\'s local secrets, the ' +
    'full git history (including secrets deleted long ago), and host-built native modules; anyone who can pull the ' +
    'image can read them, and builds get slow. Medium; high when a real `.env` or a key file (`*.pem`, `id_rsa`, ' +
    'service-account JSON) is in the context. Only COPYs into the final image count (a build stage\'s layers are ' +
    'discarded); `.git` is only looked for when the context is the repository root, and `.env` only where the ' +
    'context holds env files. Development Dockerfiles are skipped.',
  fix: 'Add a .dockerignore next to the build context that excludes .git, .env*, node_modules and key files.',
  effort: 5,
  example: 'COPY . .   # and no .dockerignore',
  run(model) {
    const out = [];
    const seen = new Set<string>();
    for (const b of model.get(imageBuilds)) {
      if (b.devOnly || seen.has(b.dockerfile.file)) continue;
      const copy = wholeContextCopy(b);
      if (!copy) continue;
      seen.add(b.dockerfile.file);
      const ig = dockerignoreFor(model, b.dockerfile, b.context);
      const inContext = model.listed(b.context ? `${b.context}/**` : '**').map((p) => (b.context ? p.slice(b.context.length + 1) : p));
      const envs = new Map(model.get(envFiles).map((e) => [e.file, e]));
      const full = (p: string) => joinPath(b.context, p);
      // A committed .env without secrets (a Vite `VITE_API_URL=`) is no leak; one with secret settings or a key file is.
      const leaked = inContext.filter(
        (p) => !isDockerIgnored(ig, p) && ((isEnvFilePath(p) && !isTemplateEnvFile(p) && !!envs.get(full(p))?.entries.some((e) => isSecretName(e.name))) || KEY_FILE.test(p)),
      );
      const gaps: string[] = [];
      // A local .env is expected where the project keeps env files (its templates, or ones it loads).
      if (inContext.some((p) => isEnvFilePath(p)) && !isDockerIgnored(ig, '.env')) gaps.push('.env');
      if (b.context === '' && !isDockerIgnored(ig, '.git')) gaps.push('.git'); // .git sits at the repository root only
      if (inContext.some((p) => baseOf(p) === 'package.json') && !isDockerIgnored(ig, 'node_modules')) gaps.push('node_modules');
      if (gaps.length === 0 && leaked.length === 0) continue;
      const ignoreFile = ig?.file ?? joinPath(b.context, '.dockerignore');
      const what = [
        ...(leaked.length ? [`it holds ${leaked.slice(0, 5).join(', ')}${leaked.length > 5 ? ` and ${leaked.length - 5} more` : ''}, which would be baked into a layer`] : []),
        ...(gaps.length ? [`${ig ? `${ig.file} does not exclude` : 'there is no .dockerignore, so nothing excludes'} ${gaps.join(', ')}`] : []),
      ].join('; ');
      out.push({
        file: b.dockerfile.file,
        line: copy.line,
        key: 'copy-context',
        ...(leaked.length ? { severity: 'high' as const } : {}),
        message: `\`${copy.instruction} ${copy.sources.join(' ')} ${copy.dest}\` copies the whole build context ${b.context ? `\`${b.context}/\`` : '(the repository root)'} into the image, and ${what}. Anyone who can pull the image can read what it carries.`,
        fix: `${ig ? 'Add to' : 'Create'} ${ignoreFile}:\n.git\n.env\n.env.*\n!.env.example\nnode_modules\n*.pem\n*.key${leaked.length ? `\nThen rotate anything in ${leaked.slice(0, 3).join(', ')} that was already pushed in an image.` : ''}`,
      });
    }
    return out;
  },
});
