import { defineFacts, type ProjectModel } from '../project.js';
import type { SimpleCommand } from '../shell.js';
import { composeFiles, type ComposeService } from './compose.js';
import { argvCommands, dockerfiles, type Dockerfile } from './dockerfile.js';
import { stageChain } from './container-paths.js';
import { envFiles } from './dotenv.js';
import { isDevCompose } from './dev-compose.js';
import { baseOf, isDevOnlyPath } from './files.js';
import { procfiles } from './procfile.js';

/** One variable a service receives, and where from. */
export interface ServiceEnv {
  name: string;
  /** Literal value when known (compose literal, env_file value, Dockerfile ENV). */
  value?: string;
  source: 'environment' | 'env_file' | 'dockerfile-env' | 'command';
  file: string;
  line: number;
}

export interface ServicePort {
  value: string;
  file: string;
  line: number;
}

/** A deployable unit: a compose service, a Dockerfile's final image, or a Procfile process. */
export interface DeployService {
  name: string;
  kind: 'compose' | 'dockerfile' | 'procfile';
  file: string;
  line: number;
  /** The Dockerfile that builds it (compose `build:` or the Dockerfile itself). */
  dockerfile?: Dockerfile;
  /** Repo-relative build context. */
  context?: string;
  image?: string;
  /** The effective start command, split into simple commands. */
  start: SimpleCommand[];
  /** Where the start command is written (may be a Dockerfile when compose sets no command). */
  startAt?: { file: string; line: number; text: string };
  env: ServiceEnv[];
  ports: ServicePort[];
  /**
   * Judged from the file name (`docker-compose.dev.yml`, `Dockerfile.test`, CI folders) and, for
   * compose, from content (a dev-server command or a source bind mount: see isDevCompose).
   */
  devOnly: boolean;
  /** For a Dockerfile service: true when some compose service builds it (the compose entry is the richer view). */
  builtByCompose?: boolean;
  compose?: ComposeService;
}

function dockerEnv(df: Dockerfile): ServiceEnv[] {
  return stageChain(df).flatMap((s) =>
    s.env.map((e) => ({ name: e.name, ...(e.value !== undefined ? { value: e.value } : {}), source: 'dockerfile-env' as const, file: df.file, line: e.line })),
  );
}

function dockerPorts(df: Dockerfile): ServicePort[] {
  return stageChain(df).flatMap((s) => s.expose.map((e) => ({ value: e.port, file: df.file, line: e.line })));
}

function composeStart(svc: ComposeService, df: Dockerfile | undefined): Pick<DeployService, 'start' | 'startAt'> {
  const ep = svc.entrypoint;
  const cmd = svc.command;
  if (ep) {
    const argv = [...(ep.form === 'list' ? ep.argv : ep.commands.flatMap((c) => c.argv)), ...(cmd ? (cmd.form === 'list' ? cmd.argv : cmd.commands.flatMap((c) => c.argv)) : [])];
    return { start: argvCommands(argv), startAt: { file: svc.file, line: ep.line, text: ep.text } };
  }
  if (cmd) {
    const dep = df?.start?.entrypoint;
    // An exec-form ENTRYPOINT in the image gets the compose command as its arguments.
    if (dep && dep.form === 'exec') {
      const argv = [...dep.args, ...(cmd.form === 'list' ? cmd.argv : cmd.commands.flatMap((c) => c.argv))];
      return { start: argvCommands(argv), startAt: { file: svc.file, line: cmd.line, text: cmd.text } };
    }
    return { start: cmd.commands, startAt: { file: svc.file, line: cmd.line, text: cmd.text } };
  }
  if (df?.start) return { start: df.start.commands, startAt: { file: df.file, line: df.start.line, text: df.start.argv.join(' ') } };
  return { start: [] };
}

function composeServices(model: ProjectModel): DeployService[] {
  const dfs = new Map(model.get(dockerfiles).map((d) => [d.file, d]));
  const envs = new Map(model.get(envFiles).map((e) => [e.file, e]));
  const out: DeployService[] = [];
  for (const cf of model.get(composeFiles)) {
    const dev = isDevCompose(cf);
    for (const svc of cf.services) {
      const df = svc.build ? dfs.get(svc.build.dockerfile) : undefined;
      const env: ServiceEnv[] = df ? dockerEnv(df) : [];
      for (const f of svc.envFiles) {
        for (const e of envs.get(f.path)?.entries ?? []) env.push({ name: e.name, value: e.value, source: 'env_file', file: f.path, line: e.line });
      }
      for (const e of svc.environment) env.push({ name: e.name, ...(e.value !== undefined ? { value: e.value } : {}), source: 'environment', file: svc.file, line: e.line });
      const ports = [...(df ? dockerPorts(df) : []), ...svc.ports.map((p) => ({ value: p.value, file: svc.file, line: p.line }))];
      const s: DeployService = {
        name: svc.name,
        kind: 'compose',
        file: svc.file,
        line: svc.line,
        ...composeStart(svc, df),
        env,
        ports,
        devOnly: dev,
        compose: svc,
      };
      if (df) s.dockerfile = df;
      if (svc.build) s.context = svc.build.context;
      if (svc.image) s.image = svc.image.value;
      out.push(s);
    }
  }
  return out;
}

function dockerfileServices(model: ProjectModel, composed: Set<string>): DeployService[] {
  return model.get(dockerfiles).flatMap((df): DeployService[] => {
    if (!df.final) return [];
    const s: DeployService = {
      name: df.dir ? baseOf(df.dir) : baseOf(df.file),
      kind: 'dockerfile',
      file: df.file,
      line: df.final.line,
      dockerfile: df,
      context: df.dir,
      start: df.start?.commands ?? [],
      env: dockerEnv(df),
      ports: dockerPorts(df),
      devOnly: isDevOnlyPath(df.file),
      builtByCompose: composed.has(df.file),
    };
    if (df.start) s.startAt = { file: df.file, line: df.start.line, text: df.start.argv.join(' ') };
    return [s];
  });
}

function procfileServices(model: ProjectModel): DeployService[] {
  return model.get(procfiles).map((p) => ({
    name: p.type,
    kind: 'procfile',
    file: p.file,
    line: p.line,
    start: p.commands,
    startAt: { file: p.file, line: p.line, text: p.command },
    env: p.commands.flatMap((c) => Object.keys(c.env).map((name) => ({ name, value: c.env[name], source: 'command' as const, file: p.file, line: p.line }))),
    ports: [],
    devOnly: isDevOnlyPath(p.file),
  }));
}

/**
 * One entry per deployable service across compose files, Dockerfiles and Procfiles. Platform
 * files (railway, render, fly, nixpacks) add their own views in src/model/deploy/platform*.
 */
export const deployServices = defineFacts('deploy-services', (model): DeployService[] => {
  const compose = composeServices(model);
  const composed = new Set(compose.flatMap((s) => (s.dockerfile ? [s.dockerfile.file] : [])));
  return [...compose, ...dockerfileServices(model, composed), ...procfileServices(model)];
});
