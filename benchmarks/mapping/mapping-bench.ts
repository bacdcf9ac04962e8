// Micro-benchmark: the @ferry/mapping stage over 1M O11-shaped rows, beside a plain object-copy
// baseline (rename every column into a new object, no conversion) measured in the same run. Rows
// cycle through a pool of 10k pre-built source rows, so generation is not measured.
//
// Run: node --conditions=source --import tsx benchmarks/mapping/mapping-bench.ts [rows] [batchSize]

import { readFileSync } from 'node:fs';
import type { Batch, Row } from '@ferry/core';
import { compileMapping, mappingStage, type MappingSpec } from '@ferry/mapping';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const BATCH = Number(process.argv[3] ?? 1000);
const POOL = 10_000;

const spec: MappingSpec = {
  version: 1,
  entities: [
    {
      source: { module: 'Sales', entity: 'Order' },
      target: { app: 'Sales', entity: 'Order' },
      key: ['Id'],
      attributes: {
        Id: { type: 'rtLongInteger', mandatory: true },
        Number: { type: 'rtText', length: 20, mandatory: true },
        Customer: { type: 'rtLongInteger' },
        Email: { type: 'rtEmail' },
        Notes: { type: 'rtText', length: 2000 },
        Amount: { type: 'rtCurrency' },
        Quantity: { type: 'rtInteger' },
        Paid: { type: 'rtBoolean' },
        OrderDate: { type: 'rtDate' },
        CreatedOn: { type: 'rtDateTime' },
      },
    },
  ],
};

/** A source row as the mssql driver returns it (Dates in UTC fields, decimals as strings, bit as boolean). */
function sourceRow(i: number): Row {
  return {
    ID: BigInt(9_007_199_254_740_000 + i),
    NUMBER: `SO-${String(i).padStart(8, '0')}`,
    CUSTOMER: BigInt(i % 5000),
    EMAIL: `customer${i % 5000}@example.com`,
    NOTES: i % 3 === 0 ? '' : `Deliver to door ${i % 97}, ring twice. Café ☕ ok.`,
    AMOUNT: `${i % 100000}.${String(i % 100000000).padStart(8, '0')}`,
    QUANTITY: i % 250,
    PAID: i % 2 === 0,
    ORDERDATE: new Date(Date.UTC(2020, i % 12, 1 + (i % 28))),
    CREATEDON: new Date(Date.UTC(2021, i % 12, 1 + (i % 28), i % 24, i % 60, i % 60, i % 1000)),
  };
}

const pool = Array.from({ length: POOL }, (_, i) => sourceRow(i));
const columns = Object.keys(pool[0]!);
const targets = [
  'id',
  'number',
  'customer',
  'email',
  'notes',
  'amount',
  'quantity',
  'paid',
  'order_date',
  'created_on',
];

// A source without I/O, so that only the stages are measured.
// eslint-disable-next-line @typescript-eslint/require-await
async function* batches(): AsyncIterable<Batch> {
  for (let start = 0; start < ROWS; start += BATCH) {
    const from = start % POOL;
    const rows = pool.slice(from, Math.min(from + BATCH, POOL, from + ROWS - start));
    yield { rows, position: { key: [String(start + rows.length)] }, rowsRead: rows.length };
  }
}

/** The baseline: the same batch loop, copying each row into a new object under the target names. */
async function* copyStage(input: AsyncIterable<Batch>): AsyncIterable<Batch> {
  for await (const batch of input) {
    const rows = batch.rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let c = 0; c < columns.length; c++) out[targets[c]!] = row[columns[c]!];
      return out as Row;
    });
    yield { ...batch, rows };
  }
}

async function measure(
  stage: (input: AsyncIterable<Batch>) => AsyncIterable<Batch>,
): Promise<{ seconds: number; rows: number; rejects: number }> {
  const started = process.hrtime.bigint();
  let rows = 0;
  let rejects = 0;
  for await (const batch of stage(batches())) {
    rows += batch.rows.length;
    rejects += batch.rejects?.length ?? 0;
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows, rejects };
}

const entity = compileMapping(spec).entity('Sales.Order');
const context = { entity: entity.name, signal: new AbortController().signal };
const ferry = (input: AsyncIterable<Batch>): AsyncIterable<Batch> => mappingStage(entity)(input, context);

const packageJson = new URL('../../packages/mapping/package.json', import.meta.url);
const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
console.log(
  `mapping micro-benchmark: ${ROWS.toLocaleString('en')} rows × ${columns.length} columns, batch ${BATCH}`,
);
console.log(
  `node ${process.version}, v8 ${process.versions.v8}, @ferry/mapping ${version}, ${process.platform}/${process.arch}`,
);
console.log(
  'columns: Long Integer, Text(20), Long Integer ref, Email, Text(2000), Currency, Integer, Boolean, Date, Date Time (UTC)',
);

// Warm up both, then alternate three rounds and keep each one's best.
await measure(copyStage);
await measure(ferry);
const best = { copy: Infinity, ferry: Infinity };
let checked = { rows: 0, rejects: 0 };
for (let round = 0; round < 3; round++) {
  best.copy = Math.min(best.copy, (await measure(copyStage)).seconds);
  const result = await measure(ferry);
  best.ferry = Math.min(best.ferry, result.seconds);
  checked = result;
}
if (checked.rows !== ROWS || checked.rejects !== 0)
  throw new Error(`mapped ${checked.rows} rows with ${checked.rejects} rejects`);
const rate = (seconds: number): string =>
  Math.round(ROWS / seconds)
    .toLocaleString('en')
    .padStart(12);
console.log(`baseline object copy: ${rate(best.copy)} rows/s  (${best.copy.toFixed(3)} s)`);
console.log(`ferry mapping stage:  ${rate(best.ferry)} rows/s  (${best.ferry.toFixed(3)} s)`);
console.log(`ratio mapping / copy: ${(best.copy / best.ferry).toFixed(3)} (share of the copy's throughput)`);
