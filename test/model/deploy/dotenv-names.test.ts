import { realEnvPathFor } from '../../../src/model/deploy/dotenv.js';

test('realEnvPathFor strips the template word', () => {
  expect(['.env.example', '.env.prod-sample', 'api/.env.dev.example', 'example.env', '.env.sample', 'prod.env.example', '.env_template'].map(realEnvPathFor)).toEqual([
    '.env',
    '.env.prod',
    'api/.env.dev',
    '.env',
    '.env',
    'prod.env',
    '.env',
  ]);
});
