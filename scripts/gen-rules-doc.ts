import { writeFileSync } from 'node:fs';
import { rulesDoc } from './rules-doc.js';

writeFileSync('docs/rules.md', rulesDoc());
process.stdout.write('wrote docs/rules.md\n');
