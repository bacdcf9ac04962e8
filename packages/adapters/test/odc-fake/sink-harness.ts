// Helpers shared by the HTTP sink tests: a write context, batches of sample rows, a controllable abort.

import type { Batch, Row, WriteContext } from '@ferry/core';

/** A write context for a direct sink call. */
export function context(entity: string, sequence = 1, signal = new AbortController().signal): WriteContext {
  return { entity, runId: 'test-run', sequence, signal };
}

/** A batch of rows with a key position after the last one. */
export function batchOf(rows: readonly Row[]): Batch<Row> {
  const last = rows[rows.length - 1];
  return { rows, position: last === undefined ? null : { key: [String(last.Id)] }, rowsRead: rows.length };
}

/** `count` customer rows with exact-value attributes: decimal strings, bigint, binary, dates, unicode. */
export function customers(count: number, from = 1): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const id = from + i;
    return {
      Id: id,
      Name: `Customer ${id} 🚢`,
      Balance: `${id}1234567890123.12345678`,
      Big: 9007199254740993n + BigInt(id),
      Photo: Buffer.from([id % 256, 0, 255]),
      Since: '1900-01-01',
      Updated: new Date(Date.UTC(2024, 0, 1, 0, 0, id % 60)),
      Active: id % 2 === 0,
    };
  });
}
