import { ProjectModel } from '../../../src/model/project.js';
import { prepareParsers } from '../../../src/model/parsers.js';
import { envReads } from '../../../src/model/env-reads.js';
import { fieldEnvNames, pySettingsFiles, settingsClasses } from '../../../src/model/python/settings.js';

async function model(files: Record<string, string>): Promise<ProjectModel> {
  await prepareParsers(Object.keys(files));
  return ProjectModel.fromFiles(files);
}

describe('python settings model', () => {
  test('pydantic v1 BaseSettings: Config.env_prefix, env=, Optional default', async () => {
    const m = await model({
      'app/config.py': [
        'from typing import Optional',
        'from pydantic import BaseSettings, Field',
        'class Settings(BaseSettings):',
        '    database_url: str',
        '    redis_url: str = "redis://localhost:6379/0"',
        '    sentry: Optional[str]',
        '    token: str = Field(..., env="GH_TOKEN")',
        '    class Config:',
        '        env_prefix = "APP_"',
      ].join('\n'),
    });
    const [cls] = m.get(settingsClasses);
    expect(cls?.flavour).toBe('pydantic-v1');
    expect(cls?.envPrefix).toBe('APP_');
    const names = cls!.allFields.map((f) => [fieldEnvNames(cls!, f)[0], f.hasDefault, f.defaultValue]);
    expect(names).toEqual([
      ['APP_DATABASE_URL', false, undefined],
      ['APP_REDIS_URL', true, 'redis://localhost:6379/0'],
      ['APP_SENTRY', true, undefined],
      ['GH_TOKEN', false, undefined],
    ]);
  });

  test('pydantic-settings v2: model_config, aliases, inheritance, guarded validator', async () => {
    const m = await model({
      'src/settings/base.py': [
        'from pydantic import AliasChoices, Field, field_validator',
        'from pydantic_settings import BaseSettings, SettingsConfigDict',
        'class AppSettings(BaseSettings):',
        '    model_config = SettingsConfigDict(env_prefix="svc_", case_sensitive=False)',
        '    secret_key: str = "changeme"',
        '    api: str = Field(validation_alias=AliasChoices("API_URL", "API"))',
        '    @field_validator("secret_key")',
        '    @classmethod',
        '    def strong(cls, v):',
        '        if v == "changeme":',
        '            raise ValueError("set SECRET_KEY")',
        '        return v',
      ].join('\n'),
      'src/settings/prod.py': ['from .base import AppSettings', 'class Prod(AppSettings):', '    debug: bool = False', 'settings = Prod()'].join('\n'),
    });
    const classes = m.get(settingsClasses);
    const prod = classes.find((c) => c.name === 'Prod')!;
    expect(prod.envPrefix).toBe('svc_');
    expect(prod.allFields.map((f) => fieldEnvNames(prod, f))).toEqual([['SVC_SECRET_KEY'], ['API_URL', 'API'], ['SVC_DEBUG']]);
    const reads = m.get(envReads);
    expect(reads.find((r) => r.name === 'SVC_SECRET_KEY')).toMatchObject({ guarded: true, hasDefault: true, defaultValue: 'changeme', via: 'AppSettings.secret_key' });
    expect(reads.find((r) => r.name === 'API_URL')).toMatchObject({ hasDefault: false });
  });

  test('os.getenv, os.environ[...], environ.get, decouple, django-environ; writes and tests are not reads', async () => {
    const m = await model({
      'svc/requirements.txt': 'fastapi\n',
      'svc/app.py': [
        'import os',
        'from os import environ',
        'from decouple import config',
        'import environ as djenv',
        'env = djenv.Env(DEBUG=(bool, False))',
        'A = os.getenv("A", "x")',
        'B = os.environ["B"]',
        'C = environ.get("C")',
        'D = config("D", default=5, cast=int)',
        'E = config("E")',
        'os.environ["W"] = "1"',
        'DEBUG = env("DEBUG")',
        'DB = env.db()',
        'if "Z" in os.environ: pass',
        'G = os.environ.get("G") or "fallback"',
        'def f():',
        '    return os.environ.get("F", "")',
      ].join('\n'),
      'svc/tests/test_app.py': 'import os\nX = os.environ["TEST_ONLY"]\n',
    });
    const reads = m.get(envReads).map((r) => [r.name, r.line, r.hasDefault, r.defaultValue ?? null, r.via, r.root]);
    expect(reads).toEqual([
      ['A', 6, true, 'x', 'os.getenv', 'svc'],
      ['B', 7, false, null, 'os.environ[]', 'svc'],
      ['C', 8, false, null, 'os.environ.get', 'svc'],
      ['D', 9, true, '5', 'decouple.config', 'svc'],
      ['E', 10, false, null, 'decouple.config', 'svc'],
      ['DEBUG', 12, true, 'false', 'environ.Env', 'svc'],
      ['DATABASE_URL', 13, false, null, 'environ.Env', 'svc'],
      ['G', 15, true, 'fallback', 'os.environ.get', 'svc'],
      ['F', 17, true, '', 'os.environ.get', 'svc'],
    ]);
  });

  test('Django settings values and DJANGO_SETTINGS_MODULE', async () => {
    const m = await model({
      'proj/settings.py': 'import os\nDEBUG = True\nSECRET_KEY = os.environ["SECRET_KEY"]\nINSTALLED_APPS = ["a"]\n',
      'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    });
    const files = pySettingsFiles(m);
    expect(files.get('proj/settings.py')?.django?.map((s) => [s.name, s.value, s.fromEnv])).toEqual([
      ['DEBUG', true, false],
      ['SECRET_KEY', undefined, true],
      ['INSTALLED_APPS', ['a'], false],
    ]);
    expect(files.get('proj/wsgi.py')?.djangoSettingsModule).toEqual([{ value: 'proj.settings', line: 2 }]);
  });
  test('a settings hierarchy thousands of classes deep resolves without running out of stack', async () => {
    // 8,000 overflowed the recursive resolver this replaces.
    const depth = 8_000;
    const lines = ['from pydantic_settings import BaseSettings', 'class S0(BaseSettings):', '    root_url: str'];
    for (let k = 1; k <= depth; k++) lines.push(`class S${k}(S${k - 1}):`, `    f${k}: int = ${k}`);
    const m = await model({ 'app/settings.py': lines.join('\n') });
    const classes = m.get(settingsClasses);
    expect(classes).toHaveLength(depth + 1);
    const near = classes.find((c) => c.name === 'S10')!;
    expect(near.allFields.map((f) => f.name)).toEqual(['root_url', ...Array.from({ length: 10 }, (_, k) => `f${k + 1}`)]);
    // Past 64 classes of ancestry the walk stops: bounded work for a generated hierarchy.
    const last = classes.find((c) => c.name === `S${depth}`)!;
    expect(last.allFields).toHaveLength(64);
    expect(last.allFields.at(-1)!.name).toBe(`f${depth}`);
  });
});
