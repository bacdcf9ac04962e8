// Baseline (d): the hand-written reference for what Node can do. One mysql2 streaming SELECT, rows
// encoded to COPY text and written 1000 at a time into one open COPY, committed (COPY ended, COMMIT,
// new COPY) every 100k rows. No checkpoints, no mapping: the floor Ferry's overhead is measured against.

import mysql from 'mysql2';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { BENCH_COLUMNS, SOURCE_TABLE } from '../bench-shape.js';
import { childArgs, startMeasure } from '../child-report.js';
import { MYSQL_READ_OPTIONS, copyLine, selectAll } from '../copy-text.js';
import { childUrls, type ChildArgs } from './child-env.js';

const args = childArgs<ChildArgs>();
const urls = childUrls();
const done = startMeasure();
const source = mysql.createConnection({ uri: urls.source, ...MYSQL_READ_OPTIONS });
const target = new pg.Client({ connectionString: urls.target });
await target.connect();
const copySql = `COPY "${args.schema}"."${args.table}" (${BENCH_COLUMNS.map((c) => c.column.toLowerCase()).join(', ')}) FROM STDIN`;

let copy: Writable | undefined;
let inTransaction = 0;
let chunk = '';
let chunkRows = 0;
let rows = 0;

async function write(text: string): Promise<void> {
  if (copy === undefined) {
    await target.query('BEGIN');
    copy = target.query(copyFrom(copySql));
  }
  if (!copy.write(text)) await once(copy, 'drain');
}

async function commit(): Promise<void> {
  if (copy === undefined) return;
  copy.end();
  await finished(copy);
  await target.query('COMMIT');
  copy = undefined;
  inTransaction = 0;
}

const stream = source
  .query({ sql: selectAll(SOURCE_TABLE), rowsAsArray: true })
  .stream({ highWaterMark: 1000 });
for await (const row of stream as AsyncIterable<unknown[]>) {
  chunk += copyLine(row);
  chunkRows++;
  if (chunkRows === args.batchSize) {
    await write(chunk);
    rows += chunkRows;
    inTransaction += chunkRows;
    chunk = '';
    chunkRows = 0;
    if (inTransaction >= args.commitEvery) await commit();
  }
}
if (chunkRows > 0) {
  await write(chunk);
  rows += chunkRows;
}
await commit();
source.end();
await target.end();
done(rows);
