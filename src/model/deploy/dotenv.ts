import { parse } from 'dotenv';
import { defineFacts } from '../project.js';
import { baseOf, dirOf, isEnvFilePath } from './files.js';

export interface EnvFileEntry {
  name: string;
  value: string;
  line: number;
}

export interface EnvFile {
  file: string;
  dir: string;
  /**
   * True for templates meant to be copied and filled in by a human: `.env.example`, `.env.sample`,
   * `.env.template`, `.env.dist`, `example.env`... Their placeholders are normal.
   */
  template: boolean;
  entries: EnvFileEntry[];
  values: Record<string, string>;
  /**
   * Templates only: optional variables documented as commented-out assignments
   * (`# REDIS_URL=redis://...`). They document a setting but set nothing, so only the
   * "is it documented" rules read them.
   */
  commented: EnvFileEntry[];
}

const TEMPLATE_WORD = /(^|[._-])(example|examples|sample|samples|template|tmpl|tpl|dist|default|defaults|skel|stub|schema|ref|reference)([._-]|$)/i;

export function isTemplateEnvFile(p: string): boolean {
  return TEMPLATE_WORD.test(baseOf(p));
}

/**
 * The real file a template stands for: `.env.example` → `.env`, `.env.prod-sample` → `.env.prod`,
 * `.env.dev.example` → `.env.dev`, `example.env` → `.env`.
 */
export function realEnvPathFor(template: string): string {
  const dir = dirOf(template);
  let base = baseOf(template).replace(TEMPLATE_WORD, (_m, pre: string, _w: string, post: string) => (pre && post ? pre : ''));
  if (base === '' || base === 'env') base = '.env';
  else if (!base.startsWith('.env') && !base.endsWith('.env')) base = `${base}.env`;
  return dir ? `${dir}/${base}` : base;
}

/**
 * Line of each key's last definition (dotenv keeps the last one). The key match is lexical:
 * optional `export `, the name, then `=` or `:` as dotenv's grammar allows.
 */
function keyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  text.split(/\r?\n/).forEach((l, idx) => {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*[=:]/.exec(l);
    if (m) out.set(m[1]!, idx + 1);
  });
  return out;
}

/** Parses one env file with dotenv's own parser, adding the line of each key. */
export function parseEnvFile(file: string, text: string): EnvFile {
  let values: Record<string, string> = {};
  try {
    values = parse(text);
  } catch {
    values = {};
  }
  const lines = keyLines(text);
  const entries = Object.entries(values).map(([name, value]) => ({ name, value, line: lines.get(name) ?? 1 }));
  const template = isTemplateEnvFile(file);
  return { file, dir: dirOf(file), template, entries, values, commented: template ? commentedEntries(text, values) : [] };
}

/** `# NAME=value` lines of a template, each comment body parsed with dotenv like a live line. */
function commentedEntries(text: string, live: Record<string, string>): EnvFileEntry[] {
  const out: EnvFileEntry[] = [];
  text.split(/\r?\n/).forEach((l, idx) => {
    const body = /^\s*#+\s*(.*)$/.exec(l)?.[1];
    if (!body) return;
    let parsed: Record<string, string> = {};
    try {
      parsed = parse(body);
    } catch {
      return;
    }
    for (const [name, value] of Object.entries(parsed)) {
      if (/^[A-Z][A-Z0-9_]*$/.test(name) && !(name in live)) out.push({ name, value, line: idx + 1 });
    }
  });
  return out;
}

/** Every env file the scan read (`.env`, `.env.*`, `*.env`), parsed once. */
export const envFiles = defineFacts('deploy-env-files', (model): EnvFile[] =>
  model
    .read('**/*')
    .filter(isEnvFilePath)
    .map((f) => parseEnvFile(f, model.text(f) ?? '')),
);
