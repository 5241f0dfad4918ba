import { findInterpolations } from '../../../src/model/deploy/interpolation.js';
import { parseCompose } from '../../../src/model/deploy/compose.js';

const COMPOSE = `x-env: &common
  LOG_LEVEL: info
services:
  api:
    build:
      context: ./backend
      dockerfile: Dockerfile.prod
    command: sh -c "alembic upgrade head && uvicorn app.main:app --host 0.0.0.0"
    environment:
      <<: *common
      DATABASE_URL: postgresql://app:\${POSTGRES_PASSWORD:-changeme}@db/app
      SECRET_KEY: \${SECRET_KEY?set it}
      DEBUG:
    env_file:
      - .env
      - path: ./secrets.env
        required: false
    ports: ["8000:8000", {target: 9000, published: 9001}]
    depends_on:
      db:
        condition: service_healthy
      migrate:
        condition: service_completed_successfully
    restart: unless-stopped
    profiles: [web]
  db:
    image: postgres:16
    environment:
      - POSTGRES_PASSWORD=postgres
      - POSTGRES_USER
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
    volumes:
      - pgdata:/var/lib/postgresql/data
  worker:
    build: .
    command: ["celery", "-A", "app.worker", "worker"]
    depends_on: [db]
volumes:
  pgdata:
`;

describe('parseCompose', () => {
  const cf = parseCompose('deploy/docker-compose.yml', COMPOSE);
  const [api, db, worker] = cf.services;

  test('services with lines, build paths resolved against the file', () => {
    expect(cf.services.map((s) => [s.name, s.line])).toEqual([
      ['api', 4],
      ['db', 26],
      ['worker', 35],
    ]);
    expect(api!.build).toMatchObject({ context: 'deploy/backend', dockerfile: 'deploy/backend/Dockerfile.prod', line: 5, dockerfileLine: 7 });
    expect(worker!.build).toMatchObject({ context: 'deploy', dockerfile: 'deploy/Dockerfile' });
    expect(db!.image).toEqual({ value: 'postgres:16', line: 27 });
  });

  test('environment as map (merge keys, pass-through) and list, with lines', () => {
    expect(api!.environment.map((e) => [e.name, e.value, e.line])).toEqual([
      ['DATABASE_URL', 'postgresql://app:${POSTGRES_PASSWORD:-changeme}@db/app', 11],
      ['SECRET_KEY', '${SECRET_KEY?set it}', 12],
      ['DEBUG', undefined, 13],
      ['LOG_LEVEL', 'info', 2],
    ]);
    expect(db!.environment.map((e) => [e.name, e.value, e.line])).toEqual([
      ['POSTGRES_PASSWORD', 'postgres', 29],
      ['POSTGRES_USER', undefined, 30],
    ]);
  });

  test('env_file, ports, depends_on, healthcheck, volumes, restart, profiles', () => {
    expect(api!.envFiles).toEqual([
      { raw: '.env', path: 'deploy/.env', required: true, line: 15 },
      { raw: './secrets.env', path: 'deploy/secrets.env', required: false, line: 16 },
    ]);
    expect(api!.ports.map((p) => [p.published, p.target])).toEqual([
      ['8000', '8000'],
      ['9001', '9000'],
    ]);
    expect(api!.dependsOn.map((d) => [d.service, d.condition, d.explicit])).toEqual([
      ['db', 'service_healthy', true],
      ['migrate', 'service_completed_successfully', true],
    ]);
    expect(worker!.dependsOn).toEqual([{ service: 'db', condition: 'service_started', explicit: false, line: 38 }]);
    expect(db!.healthcheck).toMatchObject({ test: ['CMD-SHELL', 'pg_isready -U postgres'], text: 'pg_isready -U postgres', disabled: false });
    expect(db!.volumes).toEqual([{ value: 'pgdata:/var/lib/postgresql/data', source: 'pgdata', target: '/var/lib/postgresql/data', line: 34 }]);
    expect(api!.restart).toEqual({ value: 'unless-stopped', line: 24 });
    expect(api!.profiles).toEqual(['web']);
    expect(cf.namedVolumes).toEqual(['pgdata']);
  });

  test('commands: string form split by the shell parser, list form kept as argv', () => {
    expect(api!.command?.form).toBe('string');
    expect(api!.command?.commands.map((c) => c.argv[0])).toEqual(['alembic', 'uvicorn']);
    expect(worker!.command).toMatchObject({ form: 'list', argv: ['celery', '-A', 'app.worker', 'worker'], line: 37 });
  });

  test('interpolations with lines', () => {
    expect(cf.interpolations.map((i) => [i.name, i.modifier, i.operand, i.line])).toEqual([
      ['POSTGRES_PASSWORD', ':-', 'changeme', 11],
      ['SECRET_KEY', '?', 'set it', 12],
    ]);
  });

  test('a YAML error is recorded, not thrown', () => {
    const bad = parseCompose('docker-compose.yml', 'services:\n  api:\n    image: [unclosed\n');
    expect(bad.error?.line).toBeGreaterThan(0);
    expect(bad.services).toEqual([]);
  });
});

describe('findInterpolations', () => {
  test('nested defaults, $$ escapes, bare $VAR', () => {
    expect(findInterpolations('$$HOME ${A:-${B:-x}} $C ${D-} ${E:+y}').map((i) => [i.name, i.modifier, i.operand])).toEqual([
      ['A', ':-', '${B:-x}'],
      ['B', ':-', 'x'],
      ['C', undefined, undefined],
      ['D', '-', ''],
      ['E', ':+', 'y'],
    ]);
  });
});
