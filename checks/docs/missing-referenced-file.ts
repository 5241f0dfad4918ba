import { defineCheck, type Report } from '../../src/engine/check.js';
import { COMMAND_REF_FILES, documentedFileRefs, similarFiles, type DocumentedRef } from '../../src/model/commands.js';

/** The command, named the way its file names it. */
function describe(r: DocumentedRef): string {
  const first = r.text.split('\n')[0]!;
  const cmd = `\`${first.length > 120 ? first.slice(0, 117) + '...' : first}${r.text.includes('\n') ? ' ...' : ''}\``;
  switch (r.source) {
    case 'markdown':
      return `The documented command ${cmd}`;
    case 'makefile':
      return `The make recipe ${cmd}${r.label ? ` (target \`${r.label}\`)` : ''}`;
    case 'package-json':
      return `The npm script \`${r.label ?? ''}\` (${cmd})`;
    case 'workflow':
      return `The workflow step ${cmd}${r.label ? ` (job \`${r.label}\`)` : ''}`;
    default:
      return `The script line ${cmd}`;
  }
}

export default defineCheck({
  id: 'docs/missing-referenced-file',
  title: 'Command names a file that is not in the repository',
  severity: 'high',
  files: COMMAND_REF_FILES,
  docs:
    'A command in a README, docs page, Makefile, shell script, package.json script or workflow `run:` step names a ' +
    'file of the repository that does not exist: `docker compose -f docker-compose.prod.yml up`, `./scripts/deploy.sh`, ' +
    '`cp .env.production .env`, `pip install -r requirements/prod.txt`. Whoever follows the instructions (or the CI ' +
    'job, or the deploy script) stops at that line with "No such file or directory". Paths are resolved against the ' +
    "command's directory (`cd backend && ...`) and the file's own folder; files the same file creates first (`mkdir`, " +
    '`cp X Y`, `> out`, `-o out`, `git clone`), gitignored files, build output, virtualenvs, URLs, variables and ' +
    'placeholders are never reported.',
  fix: 'Commit the missing file, or change the command to the path that exists.',
  effort: 10,
  example: '```bash\ndocker compose -f docker-compose.prod.yml up -d   # no such file in the repo\n```',
  run(model) {
    const reports: Report[] = [];
    const missing = model
      .get(documentedFileRefs)
      .filter((r) => r.status === 'missing' && (r.confidence === 'high' || r.source !== 'markdown'));
    // One finding per file and missing path, at its first mention; later mentions are listed.
    const groups = new Map<string, DocumentedRef[]>();
    for (const r of missing) {
      const k = `${r.file}\0${r.resolved}`;
      const g = groups.get(k) ?? [];
      g.push(r);
      groups.set(k, g);
    }
    for (const refs of groups.values()) {
      const r = refs[0]!;
      const others = [...new Set(refs.slice(1).map((x) => x.line))].filter((l) => l !== r.line);
      const also = others.length ? ` (also on line${others.length > 1 ? 's' : ''} ${others.join(', ')})` : '';
      const alternatives = similarFiles(model, r.resolved);
      const fix = alternatives.length
        ? `Point the command at the file that exists (${alternatives.map((a) => `\`${a}\``).join(', ')}), ` +
          `e.g. \`${r.text.split('\n')[0]!.replace(r.path, relativeHint(r, alternatives[0]!))}\`, or commit \`${r.resolved}\`.`
        : `Commit \`${r.resolved}\` (it is referenced but was never added), or change the command to a path that exists.`;
      reports.push({
        file: r.file,
        line: r.line,
        key: r.resolved,
        message:
          `${describe(r)}${also} ${r.role} \`${r.path}\`, but \`${r.resolved}\` is not in the repository: ` +
          'following this step fails with "No such file or directory".',
        fix,
      });
    }
    return reports;
  },
});

/** The alternative path written the way the command wrote the missing one (relative to its folder). */
function relativeHint(r: DocumentedRef, alt: string): string {
  const prefix = r.resolved.endsWith(r.path.replace(/^\.\//, '')) ? r.resolved.slice(0, r.resolved.length - r.path.replace(/^\.\//, '').length) : '';
  const rel = prefix && alt.startsWith(prefix) ? alt.slice(prefix.length) : alt;
  return r.path.startsWith('./') && !rel.startsWith('./') ? `./${rel}` : rel;
}
