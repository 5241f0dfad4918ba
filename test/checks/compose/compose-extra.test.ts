import { ProjectModel } from '../../../src/model/project.js';
import { composeStacks, composeUsage, envFileKeys, parseImageRef, repoImages, storeOfImage } from '../../../src/model/compose-extra.js';

/** The facts the compose rules share: image references, stores, how compose is invoked, stacks. */
describe('image references and stores', () => {
  test('registry with port, tag and digest; official images', () => {
    expect(parseImageRef('registry.local:5000/acme/api:1.2@sha256:abc')).toMatchObject({ repo: 'registry.local:5000/acme/api', name: 'api', tag: '1.2', digest: 'sha256:abc', official: false });
    expect(parseImageRef('docker.io/library/postgres:16')).toMatchObject({ repo: 'postgres', official: true, tag: '16' });
    expect(parseImageRef('ghcr.io/acme/api:${TAG}').interpolated).toBe(true);
  });

  test('data directories: postgres before and after 18, bitnami', () => {
    expect(storeOfImage('postgres:16-alpine')?.dataDirs[0]).toBe('/var/lib/postgresql/data');
    expect(storeOfImage('postgres:18')?.dataDirs).toEqual(['/var/lib/postgresql']);
    expect(storeOfImage('bitnami/postgresql:16')?.dataDirs).toEqual(['/bitnami/postgresql']);
    expect(storeOfImage('nginx:1.27')).toBeUndefined();
  });
});

describe('compose usage and stacks', () => {
  const model = ProjectModel.fromFiles({
    'docker-compose.yml': 'services:\n  api:\n    build: .\n    image: ghcr.io/acme/api:dev\n  db:\n    image: postgres:16\n',
    'docker-compose.override.yml': 'services:\n  api:\n    command: uvicorn app:app --reload\n',
    'docker-compose.prod.yml': 'services:\n  api:\n    restart: always\n',
    'ops/compose.yaml': 'services:\n  web:\n    extends:\n      file: ../docker-compose.base.yml\n      service: app\n',
    'docker-compose.base.yml': 'services:\n  app:\n    build: .\n    environment:\n      A: "1"\n',
    'deploy/.env': 'COMPOSE_FILE=../docker-compose.yml:../docker-compose.prod.yml\n',
    'scripts/release.sh': '#!/bin/sh\ncd "$(dirname "$0")/.."\nTAG=1 docker build -t ghcr.io/acme/worker:$TAG -f worker/Dockerfile worker\nIMAGE_TAG=1 docker compose up -d\n',
    'worker/Dockerfile': 'FROM python:3.12\n',
    Dockerfile: 'FROM python:3.12\n',
    'README.md': 'Deploy with `docker compose --env-file prod.env -f docker-compose.yml -f docker-compose.prod.yml up -d`.\n',
    'prod.env': 'SECRET=x\n',
    '.env.example': 'SECRET=\nDEBUG=\n',
  });

  test('-f groups, --env-file, COMPOSE_FILE and docker build -t', () => {
    const u = model.get(composeUsage);
    expect(u.invocations.map((i) => i.files)).toContainEqual(['docker-compose.yml', 'docker-compose.prod.yml']);
    expect(u.envFiles.map((e) => e.path)).toEqual(['prod.env']);
    expect(u.builds).toEqual([expect.objectContaining({ repo: 'ghcr.io/acme/worker', dockerfile: 'worker/Dockerfile', context: 'worker' })]);
    expect(u.assigned.has('IMAGE_TAG')).toBe(true);
    expect(u.assigned.has('TAG')).toBe(false); // set for docker build, not for compose
    expect(model.get(repoImages).get('ghcr.io/acme/api')?.[0]).toMatchObject({ dockerfile: 'Dockerfile', how: 'compose' });
  });

  test('stacks: the override and the -f overlay join the base; extends bases are marked', () => {
    const stacks = model.get(composeStacks);
    const main = stacks.find((s) => s.files.some((f) => f.file === 'docker-compose.yml'))!;
    expect(main.files.map((f) => f.file)).toEqual(['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml']);
    const api = main.services.get('api')!;
    expect(api.build?.context).toBe('');
    expect(api.restart).toBe('always');
    expect(api.command?.file).toBe('docker-compose.override.yml');
    const web = stacks.find((s) => s.files.some((f) => f.file === 'ops/compose.yaml'))!.services.get('web')!;
    expect(web.environment.map((e) => e.name)).toEqual(['A']);
    expect(web.incomplete).toBe(false);
    const base = stacks.find((s) => s.files.some((f) => f.file === 'docker-compose.base.yml'))!.services.get('app')!;
    expect(base.extendsBase).toBe(true);
  });

  test('env file keys: a git-ignored .env is judged by its template; no template means unknown', () => {
    expect(envFileKeys(model, '.env')).toMatchObject({ known: true, file: '.env.example', template: true });
    expect(envFileKeys(model, 'config/.env')).toEqual({ known: false });
  });
});
