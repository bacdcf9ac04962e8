// The CLI's partition settings: `partitions` and `connections` in the config schema, the connection
// budget that sizes the pools and lowers `concurrency`, and the status/report lines that fold an
// entity's key ranges into one line with the ranges under it.

import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load-config.js';
import { groupPartitions, withPartitionRows } from '../src/report/partition-groups.js';
import { connectionBudget } from '../src/session/connection-budget.js';

const valid = {
  source: { kind: 'o11-sql', client: 'mysql2', connection: { env: 'O11_URL' } },
  target: { kind: 'postgres', connection: { env: 'ODC_URL' }, mode: 'copy' },
};

describe('partition settings', () => {
  it('accepts partitions as a number or per entity, and refuses 0 and unknown fields', () => {
    expect(validateConfig({ ...valid, partitions: 4 }).partitions).toBe(4);
    const perEntity = { default: 1, entities: { 'Sales.Order': 8 } };
    expect(validateConfig({ ...valid, partitions: perEntity }).partitions).toEqual(perEntity);
    expect(() => validateConfig({ ...valid, partitions: 0 })).toThrow('/partitions');
    expect(() => validateConfig({ ...valid, partitions: { entities: { A: 0 } } })).toThrow('/partitions');
    expect(() => validateConfig({ ...valid, partitions: { every: 2 } })).toThrow('/partitions');
    expect(() => validateConfig({ ...valid, connections: 2 })).toThrow('/connections');
  });

  it('sizes the pools from concurrency, or fits concurrency into a connection budget', () => {
    expect(connectionBudget({})).toEqual({ concurrency: 2, source: 4, target: 6 });
    expect(connectionBudget({ concurrency: 8 })).toEqual({ concurrency: 8, source: 8, target: 18 });
    expect(connectionBudget({ concurrency: 8, connections: 10 })).toEqual({
      concurrency: 4,
      source: 4,
      target: 6,
    });
    expect(connectionBudget({ concurrency: 2, connections: 40 })).toEqual({
      concurrency: 2,
      source: 2,
      target: 38,
    });
    expect(connectionBudget({ concurrency: 8, connections: 4 }).concurrency).toBe(1);
  });

  it('folds key ranges into one line per entity, least finished status first, layouts left out', () => {
    const line = (entity: string, status: string, rows: number) => ({
      entity,
      status,
      rowsRead: rows,
      rowsWritten: rows,
      rowsRejected: 0,
      rowsFiltered: 0,
    });
    const lines = [
      line('Sales.Customer', 'completed', 5),
      line('Sales.Order[partitions]', 'completed', 0),
      line('Sales.Order[1/3]', 'completed', 10),
      line('Sales.Order[2/3]', 'running', 4),
      line('Sales.Order[3/3]', 'completed', 10),
      line('Sales.Line[1/2]', 'completed', 7),
    ];
    const grouped = groupPartitions(lines, (_entity, parts) => parts[0]!);
    expect(grouped.map((l) => [l.entity, l.status, l.rowsRead, l.partitions?.length])).toEqual([
      ['Sales.Customer', 'completed', 5, undefined],
      ['Sales.Order', 'running', 24, 3],
      // [2/2] has no checkpoint yet: the entity is not done.
      ['Sales.Line', 'running', 7, 1],
    ]);
    const rows = withPartitionRows(grouped, (l, depth) => [depth === 0 ? l.entity : `  ${l.entity}`]);
    expect(rows.map((r) => r[0])).toEqual([
      'Sales.Customer',
      'Sales.Order',
      '  Sales.Order[1/3]',
      '  Sales.Order[2/3]',
      '  Sales.Order[3/3]',
      'Sales.Line',
      '  Sales.Line[1/2]',
    ]);
  });
});
