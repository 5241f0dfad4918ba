import check from '../../../checks/compose/stale-pinned-image.js';
import { checkTable } from '../../helpers/check-tester.js';
import { fixtureFiles } from './fixtures.js';

const DF = 'FROM python:3.12-slim\nCOPY . .\nCMD ["python", "-m", "app"]\n';

checkTable(check, {
  valid: [
    {
      name: 'official images, moving tags and tags set by a variable',
      files: {
        'docker-compose.yml':
          'services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n  api:\n    image: ghcr.io/acme/api:latest\n  worker:\n    image: ghcr.io/acme/api:${TAG:-main}\n  web:\n    image: ${REGISTRY}/web:1.0.0\n',
        'docker-compose.build.yml': 'services:\n  api:\n    build: .\n    image: ghcr.io/acme/api:latest\n',
        Dockerfile: DF,
      },
    },
    {
      name: 'the same service is built by the auto-loaded override',
      files: {
        'compose.yml': 'services:\n  api:\n    image: acme/api:1.4.2\n',
        'compose.override.yml': 'services:\n  api:\n    build: .\n',
        Dockerfile: DF,
      },
    },
    {
      name: 'a pinned third-party image, and a folder Dockerfile that builds on top of the image',
      files: {
        'docker-compose.yml': 'services:\n  search:\n    image: bitnami/elasticsearch:8.14.1\n  grafana:\n    image: grafana/grafana:11.0.0\n',
        'grafana/Dockerfile': 'FROM grafana/grafana:11.0.0\nCOPY dashboards /etc/grafana/dashboards\n',
        'grafana/dashboards/a.json': '{}',
      },
    },
    {
      name: 'report 003 (Railway + Procfile, no compose) stays silent',
      files: fixtureFiles('test/fixtures/report-003'),
    },
  ],
  invalid: [
    {
      name: 'report 002: digest-pinned backend image that scripts/docker/build-push.sh builds',
      files: fixtureFiles('test/fixtures/report-002'),
      errors: [
        {
          file: 'backend/docker-compose.yml',
          line: 17,
          severity: 'high',
          message: ['harystyles/privexbot-backend@sha256:9fb3b1d1', 'digest', 'backend/scripts/docker/build-push.sh:4', 'backend/Dockerfile'],
          fix: ['build:\n      context: .\n', 'build-push.sh'],
        },
      ],
    },
    {
      name: 'a prod compose pins a tag of the image the dev compose builds',
      files: {
        'docker-compose.yml': 'services:\n  api:\n    build:\n      context: ./backend\n      dockerfile: docker/Dockerfile\n    image: registry.example.com/shop/api:dev\n',
        'deploy/docker-compose.prod.yml': 'services:\n  api:\n    image: registry.example.com/shop/api:2024.06.1\n    restart: always\n',
        'backend/docker/Dockerfile': DF,
      },
      errors: [
        {
          file: 'deploy/docker-compose.prod.yml',
          line: 3,
          severity: 'high',
          message: ['pinned by tag', 'docker-compose.yml:6 builds it from backend/docker/Dockerfile'],
          fix: ['context: ../backend', 'dockerfile: docker/Dockerfile'],
        },
      ],
    },
    {
      name: 'a folder named like the image is a weaker match (medium)',
      files: {
        'docker-compose.yml': 'services:\n  worker:\n    image: acme/worker:0.9.3\n',
        'worker/Dockerfile': DF,
      },
      errors: [{ file: 'docker-compose.yml', line: 3, severity: 'medium', message: ['worker/Dockerfile sits in a folder named like the image'] }],
    },
  ],
});
