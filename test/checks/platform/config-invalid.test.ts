import check from '../../../checks/platform/config-invalid.js';
import { checkTable } from '../../helpers/check-tester.js';

checkTable(check, {
  valid: [
    {
      name: 'report 003: railway.json and nixpacks.toml as documented',
      files: {
        'backend/railway.json': JSON.stringify(
          { $schema: 'https://railway.app/railway.schema.json', build: { builder: 'NIXPACKS' }, deploy: { startCommand: 'uvicorn app.main:app --host 0.0.0.0 --port $PORT', restartPolicyType: 'ON_FAILURE', restartPolicyMaxRetries: 10 } },
          null,
          2,
        ),
        'backend/nixpacks.toml': '[phases.setup]\nnixPkgs = ["python311", "postgresql"]\n\n[phases.install]\ncmds = ["pip install -r requirements.txt"]\n\n[phases.build]\ncmds = ["echo \'Build complete\'"]\n\n[start]\ncmd = "uvicorn app.main:app --host 0.0.0.0 --port $PORT"\n',
      },
    },
    {
      name: 'render, fly and railway.toml with settings this rule does not know, environment overrides and custom sections',
      files: {
        'render.yaml': 'services:\n  - type: web\n    name: api\n    runtime: python\n    healthCheckPath: /health\n    someNewSetting: true\n    envVars:\n      - key: PYTHON_VERSION\n        value: 3.11.4\ndatabases:\n  - name: db\n',
        'fly.toml': 'app = "x"\nprimary_region = "ams"\n[env]\n  PORT = "8080"\n  healthcheckpath = "/x"\n[http_service]\n  internal_port = 8080\n  [[http_service.checks]]\n    path = "/health"\n[[vm]]\n  memory = "1gb"\n',
        'railway.toml': '[build]\nbuilder = "DOCKERFILE"\n\n[deploy]\nstartCommand = "node server.js"\n\n[environments.staging.deploy]\nnumReplicas = 1\n',
        'mobile/app.json': '{ "expo": { "name": "x" } ',
      },
    },
  ],
  invalid: [
    {
      name: 'files that do not parse',
      files: {
        'railway.json': '{\n  "deploy": {\n    "startCommand": "npm start",\n  }\n}\n',
        'fly.toml': 'app = "x"\n[http_service\ninternal_port = 8080\n',
        'render.yaml': 'services:\n  - type: web\n   name: api\n',
      },
      errors: [
        { file: 'railway.json', line: 4, message: ['not valid JSON'] },
        { file: 'fly.toml', line: 2, message: ['not valid TOML'] },
        { file: 'render.yaml', line: 3, message: ['not valid YAML'] },
      ],
    },
    {
      name: 'misspelt and misplaced keys',
      files: {
        'render.yaml': 'services:\n  - type: web\n    name: api\n    healthcheckPath: /health\n    start_command: gunicorn app:app\n',
        'railway.json': JSON.stringify({ startCommand: 'npm start', deploy: { healthCheckPath: '/health' } }, null, 2),
        'nixpacks.toml': '[start]\ncommand = "node server.js"\n',
        'fly.toml': 'app = "x"\n[http_services]\n  internal_port = 8080\n',
      },
      errors: [
        { file: 'render.yaml', line: 4, message: ['`healthcheckPath`', '`healthCheckPath`'], fix: ['Rename'] },
        { file: 'render.yaml', line: 5, message: ['`startCommand`'] },
        { file: 'railway.json', line: 2, message: ['top level', '`deploy`'], fix: ['Move'] },
        { file: 'railway.json', line: 4, message: ['`healthcheckPath`'] },
        { file: 'nixpacks.toml', line: 2, message: ['`cmd`'] },
        { file: 'fly.toml', line: 2, message: ['`http_service`'] },
      ],
    },
    {
      name: 'values of the wrong type',
      files: { 'fly.toml': 'app = "x"\n[http_service]\n  internal_port = "8080"\n', 'nixpacks.toml': '[start]\ncmd = ["node", "x.js"]\n' },
      errors: [
        { file: 'fly.toml', line: 3, message: ['a number'] },
        { file: 'nixpacks.toml', line: 2, message: ['a string'] },
      ],
    },
  ],
});
