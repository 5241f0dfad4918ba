import check from '../../../checks/compose/invalid-file.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    { name: 'a plain compose file', files: { 'docker-compose.yml': 'services:\n  api:\n    build: .\n' } },
    { name: 'an empty overlay', files: { 'compose.override.yml': '' } },
    {
      name: 'anchors, merge keys and a null service in an overlay',
      files: {
        'compose.yml': 'x-base: &base\n  restart: always\nservices:\n  api:\n    <<: *base\n    image: app:1\n  worker: *base\n',
        'compose.prod.yml': 'services:\n  api:\n',
      },
    },
    {
      name: 'a cookiecutter template is not YAML until rendered',
      files: {
        '{{cookiecutter.project_slug}}/docker-compose.local.yml': 'services:\n  django:{% if cookiecutter.use_celery == "y" %} &django{% endif %}\n    build: .\n',
        'template/docker-compose.yml': 'services:\n  {{ project_name }}:\n    build: .\n{% if db %}\n  db:\n    image: postgres\n{% endif %}\n',
      },
    },
    {
      name: 'the same key in different mappings, and merge keys',
      files: { 'compose.yml': 'x-a: &a\n  restart: always\nx-b: &b\n  init: true\nservices:\n  api:\n    <<: [*a, *b]\n    image: app\n    environment:\n      image: not-a-duplicate\n  worker:\n    <<: *a\n    image: app\n' },
    },
    { name: 'a YAML file that is not a compose file', files: { 'config/settings.yml': 'a: [\n' } },
  ],
  invalid: [
    {
      name: 'bad indentation',
      files: { 'docker-compose.yml': 'services:\n  api:\n    image: app\n   ports: ["8000:8000"]\n' },
      errors: [{ file: 'docker-compose.yml', line: 4, severity: 'critical', message: ['not valid YAML'], fix: ['docker compose -f docker-compose.yml config'] }],
    },
    {
      name: 'services written as a list',
      files: { 'compose.yaml': 'services:\n  - api\n  - db\n' },
      errors: [{ file: 'compose.yaml', line: 1, message: ['`services`', 'not a mapping'] }],
    },
    {
      name: 'a service that is a scalar, in a prod overlay',
      files: { 'deploy/docker-compose.prod.yml': 'services:\n  api:\n    image: app:1\n  worker: app:1\n' },
      errors: [{ file: 'deploy/docker-compose.prod.yml', line: 4, message: ['`worker`', 'services.worker must be a mapping'], fix: ['image: app:1'] }],
    },
    {
      name: 'a key written twice in one service',
      files: { 'docker-compose.yml': 'services:\n  api:\n    build: .\n    depends_on:\n      - db\n    ports: ["8000:8000"]\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n' },
      errors: [{ file: 'docker-compose.yml', line: 7, message: ['`depends_on` is written twice', 'lines 4 and 7'], fix: ['Merge'] }],
    },
    {
      name: 'top level is a list',
      files: { 'compose.yml': '- services:\n    api: {}\n' },
      errors: [{ file: 'compose.yml', line: 1, message: ['top level is a list'] }],
    },
  ],
});
