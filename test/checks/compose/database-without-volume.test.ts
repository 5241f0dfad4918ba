import check from '../../../checks/compose/database-without-volume.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'named volumes, bind mounts, long syntax, PGDATA and a parent directory',
      files: {
        'docker-compose.yml':
          'services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n  mysql:\n    image: mysql:8\n    volumes:\n      - ./data/mysql:/var/lib/mysql:rw\n  mongo:\n    image: mongo:7\n    volumes:\n      - type: volume\n        source: mongo\n        target: /data/db\n  pg18:\n    image: postgres:18\n    volumes: [pg18:/var/lib/postgresql]\n  custom:\n    image: postgis/postgis:16-3.4\n    environment:\n      PGDATA: /pgdata/16\n    volumes: [gis:/pgdata]\nvolumes:\n  pgdata:\n  mongo:\n  pg18:\n  gis:\n',
      },
    },
    {
      name: 'redis as a cache, and official non-database images',
      files: { 'compose.yaml': 'services:\n  cache:\n    image: redis:7-alpine\n  web:\n    image: nginx:1.27\n  mq:\n    image: rabbitmq:3-management\n' },
    },
    {
      name: 'test and CI compose files want throw-away databases',
      files: {
        'docker-compose.test.yml': 'services:\n  db:\n    image: postgres:16\n',
        'ci/compose.yaml': 'services:\n  db:\n    image: mysql:8\n',
        '.github/compose.ci.yml': 'services:\n  db:\n    image: mongo:7\n',
      },
    },
    {
      name: 'tmpfs marks a deliberately ephemeral database',
      files: { 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    tmpfs:\n      - /var/lib/postgresql/data\n' },
    },
    {
      name: 'the volume comes from the auto-loaded override or an -f overlay',
      files: {
        'compose.yml': 'services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n    command: redis-server --appendonly yes\n',
        'compose.override.yml': 'services:\n  db:\n    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n',
        'compose.prod.yml': 'services:\n  cache:\n    volumes:\n      - redis:/data\nvolumes:\n  redis:\n',
        'deploy.sh': 'docker compose -f compose.yml -f compose.prod.yml up -d\n',
      },
    },
    {
      name: 'the volume is declared on the service it extends',
      files: {
        'docker-compose.yml': 'services:\n  db:\n    extends:\n      file: docker-compose.common.yml\n      service: postgres\n',
        'docker-compose.common.yml': 'services:\n  postgres:\n    image: postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\nvolumes:\n  pg:\n',
      },
    },
    {
      name: 'an extends base that cannot be read is not judged',
      files: { 'docker-compose.yml': 'services:\n  db:\n    extends:\n      file: common/services.yml\n      service: postgres\n    image: postgres:16\n' },
    },
  ],
  invalid: [
    {
      name: 'postgres with no volume in the production file',
      files: {
        'docker-compose.yml':
          'services:\n  api:\n    build: .\n  db:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n    volumes:\n      - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n',
      },
      errors: [{ file: 'docker-compose.yml', line: 5, severity: 'high', message: ['`db`', '/var/lib/postgresql/data', 'docker compose down'], fix: ['db_data:/var/lib/postgresql/data'] }],
    },
    {
      name: 'PGDATA moved below the mounted directory is not covered; anonymous volume; bitnami path',
      files: {
        'compose.yaml':
          'services:\n  db:\n    image: postgres:15\n    environment:\n      - PGDATA=/var/lib/postgresql/pgdata\n    volumes:\n      - pg:/var/lib/postgresql/data\n  mongo:\n    image: mongo:7\n    volumes:\n      - /data/db\n  maria:\n    image: bitnami/mariadb:11\n    volumes:\n      - maria:/var/lib/mysql\nvolumes:\n  pg:\n  maria:\n',
      },
      errors: [
        { file: 'compose.yaml', line: 3, message: ['/var/lib/postgresql/pgdata'] },
        { file: 'compose.yaml', line: 9, message: ['/data/db'] },
        { file: 'compose.yaml', line: 13, message: ['/bitnami/mysql'] },
      ],
    },
    {
      name: 'redis with persistence turned on, and a database built from the repo',
      files: {
        'docker-compose.yml': 'services:\n  redis:\n    image: redis:7\n    command: ["redis-server", "--appendonly", "yes"]\n  db:\n    build: ./docker/db\n',
        'docker/db/Dockerfile': 'FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n',
        'docker/db/init.sql': 'create table t(id int);\n',
      },
      errors: [
        { file: 'docker-compose.yml', line: 3, message: ['redis', '/data'] },
        { file: 'docker-compose.yml', line: 5, message: ['docker/db/Dockerfile'] },
      ],
    },
    {
      name: 'a database in a dev profile is low',
      files: { 'compose.yaml': 'services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n    profiles: [dev]\n' },
      errors: [{ file: 'compose.yaml', line: 5, severity: 'low' }],
    },
    {
      name: 'a dev compose file is low',
      files: { 'docker-compose.dev.yml': 'services:\n  db:\n    image: mariadb:11\n' },
      errors: [{ file: 'docker-compose.dev.yml', line: 3, severity: 'low' }],
    },
  ],
});
