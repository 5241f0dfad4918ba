import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a synthetic repository of `n` files shaped like a real monorepo: Python and TypeScript
 * services, docs, static assets, fixtures and data files. Deterministic for a given n.
 */
export function writeSyntheticRepo(root: string, n: number): void {
  const put = (p: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  };
  put('README.md', '# Synthetic\n\n```bash\ndocker compose up -d\n```\n');
  put('requirements.txt', 'fastapi==0.115.6\npydantic==2.10.4\npydantic-settings==2.7.1\nsqlalchemy==2.0.36\n');
  put('package.json', JSON.stringify({ name: 'web', version: '1.0.0', dependencies: { express: '^4.19.0' } }, null, 2));
  put('docker-compose.yml', 'services:\n  api:\n    build: .\n    env_file: .env.example\n');
  put('.env.example', 'DATABASE_URL=\n');
  put('Dockerfile', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["uvicorn", "svc.pkg0.mod0:app"]\n');
  let i = 6;
  for (; i < n; i++) {
    const kind = i % 10;
    const pkg = `pkg${i % 40}`;
    if (kind < 3) {
      put(`svc/${pkg}/__init__.py`, '');
      put(
        `svc/${pkg}/mod${i}.py`,
        `import os\nimport json\nfrom typing import Any\n\nVALUE_${i} = os.getenv("VALUE_${i % 50}", "x")\n\n\ndef handler_${i}(data: dict[str, Any]) -> str:\n    total = sum(len(k) for k in data)\n    return json.dumps({"total": total, "value": VALUE_${i}})\n\n\nclass Service${i}:\n    def run(self, items):\n        return [handler_${i}(x) for x in items]\n`,
      );
    } else if (kind < 6) {
      put(
        `web/src/${pkg}/file${i}.ts`,
        `import { readFileSync } from 'node:fs';\n\nexport const port${i} = Number(process.env.PORT ?? 3000);\n\nexport function load${i}(p: string): string {\n  return readFileSync(p, 'utf8').trim();\n}\n`,
      );
    } else if (kind < 8) {
      put(`assets/${pkg}/img${i}.svg`, `<svg xmlns="http://www.w3.org/2000/svg"><rect width="${i}" height="1"/></svg>\n`);
    } else if (kind === 8) {
      put(`docs/${pkg}/page${i}.rst`, `Page ${i}\n=======\n\nSome text.\n`);
    } else {
      put(`data/${pkg}/rows${i}.csv`, `id,value\n${i},${i * 2}\n`);
    }
  }
}
