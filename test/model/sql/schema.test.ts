import { freezeAndMeasure } from '../../../src/engine/fact-cache.js';
import { applyOps, type SchemaOp } from '../../../src/model/sql/schema.js';
import type { ColumnDef } from '../../../src/model/sql/types.js';

/**
 * Migration ops are per-file facts that the fact cache shares between scans, frozen: applying
 * them must build its own tables and never change them.
 */
const col = (name: string, type: string): ColumnDef => ({ name, type, family: type === 'uuid' ? 'uuid' : 'integer', nullable: true, primaryKey: false, hasDefault: false, file: 'm.sql', line: 1 });

test('ALTER TYPE, SET NOT NULL and ADD COLUMN apply to copies: frozen ops stay as they were', () => {
  const ops: SchemaOp[] = [
    { op: 'create-table', table: 'item', columns: [col('id', 'integer')], file: 'm.sql', line: 1 },
    { op: 'add-column', table: 'item', column: col('owner_id', 'integer'), file: 'm.sql', line: 2 },
    { op: 'alter-type', table: 'item', column: 'id', type: 'uuid', family: 'uuid', file: 'm.sql', line: 3 },
    { op: 'set-nullable', table: 'item', column: 'owner_id', nullable: false, file: 'm.sql', line: 4 },
  ];
  freezeAndMeasure(ops);
  const schema = applyOps(ops);
  const item = schema.tables.get('item')!;
  expect(item.columns.get('id')).toMatchObject({ type: 'uuid', family: 'uuid' });
  expect(item.columns.get('owner_id')).toMatchObject({ nullable: false });
  // A second application (another rule, or the next scan) starts from the same migrations.
  expect(applyOps(ops).tables.get('item')!.columns.get('id')).toMatchObject({ type: 'uuid' });
  expect(ops[0]).toMatchObject({ columns: [{ type: 'integer' }] });
});
