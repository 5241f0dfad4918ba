/**
 * `/readiness rescan` or `/readiness help` as the whole comment (surrounding whitespace and any
 * letter case allowed). Anything else, including a command inside a longer comment, is not a
 * command: quoting the syntax in a discussion must not trigger a scan.
 */
export function parseCommand(body: string | null | undefined): 'rescan' | 'help' | undefined {
  const m = /^\s*\/readiness\s+(rescan|help)\s*$/i.exec(body ?? '');
  return m ? (m[1]!.toLowerCase() as 'rescan' | 'help') : undefined;
}
