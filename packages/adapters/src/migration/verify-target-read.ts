// Streams a target table's rows as PostgreSQL's raw text output, through a pg-cursor with a type parser
// that parses nothing, in a read-only transaction that pins the output forms (ISO dates, hex bytea).
// Memory stays flat: one page of rows at a time.

import Cursor from 'pg-cursor';
import type { TargetColumn, TargetTable } from '@ferry/mapping';
import { qualifiedTableName, quoteIdentifier, tableLabel } from '../postgres/identifiers.js';
import type { PgPool } from '../postgres/pg-driver.js';
import { connectHeld } from '../postgres/pg-held-client.js';
import { classifyPostgresError } from '../postgres/postgres-errors.js';

const RAW_TEXT = { getTypeParser: () => (text: string) => text };
const PAGE_ROWS = 2000;

/** The columns a verification compares: every column the sink writes (generated ones are the target's). */
export function comparedColumns(table: TargetTable): readonly TargetColumn[] {
  return table.columns.filter((column) => column.generated !== true);
}

/**
 * Yields the target's rows as arrays of raw text (or null), columns in {@link comparedColumns}
 * order; sorted by key when `ordered`.
 */
export async function* readTargetText(
  pool: PgPool,
  table: TargetTable,
  entity: string,
  ordered = false,
): AsyncGenerator<readonly (string | null)[][]> {
  const columns = comparedColumns(table)
    .map((column) => quoteIdentifier(column.name))
    .join(', ');
  const order = ordered ? ` ORDER BY ${table.key.map(quoteIdentifier).join(', ')}` : '';
  const sql = `SELECT ${columns} FROM ${qualifiedTableName(table)}${order}`;
  const fail = (error: unknown) =>
    classifyPostgresError(error, { entity, table: tableLabel(table), operation: 'verify.read' });
  const held = await connectHeld(pool).catch((error: unknown) => {
    throw fail(error);
  });
  const { client } = held;
  let broken: Error | undefined;
  let done = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL bytea_output = 'hex'`);
    await client.query(`SET LOCAL DateStyle = 'ISO, YMD'`);
    const cursor = client.query(new Cursor(sql, [], { rowMode: 'array', types: RAW_TEXT }));
    try {
      for (;;) {
        const rows = (await cursor.read(PAGE_ROWS)) as (string | null)[][];
        if (rows.length === 0) break;
        yield rows;
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
    await client.query('COMMIT');
    done = true;
  } catch (error) {
    broken = error instanceof Error ? error : new Error('verification read failed');
    throw fail(error);
  } finally {
    // A consumer that stopped early leaves the transaction open: end it before the client goes back.
    if (!done && broken === undefined)
      await client.query('ROLLBACK').catch((error: unknown) => (broken = error as Error));
    held.release(broken);
  }
}
