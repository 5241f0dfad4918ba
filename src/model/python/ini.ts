/**
 * A minimal reader for the INI files Python tools use (setup.cfg, pytest.ini, tox.ini): enough for
 * the few keys the model needs, not a general configparser.
 */

/** `key = value` lines of one INI section (setup.cfg, pytest.ini, tox.ini); continuation lines joined. */
export function iniSection(text: string, section: string): Map<string, string> {
  const out = new Map<string, string>();
  let inSection = false;
  let key: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+[#;].*$/, '');
    if (/^\s*[#;]/.test(raw) || !line.trim()) continue;
    const head = /^\[([^\]]+)\]/.exec(line);
    if (head) {
      inSection = head[1]!.trim() === section;
      key = undefined;
      continue;
    }
    if (!inSection) continue;
    if (/^\s/.test(line) && key) {
      out.set(key, `${out.get(key)}\n${line.trim()}`);
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (kv) {
      key = kv[1]!.trim();
      out.set(key, kv[2]!.trim());
    }
  }
  return out;
}
