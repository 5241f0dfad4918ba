import { defineCheck, type Report } from '../../src/engine/check.js';
import type { Severity } from '../../src/engine/types.js';
import {
  baseOf,
  COMPOSE_GLOBS,
  containerJoin,
  DOCKERFILE_GLOBS,
  repoPathFor,
  SCRIPT_GLOBS,
  stageChain,
} from '../../src/model/deploy/index.js';
import {
  composeLine,
  composeStacks,
  COMPOSE_USAGE_GLOBS,
  dockerfileOf,
  isDevService,
  parseImageRef,
  repoImages,
  storeOfService,
  type ComposeStack,
  type StackService,
  type StoreInfo,
} from '../../src/model/compose-extra.js';
import type { ProjectModel } from '../../src/model/project.js';
import { joinPath, parseCommandLine } from '../../src/model/shell.js';

/**
 * A start path that waits for its dependencies by itself: wait-for-it, dockerize, pg_isready or
 * `nc -z` loops, `until`/`while` retry loops, `manage.py wait_for_db`, retry counters.
 */
const WAITS =
  /(wait[-_]?for|wait[-_]?(db|database|postgres|mysql|mongo|redis|services?|deps)\b|dockerize\b[^\n]*-wait|pg_isready|mysqladmin\b[^\n]*\bping|\bnc\b[^\n]*\s-z|\buntil\b|\bwhile\b|retr(y|ies)|attempts?\b|sleep\s+\d)/i;
const RESTARTS = new Set(['always', 'unless-stopped', 'on-failure']);
const LOWER: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low' };

/** The healthcheck test to paste for each kind of store. */
function suggestedTest(s: StackService, store: StoreInfo): string {
  const env = (n: string) => s.environment.find((e) => e.name === n)?.value;
  const lit = (v: string | undefined) => (v !== undefined && !v.includes('$') ? v : undefined);
  switch (store.kind) {
    case 'postgres': {
      const user = lit(env('POSTGRES_USER')) ?? (env('POSTGRES_USER') ? '$${POSTGRES_USER}' : 'postgres');
      const db = lit(env('POSTGRES_DB')) ?? (env('POSTGRES_DB') ? '$${POSTGRES_DB}' : user);
      return `["CMD-SHELL", "pg_isready -U ${user} -d ${db}"]`;
    }
    case 'mysql':
      return parseImageRef(s.image?.value ?? '').name === 'mariadb' ? '["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]' : '["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]';
    case 'mongo':
      return `["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand('ping')"]`;
    case 'redis':
      return '["CMD", "redis-cli", "ping"]';
    case 'rabbitmq':
      return '["CMD", "rabbitmq-diagnostics", "-q", "ping"]';
    case 'elasticsearch':
      return '["CMD-SHELL", "curl -fs http://localhost:9200/_cluster/health || exit 1"]';
    default:
      return '["CMD-SHELL", "<a command that succeeds once the server accepts connections>"]';
  }
}

function healthcheckBlock(s: StackService, store: StoreInfo): string {
  return `  ${s.name}:\n    healthcheck:\n      test: ${suggestedTest(s, store)}\n      interval: 5s\n      timeout: 5s\n      retries: 10`;
}

/** True when the service (or the image it builds) has a health check that is not disabled. */
function hasHealthcheck(model: ProjectModel, s: StackService): boolean {
  if (s.healthcheck) return !s.healthcheck.disabled;
  const df = dockerfileOf(model, s);
  if (!df) return false;
  const hc = stageChain(df).reverse().find((st) => st.healthcheck)?.healthcheck;
  return !!hc && !hc.none;
}

/** Texts of the start path: compose command/entrypoint, the image's CMD/ENTRYPOINT, and the scripts they run. */
function startTexts(model: ProjectModel, s: StackService): string[] {
  const df = dockerfileOf(model, s);
  const texts: string[] = [];
  const argvs: string[][] = [];
  for (const c of [s.entrypoint, s.command]) {
    if (!c) continue;
    texts.push(c.text);
    argvs.push(...c.commands.map((x) => x.argv));
  }
  if (df?.start && !s.entrypoint) {
    texts.push(df.start.argv.join(' '));
    argvs.push(...df.start.commands.map((x) => x.argv));
  }
  const context = s.build?.context ?? '';
  for (const argv of argvs) {
    for (const t of argv) {
      if (!/\.(sh|bash)$/.test(t) && !/(entrypoint|start|boot|wait|run)[^/]*$/i.test(baseOf(t))) continue;
      if (t.includes('$')) continue;
      const found = new Set<string>();
      if (df?.final) {
        const p = repoPathFor(model, df, containerJoin(df.final.workdir, t), context);
        if (p) found.add(p);
      }
      if (!t.startsWith('/') && model.exists(joinPath(context, t))) found.add(joinPath(context, t));
      if (found.size === 0) {
        const byName = model.listed(`${context ? context + '/' : ''}**/${baseOf(t)}`);
        if (byName.length === 1) found.add(byName[0]!);
      }
      for (const p of found) {
        const text = model.text(p);
        if (text) texts.push(text);
      }
    }
  }
  return texts;
}

/** Services `from` is guaranteed to start after, through healthy / completed conditions (transitively). */
function waitedFor(stack: ComposeStack, from: StackService): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const cur = todo.pop()!;
    for (const d of cur.dependsOn) {
      if (d.condition !== 'service_healthy' && d.condition !== 'service_completed_successfully') continue;
      if (seen.has(d.service)) continue;
      seen.add(d.service);
      const next = stack.services.get(d.service);
      if (next) todo.push(next);
    }
  }
  return seen;
}

/** An app from this repository (built here, or an image the repo builds), not a third-party tool. */
function isRepoApp(model: ProjectModel, s: StackService): boolean {
  if (s.build) return true;
  if (!s.image) return false;
  return model.get(repoImages).has(parseImageRef(s.image.value).repo);
}

interface PgArgs {
  user?: string;
  db?: string;
}

function pgIsreadyArgs(test: string[]): PgArgs | undefined {
  const kind = test[0];
  // compose turns `$$` into `$` before the container sees the command
  const args = test.slice(1).map((a) => a.replace(/\$\$/g, '$'));
  const cmds = kind === 'CMD' ? [{ argv: args }] : kind === 'CMD-SHELL' ? parseCommandLine(args.join(' ')) : [];
  const c = cmds.find((x) => baseOf(x.argv[0] ?? '') === 'pg_isready');
  if (!c) return undefined;
  const out: PgArgs = {};
  const a = c.argv;
  for (let i = 1; i < a.length; i++) {
    const arg = a[i]!;
    const take = (short: string, long: string): string | undefined => {
      if (arg === short || arg === long) return a[++i];
      if (arg.startsWith(long + '=')) return arg.slice(long.length + 1);
      if (arg.startsWith(short) && arg.length > short.length) return arg.slice(short.length);
      return undefined;
    };
    const u = take('-U', '--username');
    if (u !== undefined) {
      out.user = u;
      continue;
    }
    const d = take('-d', '--dbname');
    if (d !== undefined) out.db = d;
  }
  return out;
}

/** `lit:x` for a literal, `var:NAME` for `${NAME}`, `$${NAME}`, `$NAME` (with or without a default). */
function canon(v: string): string {
  const m = /^\$\$?\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-[^}]*)?\}?$/.exec(v.trim());
  return m ? `var:${m[1]}` : `lit:${v.trim()}`;
}

function differs(check: string, expected: string | undefined): boolean {
  if (expected === undefined) return false;
  const a = canon(check);
  const b = canon(expected);
  if (a === b) return false;
  // a container variable in the test (`$${POSTGRES_USER}`) is the same thing as the env entry it names
  if (a.startsWith('var:') || b.startsWith('var:')) return false;
  return true;
}

function pgFinding(model: ProjectModel, db: StackService, dev: boolean): Report | undefined {
  const hc = db.healthcheck;
  if (!hc?.test || hc.disabled) return undefined;
  const args = pgIsreadyArgs(hc.test);
  if (!args) return undefined;
  const envOf = (n: string) => db.environment.find((e) => e.name === n);
  const userEnv = envOf('POSTGRES_USER');
  const dbEnv = envOf('POSTGRES_DB');
  // with an env_file the values are elsewhere: only the missing -d can be judged
  const known = db.envFiles.length === 0;
  const expectedUser = userEnv ? userEnv.value : known ? 'postgres' : undefined;
  const expectedDb = dbEnv ? dbEnv.value : expectedUser;
  const problems: string[] = [];
  // without -U, pg_isready uses the OS user the check runs as (`user:`, else root)
  const osUser = db.user && !/^\d/.test(db.user) ? db.user.split(':')[0]! : undefined;
  if (args.user === undefined) {
    if (osUser === undefined) problems.push(`it names no user (-U), so it connects as the container's root user`);
    else if (differs(osUser, expectedUser)) problems.push(`it names no user (-U), so it connects as \`${osUser}\` (the service's \`user:\`) while POSTGRES_USER is \`${expectedUser}\``);
  } else if (differs(args.user, expectedUser)) problems.push(`it checks as user \`${args.user}\` while POSTGRES_USER is \`${expectedUser}\``);
  if (args.db === undefined) {
    const user = args.user ?? osUser ?? 'root';
    problems.push(
      expectedDb !== undefined && !differs(user, expectedDb)
        ? 'it names no database (-d): that only works because POSTGRES_DB happens to equal the user name'
        : `it names no database (-d), so it probes a database called \`${user}\`${expectedDb !== undefined ? ` instead of POSTGRES_DB \`${expectedDb}\`` : ''}`,
    );
  }
  else if (differs(args.db, expectedDb)) problems.push(`it checks database \`${args.db}\` while POSTGRES_DB is \`${expectedDb}\``);
  if (problems.length === 0) return undefined;
  const store = storeOfService(model, db)!;
  const line = composeLine(model, hc.file, ['services', db.name, 'healthcheck', 'test']) ?? hc.line;
  return {
    file: hc.file,
    line,
    key: `${db.name}:pg_isready`,
    severity: 'low',
    message:
      `The health check of \`${db.name}\` runs \`${hc.text}\`, but ${problems.join('; ')}. pg_isready only reports the server as up, ` +
      'and a wrong user or database makes postgres log "FATAL: role/database ... does not exist" on every probe; naming both keeps the check aligned with what the app connects to.' +
      (dev ? ' (development compose file)' : ''),
    fix: `Use:\n      test: ${suggestedTest(db, store)}`,
    effort: 2,
  };
}

export default defineCheck({
  id: 'compose/unhealthy-dependency',
  title: 'App starts before the database or broker it depends on is ready',
  severity: 'high',
  files: [...COMPOSE_GLOBS, ...DOCKERFILE_GLOBS, ...SCRIPT_GLOBS, ...COMPOSE_USAGE_GLOBS, '**/.env', '**/.env.*', '**/*.env'],
  docs:
    'Plain `depends_on: [db]` only orders container starts: postgres, mysql, mongo or rabbitmq need seconds to ' +
    'initialise (minutes on a first run with init scripts), so the app connects, fails ("connection refused", ' +
    '"the database system is starting up") and exits or serves 500s, and migrations run by the entrypoint fail. ' +
    'Reported (high) for a service built from this repository that depends on such a store without ' +
    '`condition: service_healthy`, unless its start path waits by itself (wait-for-it, dockerize, a `pg_isready` or ' +
    '`nc -z` loop, `manage.py wait_for_db`, retries in the entrypoint script) or it already waits for a one-shot ' +
    'service (migrations) that waits for the store; medium when a restart policy retries it. ' +
    '`condition: service_healthy` on a service with no health check is critical: compose refuses to start ' +
    '("container db has no healthcheck configured"). A store without a health check that an app depends on is ' +
    'medium; a `pg_isready` check that names no database (-d) or another user/database than POSTGRES_USER / ' +
    'POSTGRES_DB is low. Redis and other caches are ready within milliseconds and are only checked for the ' +
    'missing-healthcheck error. Dev and test compose files get one severity lower.',
  fix: 'Give the store a healthcheck and make the app wait for it: `depends_on: { db: { condition: service_healthy } }`.',
  effort: 10,
  example: 'services:\n  api:\n    build: .\n    depends_on:\n      - db\n  db:\n    image: postgres:16',
  run(model) {
    const out: Report[] = [];
    const isDev = (s: StackService) => isDevService(model, s);
    for (const stack of model.get(composeStacks)) {
      const needHealthcheck = new Map<string, StackService[]>();
      for (const app of stack.services.values()) {
        if (app.incomplete || app.extendsBase || !isRepoApp(model, app)) continue;
        const waited = waitedFor(stack, app);
        let selfWait: boolean | undefined;
        for (const dep of app.dependsOn) {
          const target = stack.services.get(dep.service);
          if (!target || target.incomplete) continue;
          const store = storeOfService(model, target);
          const dev = isDev(app);
          if (dep.condition === 'service_healthy') {
            if (hasHealthcheck(model, target)) continue;
            // only judged when we know the image ships no HEALTHCHECK of its own
            if (!store && !target.build) continue;
            out.push({
              file: dep.file,
              line: dep.line,
              key: `${app.name}->${target.name}:no-healthcheck`,
              severity: dev ? 'high' : 'critical',
              message: `\`${app.name}\` waits for \`${target.name}\` with \`condition: service_healthy\`, but \`${target.name}\` has no health check${target.healthcheck?.disabled ? ' (it is disabled)' : ''}: \`docker compose up\` fails with "dependency failed to start: container ${target.name} has no healthcheck configured" and \`${app.name}\` never starts.`,
              fix: store
                ? `Add a health check to \`${target.name}\`:\n${healthcheckBlock(target, store)}`
                : `Add a \`healthcheck:\` to \`${target.name}\` (or a HEALTHCHECK to ${target.build?.dockerfile ?? 'its Dockerfile'}), or wait with \`condition: service_started\`.`,
            });
            continue;
          }
          if (!store || store.fastStart || dep.condition === 'service_completed_successfully') continue;
          if (waited.has(target.name) || [...waited].some((w) => stack.services.get(w)?.dependsOn.some((d) => d.service === target.name && d.condition !== 'service_started'))) continue;
          selfWait ??= startTexts(model, app).some((t) => WAITS.test(t));
          if (selfWait) continue;
          const retried = app.restart !== undefined && RESTARTS.has(app.restart);
          let severity: Severity = retried ? 'medium' : 'high';
          if (dev) severity = LOWER[severity];
          const targetHc = hasHealthcheck(model, target);
          if (!targetHc) needHealthcheck.set(target.name, [...(needHealthcheck.get(target.name) ?? []), app]);
          const depsBlock = app.dependsOn
            .map((d) => {
              const t = stack.services.get(d.service);
              const st = t ? storeOfService(model, t) : undefined;
              const cond = d.condition !== 'service_started' ? d.condition : st && !st.fastStart ? 'service_healthy' : 'service_started';
              return `      ${d.service}:\n        condition: ${cond}`;
            })
            .join('\n');
          // services sharing one `depends_on` through a YAML anchor (`<<: *app`) get one finding at that line
          const shared = out.find((r) => r.file === dep.file && r.line === dep.line && r.key.endsWith(`->${target.name}`));
          if (shared) {
            shared.message += ` The same \`depends_on\` also starts \`${app.name}\` this way.`;
            continue;
          }
          out.push({
            file: dep.file,
            line: dep.line,
            key: `${app.name}->${target.name}`,
            severity,
            message:
              `\`${app.name}\` depends on \`${target.name}\` (${store.kind}) with ${dep.explicit ? '`condition: service_started`' : 'the short `depends_on` form'}, which only waits for the container to start, not for ${store.kind} to accept connections, and its start path has no wait loop: on a fresh start \`${app.name}\` connects too early and fails ("connection refused" / "the database system is starting up")` +
              (retried ? `; \`restart: ${app.restart}\` retries it until ${store.kind} is up, at the cost of crash loops and failed migrations.` : '.'),
            fix:
              `Wait for a healthy ${store.kind}:\n    depends_on:\n${depsBlock}` +
              (targetHc ? '' : `\nand give \`${target.name}\` a health check:\n${healthcheckBlock(target, store)}`),
          });
        }
      }
      for (const [name, apps] of needHealthcheck) {
        const db = stack.services.get(name)!;
        const store = storeOfService(model, db)!;
        out.push({
          file: db.primary.file,
          line: db.primary.image?.line ?? db.primary.line,
          key: `${name}:no-healthcheck`,
          severity: isDev(db) ? 'low' : 'medium',
          message: `\`${name}\` (${store.kind}) has no health check, so ${apps.map((a) => `\`${a.name}\``).join(', ')} cannot wait for it to accept connections (\`condition: service_healthy\` needs one) and \`docker compose ps\` shows it "running" while it still initialises.`,
          fix: `Add:\n${healthcheckBlock(db, store)}`,
          effort: 3,
        });
      }
      for (const s of stack.services.values()) {
        if (s.incomplete || s.extendsBase || storeOfService(model, s)?.kind !== 'postgres') continue;
        const r = pgFinding(model, s, isDev(s));
        if (r) out.push(r);
      }
    }
    return out;
  },
});
