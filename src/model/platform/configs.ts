import { procfiles } from '../deploy/procfile.js';
import { defineFacts, type ProjectModel } from '../project.js';
import { parseCommandLine, type SimpleCommand } from '../shell.js';
import { keyLine, parseConfigDoc, type ConfigDoc } from './config-doc.js';
import { FLY_GLOBS, HEROKU_GLOBS, NIXPACKS_GLOBS, RAILWAY_GLOBS, RENDER_GLOBS } from './files.js';

/**
 * Platform descriptions parsed once: Railway (railway.json/.toml), Nixpacks (nixpacks.toml),
 * Render (render.yaml), Fly (fly.toml), Heroku (app.json, heroku.yml) and the Procfile the deploy
 * model reads. Every start, release and build command they name becomes a `PlatformCommand`, and
 * every health check path a `PlatformHealthcheck`, each with file and line.
 */

export type Platform = 'railway' | 'nixpacks' | 'render' | 'fly' | 'heroku';

export interface PlatformConfig {
  platform: Platform;
  file: string;
  /** The service root the platform builds from (the file's folder; render.yaml `rootDir`s are per service). */
  dir: string;
  doc: ConfigDoc;
}

export type CommandRole = 'web' | 'worker' | 'release' | 'build' | 'cron';

/** A command a platform runs. */
export interface PlatformCommand {
  platform: Platform;
  file: string;
  line: number;
  role: CommandRole;
  /** Service or process name, for messages (`web`, `api`, the railway file's folder). */
  name: string;
  /** The config key that holds it, for messages: `deploy.startCommand`, `[processes] web`. */
  key: string;
  text: string;
  /** Split with the shell parser; cwd relative to `dir`. */
  commands: SimpleCommand[];
  /** Repo folder the command starts in. */
  dir: string;
  /**
   * Set when the service is built from a Dockerfile: the command runs inside that image
   * (repo paths reach it only through COPY).
   */
  dockerfile?: string;
  /**
   * True when the platform runs the text through a shell (`$PORT` expands), false when it runs
   * the words directly (Railway's start command on a Dockerfile build), undefined when unknown.
   */
  shell?: boolean;
  /** The port the platform routes to, when the config fixes one (fly.toml `internal_port`). */
  internalPort?: { value: number; line: number };
  /** True when the platform hands the process a `PORT` variable (Heroku, Railway, Render, Nixpacks). */
  setsPort: boolean;
}

export interface PlatformHealthcheck {
  platform: Platform;
  file: string;
  line: number;
  /** Request path (`/api/health`). */
  path: string;
  /** Service root whose code must serve it. */
  dir: string;
  name: string;
  key: string;
}

/** Every platform file in the repository, parsed (parse errors kept on `doc.error`). */
export const platformConfigs = defineFacts('platform-configs', (model): PlatformConfig[] => {
  const out: PlatformConfig[] = [];
  const add = (platform: Platform, globs: readonly string[]) => {
    for (const g of globs) {
      for (const file of model.read(g)) {
        if (out.some((c) => c.file === file)) continue;
        const doc = parseConfigDoc(file, model.text(file) ?? '');
        if (platform === 'heroku' && file.endsWith('app.json') && !isHerokuAppJson(doc.value)) continue;
        out.push({ platform, file, dir: dirOf(file), doc });
      }
    }
  };
  add('railway', RAILWAY_GLOBS);
  add('nixpacks', NIXPACKS_GLOBS);
  add('render', RENDER_GLOBS);
  add('fly', FLY_GLOBS);
  add('heroku', HEROKU_GLOBS);
  return out;
});

/** app.json is also Expo's and others' file name: only Heroku's has these keys. */
function isHerokuAppJson(v: unknown): boolean {
  const o = obj(v);
  if (!o || 'expo' in o) return false;
  return ['buildpacks', 'formation', 'addons', 'stack', 'scripts', 'environments'].some((k) => k in o) && !('name' in o && 'slug' in o);
}

export interface PlatformFacts {
  commands: PlatformCommand[];
  healthchecks: PlatformHealthcheck[];
}

/** Start, release, build commands and health checks of every platform file and Procfile. */
export const platformFacts = defineFacts('platform-facts', (model): PlatformFacts => {
  const facts: PlatformFacts = { commands: [], healthchecks: [] };
  for (const c of model.get(platformConfigs)) {
    if (c.doc.error || !obj(c.doc.value)) continue;
    if (c.platform === 'railway') railway(model, c, facts);
    else if (c.platform === 'nixpacks') nixpacks(c, facts);
    else if (c.platform === 'render') render(c, facts);
    else if (c.platform === 'fly') fly(model, c, facts);
    else if (c.file.endsWith('heroku.yml')) herokuYml(c, facts);
    else herokuAppJson(c, facts);
  }
  const configs = model.get(platformConfigs);
  for (const p of model.get(procfiles)) {
    const role: CommandRole = p.type === 'web' ? 'web' : p.type === 'release' ? 'release' : 'worker';
    // Beside railway/nixpacks config the Procfile is Railway's (Nixpacks starts its `web`), and a
    // start command in that config replaces it.
    const dir = dirOf(p.file);
    const local = configs.filter((c) => c.dir === dir && (c.platform === 'railway' || c.platform === 'nixpacks'));
    const overridden = facts.commands.some((c) => c.dir === dir && (c.platform === 'railway' || c.platform === 'nixpacks') && (c.role === 'web' || c.role === 'cron'));
    if (p.type === 'web' && overridden) continue;
    facts.commands.push({
      platform: local.length ? 'railway' : 'heroku',
      file: p.file,
      line: p.line,
      role,
      name: p.type,
      key: `Procfile \`${p.type}\``,
      text: p.command,
      commands: parseCommandLine(p.command),
      dir: dirOf(p.file),
      shell: true,
      setsPort: true,
    });
  }
  return facts;
});

// ---------------------------------------------------------------------------------------------

function railway(model: ProjectModel, c: PlatformConfig, facts: PlatformFacts): void {
  const v = obj(c.doc.value)!;
  const sections: { prefix: (string | number)[]; value: Record<string, unknown> }[] = [{ prefix: [], value: v }];
  // `environments.<name>` overrides the build and deploy sections for that environment.
  for (const [env, ev] of Object.entries(obj(v.environments) ?? {})) {
    if (obj(ev)) sections.push({ prefix: ['environments', env], value: obj(ev)! });
  }
  const rootBuild = obj(v.build) ?? {};
  for (const s of sections) {
    const build = { ...rootBuild, ...(obj(s.value.build) ?? {}) };
    const deploy = obj(s.value.deploy) ?? {};
    const dockerfile = railwayDockerfile(model, c.dir, build);
    const base = { platform: 'railway' as const, file: c.file, dir: c.dir, name: c.dir || 'railway service', setsPort: true };
    const cron = typeof deploy.cronSchedule === 'string';
    const start = deploy.startCommand;
    if (typeof start === 'string' && start.trim()) {
      facts.commands.push({
        ...base,
        line: keyLine(c.doc, [...s.prefix, 'deploy', 'startCommand']),
        role: cron ? 'cron' : 'web',
        key: 'deploy.startCommand',
        text: start,
        commands: parseCommandLine(start),
        // Railway runs the start command of a Dockerfile build in exec form (no shell, no $PORT).
        shell: dockerfile ? false : true,
        ...(dockerfile ? { dockerfile } : {}),
      });
    }
    const pre = deploy.preDeployCommand;
    const pres = typeof pre === 'string' ? [pre] : Array.isArray(pre) ? pre.filter((x): x is string => typeof x === 'string') : [];
    pres.forEach((p, i) =>
      facts.commands.push({
        ...base,
        line: keyLine(c.doc, [...s.prefix, 'deploy', 'preDeployCommand', ...(Array.isArray(pre) ? [i] : [])]),
        role: 'release',
        key: 'deploy.preDeployCommand',
        text: p,
        commands: parseCommandLine(p),
        ...(dockerfile ? { dockerfile } : {}),
      }),
    );
    if (typeof deploy.healthcheckPath === 'string' && deploy.healthcheckPath.startsWith('/')) {
      facts.healthchecks.push({
        platform: 'railway',
        file: c.file,
        line: keyLine(c.doc, [...s.prefix, 'deploy', 'healthcheckPath']),
        path: deploy.healthcheckPath,
        dir: c.dir,
        name: base.name,
        key: 'deploy.healthcheckPath',
      });
    }
  }
}

/** The Dockerfile Railway builds: `builder = DOCKERFILE`, a `dockerfilePath`, or a Dockerfile beside the config. */
function railwayDockerfile(model: ProjectModel, dir: string, build: Record<string, unknown>): string | undefined {
  const builder = typeof build.builder === 'string' ? build.builder.toUpperCase() : undefined;
  if (builder && builder !== 'DOCKERFILE') return undefined;
  if (typeof build.dockerfilePath === 'string') return joinDir(dir, build.dockerfilePath);
  const df = joinDir(dir, 'Dockerfile');
  return builder === 'DOCKERFILE' || model.exists(df) ? df : undefined;
}

function nixpacks(c: PlatformConfig, facts: PlatformFacts): void {
  const v = obj(c.doc.value)!;
  const start = obj(v.start);
  const base = { platform: 'nixpacks' as const, file: c.file, dir: c.dir, name: c.dir || 'nixpacks app', shell: true, setsPort: true };
  if (start && typeof start.cmd === 'string' && start.cmd.trim()) {
    facts.commands.push({ ...base, line: keyLine(c.doc, ['start', 'cmd']), role: 'web', key: '[start] cmd', text: start.cmd, commands: parseCommandLine(start.cmd) });
  }
  for (const [phase, pv] of Object.entries(obj(v.phases) ?? {})) {
    const cmds = obj(pv)?.cmds;
    if (!Array.isArray(cmds)) continue;
    cmds.forEach((cmd) => {
      if (typeof cmd !== 'string' || cmd === '...') return;
      facts.commands.push({ ...base, line: keyLine(c.doc, ['phases', phase, 'cmds']), role: 'build', key: `[phases.${phase}] cmds`, text: cmd, commands: parseCommandLine(cmd) });
    });
  }
}

function render(c: PlatformConfig, facts: PlatformFacts): void {
  const v = obj(c.doc.value)!;
  const services = Array.isArray(v.services) ? v.services : [];
  services.forEach((sv, i) => {
    const s = obj(sv);
    if (!s) return;
    const name = typeof s.name === 'string' ? s.name : `services[${i}]`;
    const runtime = String(s.runtime ?? s.env ?? '');
    const type = String(s.type ?? '');
    const dir = typeof s.rootDir === 'string' ? joinDir(c.dir, s.rootDir) : c.dir;
    const docker = runtime === 'docker' || runtime === 'image';
    const dockerfile = runtime === 'docker' ? joinDir(c.dir, typeof s.dockerfilePath === 'string' ? s.dockerfilePath : joinDir(typeof s.rootDir === 'string' ? s.rootDir : '', 'Dockerfile')) : undefined;
    const role: CommandRole = type === 'web' ? 'web' : type === 'cron' ? 'cron' : 'worker';
    const at = (key: string) => keyLine(c.doc, ['services', i, key]);
    const base = { platform: 'render' as const, file: c.file, dir, name, setsPort: true, ...(dockerfile ? { dockerfile } : {}) };
    const push = (key: string, r: CommandRole) => {
      const t = s[key];
      if (typeof t !== 'string' || !t.trim()) return;
      facts.commands.push({ ...base, line: at(key), role: r, key, text: t, commands: parseCommandLine(t), ...(docker ? {} : { shell: true }) });
    };
    if (type !== 'static' && runtime !== 'static') {
      push('startCommand', role);
      push('dockerCommand', role);
      push('preDeployCommand', 'release');
    }
    push('buildCommand', 'build');
    if (typeof s.healthCheckPath === 'string' && s.healthCheckPath.startsWith('/')) {
      facts.healthchecks.push({ platform: 'render', file: c.file, line: at('healthCheckPath'), path: s.healthCheckPath, dir, name, key: 'healthCheckPath' });
    }
  });
}

function fly(model: ProjectModel, c: PlatformConfig, facts: PlatformFacts): void {
  const v = obj(c.doc.value)!;
  const build = obj(v.build) ?? {};
  const dockerfile =
    typeof build.image === 'string' || typeof build.builder === 'string'
      ? undefined
      : joinDir(c.dir, typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile');
  const http = obj(v.http_service);
  const services = Array.isArray(v.services) ? v.services.map(obj).filter((x): x is Record<string, unknown> => !!x) : [];
  const portOf = (proc: string): { value: number; line: number } | undefined => {
    if (http && typeof http.internal_port === 'number' && procMatches(http.processes, proc)) {
      return { value: http.internal_port, line: keyLine(c.doc, ['http_service', 'internal_port']) };
    }
    const i = services.findIndex((s) => typeof s.internal_port === 'number' && procMatches(s.processes, proc));
    return i >= 0 ? { value: services[i]!.internal_port as number, line: keyLine(c.doc, ['services', i, 'internal_port']) } : undefined;
  };
  const name = typeof v.app === 'string' ? v.app : c.dir || 'fly app';
  const base = { platform: 'fly' as const, file: c.file, dir: c.dir, setsPort: false, ...(dockerfile && model.exists(dockerfile) ? { dockerfile } : {}) };
  const processes = obj(v.processes);
  const webProcs = new Set<string>();
  if (http) for (const p of procList(http.processes)) webProcs.add(p);
  for (const s of services) for (const p of procList(s.processes)) webProcs.add(p);
  if (processes) {
    for (const [proc, cmd] of Object.entries(processes)) {
      if (typeof cmd !== 'string' || !cmd.trim()) continue;
      const port = portOf(proc);
      facts.commands.push({
        ...base,
        name: `${name} ${proc}`,
        line: keyLine(c.doc, ['processes', proc]),
        role: webProcs.has(proc) || (webProcs.size === 0 && (http || services.length) && proc === 'app') ? 'web' : 'worker',
        key: `[processes] ${proc}`,
        text: cmd,
        commands: parseCommandLine(cmd),
        ...(port ? { internalPort: port } : {}),
      });
    }
  }
  const exp = obj(v.experimental);
  const cmd = exp?.cmd;
  const cmdText = typeof cmd === 'string' ? cmd : Array.isArray(cmd) ? cmd.filter((x) => typeof x === 'string').join(' ') : undefined;
  if (!processes && cmdText) {
    const port = portOf('app');
    facts.commands.push({ ...base, name, line: keyLine(c.doc, ['experimental', 'cmd']), role: 'web', key: '[experimental] cmd', text: cmdText, commands: parseCommandLine(cmdText), ...(port ? { internalPort: port } : {}) });
  }
  const release = obj(v.deploy)?.release_command;
  if (typeof release === 'string' && release.trim()) {
    facts.commands.push({ ...base, name, line: keyLine(c.doc, ['deploy', 'release_command']), role: 'release', key: '[deploy] release_command', text: release, commands: parseCommandLine(release) });
  }
  // Health checks: http_service.checks, services.http_checks, top-level [checks] of type http.
  const checkLists: { list: unknown; at: (string | number)[] }[] = [];
  if (http) checkLists.push({ list: http.checks, at: ['http_service', 'checks'] });
  services.forEach((s, i) => checkLists.push({ list: s.http_checks, at: ['services', i, 'http_checks'] }));
  for (const { list, at } of checkLists) {
    if (!Array.isArray(list)) continue;
    list.forEach((ch, i) => {
      const p = obj(ch)?.path;
      if (typeof p === 'string' && p.startsWith('/')) facts.healthchecks.push({ platform: 'fly', file: c.file, line: keyLine(c.doc, [...at, i, 'path']), path: p, dir: c.dir, name, key: 'path' });
    });
  }
  for (const [cname, ch] of Object.entries(obj(v.checks) ?? {})) {
    const o = obj(ch);
    if (o && o.type === 'http' && typeof o.path === 'string' && o.path.startsWith('/')) {
      facts.healthchecks.push({ platform: 'fly', file: c.file, line: keyLine(c.doc, ['checks', cname, 'path']), path: o.path, dir: c.dir, name, key: `[checks.${cname}] path` });
    }
  }
  // With no [processes] and no cmd, the image's own CMD runs; fly still routes to internal_port.
  if (!processes && !cmdText && base.dockerfile) {
    const port = portOf('app');
    if (port) facts.commands.push({ ...base, name, line: port.line, role: 'web', key: 'image CMD', text: '', commands: [], internalPort: port });
  }
}

function procList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function procMatches(v: unknown, proc: string): boolean {
  const l = procList(v);
  return l.length === 0 ? proc === 'app' : l.includes(proc);
}

function herokuYml(c: PlatformConfig, facts: PlatformFacts): void {
  const v = obj(c.doc.value)!;
  const docker = obj(obj(v.build)?.docker) ?? {};
  const dockerfileFor = (proc: string): string | undefined => {
    const d = docker[proc] ?? docker.web;
    const p = typeof d === 'string' ? d : typeof obj(d)?.dockerfile === 'string' ? (obj(d)!.dockerfile as string) : undefined;
    return p ? joinDir(c.dir, p) : undefined;
  };
  const base = { platform: 'heroku' as const, file: c.file, dir: c.dir, setsPort: true };
  for (const [proc, run] of Object.entries(obj(v.run) ?? {})) {
    const r = obj(run);
    const cmd = typeof run === 'string' ? run : r?.command;
    const text = typeof cmd === 'string' ? cmd : Array.isArray(cmd) ? cmd.filter((x) => typeof x === 'string').join(' ') : undefined;
    if (!text) continue;
    const df = dockerfileFor(proc);
    facts.commands.push({
      ...base,
      name: proc,
      line: keyLine(c.doc, ['run', proc]),
      role: proc === 'web' ? 'web' : 'worker',
      key: `run.${proc}`,
      text,
      commands: Array.isArray(cmd) ? [{ argv: cmd.filter((x): x is string => typeof x === 'string'), env: {}, cwd: '' }] : parseCommandLine(text),
      // A string runs through `/bin/sh -c`; an array runs as is.
      shell: typeof cmd === 'string',
      ...(df ? { dockerfile: df } : {}),
    });
  }
  const rel = obj(v.release)?.command;
  const relText = Array.isArray(rel) ? rel.filter((x) => typeof x === 'string').join(' ') : typeof rel === 'string' ? rel : undefined;
  if (relText) {
    const df = dockerfileFor('web');
    facts.commands.push({ ...base, name: 'release', line: keyLine(c.doc, ['release', 'command']), role: 'release', key: 'release.command', text: relText, commands: parseCommandLine(relText), ...(df ? { dockerfile: df } : {}) });
  }
}

function herokuAppJson(c: PlatformConfig, facts: PlatformFacts): void {
  const v = obj(c.doc.value)!;
  const scripts = obj(v.scripts) ?? {};
  for (const key of ['postdeploy', 'pr-predestroy']) {
    const s = scripts[key];
    const text = typeof s === 'string' ? s : typeof obj(s)?.command === 'string' ? (obj(s)!.command as string) : undefined;
    if (!text) continue;
    facts.commands.push({ platform: 'heroku', file: c.file, dir: c.dir, setsPort: true, shell: true, name: key, line: keyLine(c.doc, ['scripts', key]), role: 'release', key: `scripts.${key}`, text, commands: parseCommandLine(text) });
  }
}

// ---------------------------------------------------------------------------------------------

export function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Joins a relative path onto a repo folder (`./x`, `..` handled; leading `/` taken as repo-relative). */
export function joinDir(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}
