/**
 * Parsers that need asynchronous set-up (WebAssembly grammars) are loaded here, before the model
 * is built, and only when the scan read a file that needs them; facts then parse synchronously.
 */
type Preparer = { matches: (path: string) => boolean; load: () => Promise<void> };

const preparers: Preparer[] = [];

/** Registers an async loader, run once per process when a scan reads a matching file. */
export function registerPreparer(p: Preparer): void {
  preparers.push(p);
}

export async function prepareParsers(paths: readonly string[]): Promise<void> {
  for (const p of preparers) {
    if (paths.some(p.matches)) await p.load();
  }
}
