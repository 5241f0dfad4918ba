import { ProjectModel } from '../../../src/model/project.js';
import { loadPythonParser } from '../../../src/model/python/parse.js';
import { declaredNames, likelyVersion, parseRequirement, poetryToPep440, pythonDependencies } from '../../../src/model/python/deps.js';

beforeAll(() => loadPythonParser());

test('PEP 508 requirements', () => {
  expect(parseRequirement('pydantic[email,dotenv] (>=2.0,<3) ; python_version >= "3.8"')).toEqual({
    name: 'pydantic',
    extras: ['email', 'dotenv'],
    specifier: '>=2.0,<3',
    marker: 'python_version >= "3.8"',
  });
  expect(parseRequirement('pkg @ git+https://x/y.git')).toMatchObject({ name: 'pkg', url: 'git+https://x/y.git' });
  expect(parseRequirement('not a requirement')).toBeUndefined();
});

test('Poetry constraints', () => {
  expect(poetryToPep440('^1.2.3')).toBe('>=1.2.3,<2');
  expect(poetryToPep440('^0.2.3')).toBe('>=0.2.3,<0.3');
  expect(poetryToPep440('~1.2.3')).toBe('>=1.2.3,<1.3');
  expect(poetryToPep440('2.5.3')).toBe('==2.5.3');
  expect(poetryToPep440('*')).toBe('');
});

test('likely installed version', () => {
  expect(likelyVersion('==2.5.3')).toBe('2.5.3');
  expect(likelyVersion('')).toBe('9999.0.0');
  expect(likelyVersion('<2')).toMatch(/^1\./);
  expect(likelyVersion('>=1.10,<3')).toMatch(/^2\./);
  expect(likelyVersion('~=1.7.4')).toMatch(/^1\.7\./);
  expect(likelyVersion('>=4.0.1,<4.1')).toMatch(/^4\.0\./);
  expect(likelyVersion('==4.*')).toMatch(/^4\./);
});

test('manifests of every kind', () => {
  const m = ProjectModel.fromFiles({
    'requirements.txt': '-r requirements/base.txt\n-c constraints.txt\nuvicorn[standard]==0.27.0  # server\n--index-url https://x\n-e git+https://github.com/a/b.git#egg=bpkg\n./libs/local\nrequests==2.31.0 \\\n    --hash=sha256:abc\n',
    'requirements/base.txt': 'pydantic[email]>=2\n',
    'constraints.txt': 'urllib3<2\n',
    'pyproject.toml': '[project]\ndependencies = ["httpx>=0.27"]\n[project.optional-dependencies]\ndev = ["pytest"]\n[tool.poetry.dependencies]\npython = "^3.11"\nPyYAML = {version = "^6.0", extras = []}\n',
    'Pipfile': '[packages]\nflask = "*"\n[dev-packages]\nblack = "==24.1"\n',
    'setup.cfg': '[options]\ninstall_requires =\n    click>=8\n',
    'setup.py': 'from setuptools import setup\nsetup(name="x", install_requires=["boto3>=1.30"])\n',
    'Dockerfile': 'FROM python:3.12\nRUN pip install --no-cache-dir gunicorn==22.0 -r requirements.txt\n',
    'poetry.lock': '[[package]]\nname = "starlette"\nversion = "0.36.3"\n',
  });
  const f = m.get(pythonDependencies);
  expect(f.deps.map((d) => `${d.name}${d.specifier}@${d.file}:${d.line}${d.optional ? '?' : ''}`).sort()).toEqual(
    [
      'black==24.1@Pipfile:4?',
      'boto3>=1.30@setup.py:2',
      'bpkg@requirements.txt:5',
      'click>=8@setup.cfg:3',
      'flask@Pipfile:2',
      'gunicorn==22.0@Dockerfile:2',
      'httpx>=0.27@pyproject.toml:2',
      'pydantic>=2@requirements/base.txt:1',
      'pytest@pyproject.toml:4?',
      'pyyaml>=6.0,<7@pyproject.toml:7',
      'requests==2.31.0@requirements.txt:7',
      'uvicorn==0.27.0@requirements.txt:3',
    ].sort(),
  );
  expect(f.constraints.map((d) => d.name)).toEqual(['urllib3']);
  expect(f.locked.get('starlette')?.version).toBe('0.36.3');
  const names = declaredNames(f);
  expect(names.has('email-validator')).toBe(true);
  expect(names.has('uvloop')).toBe(true);
  expect(f.uncertain).toEqual([]);
});
