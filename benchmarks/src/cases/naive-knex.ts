// Baseline (c): what a developer writes first with knex. Pages of 10,000 rows read by key from
// MariaDB, each written with `knex.batchInsert` in chunks of 1000 (multi-row INSERTs in a transaction).

import knex from 'knex';
import { BENCH_COLUMNS, SOURCE_TABLE } from '../bench-shape.js';
import { childArgs, startMeasure } from '../child-report.js';
import { MYSQL_READ_OPTIONS } from '../copy-text.js';
import { childUrls, type ChildArgs } from './child-env.js';

const PAGE = 10_000;
const args = childArgs<ChildArgs>();
const urls = childUrls();
const done = startMeasure();
const source = knex({
  client: 'mysql2',
  connection: { uri: urls.source, ...MYSQL_READ_OPTIONS } as never,
  pool: { min: 0, max: 1 },
});
const target = knex({ client: 'pg', connection: urls.target, pool: { min: 0, max: 1 } });

let last = '0';
let rows = 0;
for (;;) {
  const page = (await source(SOURCE_TABLE)
    .select(BENCH_COLUMNS.map((c) => c.column))
    .where('ID', '>', last)
    .orderBy('ID')
    .limit(PAGE)) as Record<string, unknown>[];
  if (page.length === 0) break;
  const mapped = page.map((r) => {
    const out: Record<string, unknown> = {};
    for (const c of BENCH_COLUMNS) {
      const v = r[c.column];
      out[c.column.toLowerCase()] = c.kind === 'bool' && Buffer.isBuffer(v) ? v[0] === 1 : v;
    }
    return out;
  });
  await target.batchInsert(`${args.schema}.${args.table}`, mapped, args.batchSize);
  rows += page.length;
  last = String(page[page.length - 1]!['ID']);
}
await source.destroy();
await target.destroy();
done(rows);
