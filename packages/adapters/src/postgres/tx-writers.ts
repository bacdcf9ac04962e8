// How rows enter an open transaction, one strategy per sink mode: a COPY kept open for the whole
// transaction ('copy'), a COPY into a temporary staging table merged with ON CONFLICT at commit
// ('upsert'; a plain INSERT when its keys rose strictly and none was in the target), or multi-row parameterised INSERTs for targets without COPY ('insert').

import type { Row } from '@ferry/core';
import { CopyIn } from './copy-in.js';
import { binaryBytes, encodeCopyRowParts, encodeCopyRows } from './copy-row-encoder.js';
import { insertStatement, insertValues } from './insert-sql.js';
import type { PgClient } from './pg-driver.js';
import { KeyRun } from './key-run.js';
import { postgresReason } from './postgres-errors.js';
import type { TablePlan } from './table-plan.js';
import {
  insertFromStagingStatement,
  keysInRangeStatement,
  mergeStatement,
  stagingStatements,
  STAGING_TABLE,
} from './upsert-sql.js';

/** Writes rows into one open transaction. */
export interface TxWriter {
  /** Called after BEGIN; `onError` reports failures that happen between calls (e.g. during COPY). */
  begin(client: PgClient, onError: (error: Error) => void): Promise<void>;
  write(rows: readonly Row[]): Promise<void>;
  /** Called before the checkpoint and COMMIT: completes what `write` started. */
  finish(): Promise<void>;
  /** Drops work in progress (never throws); ROLLBACK follows. */
  abort(): Promise<void>;
}

/** Which strategy a sink uses. */
export type PostgresSinkMode = 'copy' | 'upsert' | 'insert';

/** Make the writer of a mode. `pieceRows` bounds one COPY piece or one INSERT statement. */
export function createTxWriter(mode: PostgresSinkMode, plan: TablePlan, pieceRows: number): TxWriter {
  if (mode === 'insert') return new InsertWriter(plan, pieceRows);
  if (mode === 'upsert') return new UpsertWriter(plan, pieceRows);
  return new CopyWriter(plan, plan.qualified, pieceRows);
}

/**
 * Bytes of Binary Data per COPY piece: a piece ends at `pieceRows` rows or once its binaries reach
 * this, and a bigger value is written in parts of this size (its hex is twice as long), so the text
 * held at once stays a few MB whatever the row size.
 */
export const COPY_PIECE_BYTES = 1024 * 1024;

/**
 * A row whose Binary Data exceeds this is written on its own, its big values in parts of hex digits
 * built as Buffers: no per-row hex string (2 MB for a 1 MB photo) is left as large-object garbage.
 */
export const COPY_PARTS_ABOVE_BYTES = 64 * 1024;

class CopyWriter implements TxWriter {
  readonly #sql: string;
  /** Indexes of the bytea columns, whose values decide where pieces end. */
  readonly #binary: readonly number[];
  #copy: CopyIn | undefined;
  /** The last piece's size plus an eighth: the next piece rarely needs to grow. */
  #pieceBytes: number | undefined;

  constructor(
    readonly plan: TablePlan,
    into: string,
    readonly pieceRows: number,
  ) {
    this.#sql = `COPY ${into} (${plan.quoted.join(', ')}) FROM STDIN`;
    this.#binary = plan.columns.flatMap((column, i) => (column.type === 'bytea' ? [i] : []));
  }

  begin(client: PgClient, onError: (error: Error) => void): Promise<void> {
    this.#copy = new CopyIn(client, this.#sql, onError);
    return Promise.resolve();
  }

  async write(rows: readonly Row[]): Promise<void> {
    if (this.#binary.length === 0) {
      for (let start = 0; start < rows.length; start += this.pieceRows)
        await this.#piece(rows, start, Math.min(rows.length, start + this.pieceRows));
      return;
    }
    let start = 0;
    let bytes = 0;
    for (let r = 0; r < rows.length; r++) {
      const size = binaryBytes(this.plan, rows[r]!, this.#binary);
      if (size > COPY_PARTS_ABOVE_BYTES) {
        if (r > start) await this.#piece(rows, start, r);
        for (const part of encodeCopyRowParts(this.plan, rows[r]!, COPY_PARTS_ABOVE_BYTES))
          await this.#copy!.write(part);
        start = r + 1;
        bytes = 0;
        continue;
      }
      bytes += size;
      if (r + 1 - start >= this.pieceRows || bytes >= COPY_PIECE_BYTES) {
        await this.#piece(rows, start, r + 1);
        start = r + 1;
        bytes = 0;
      }
    }
    if (start < rows.length) await this.#piece(rows, start, rows.length);
  }

  async #piece(rows: readonly Row[], start: number, end: number): Promise<void> {
    const piece = encodeCopyRows(this.plan, rows, start, end, this.#pieceBytes);
    this.#pieceBytes = piece.length + (piece.length >> 3);
    await this.#copy!.write(piece);
  }

  async finish(): Promise<void> {
    await this.#copy!.finish();
  }

  async abort(): Promise<void> {
    await this.#copy?.abort();
  }
}

class UpsertWriter extends CopyWriter {
  #client: PgClient | undefined;
  #keys: KeyRun | undefined;

  constructor(plan: TablePlan, pieceRows: number) {
    super(plan, STAGING_TABLE, pieceRows);
  }

  override async begin(client: PgClient, onError: (error: Error) => void): Promise<void> {
    this.#client = client;
    this.#keys = new KeyRun(this.plan);
    for (const statement of stagingStatements(this.plan)) await client.query(statement);
    await super.begin(client, onError);
  }

  override async write(rows: readonly Row[]): Promise<void> {
    this.#keys!.add(rows);
    await super.write(rows);
  }

  /**
   * Merge the staging table. Keys that rose strictly hold no duplicate, so no DISTINCT ON sort; and
   * when the target holds none of their range, a plain INSERT (about a third less server CPU than ON
   * CONFLICT), under a savepoint: a key written meanwhile by another session falls back to the merge.
   */
  override async finish(): Promise<void> {
    await super.finish();
    const client = this.#client!;
    const keys = this.#keys!;
    const range = keys.range;
    if (range !== undefined && (await this.#allNew(client, range)) && (await this.#insertAll(client))) return;
    await client.query(mergeStatement(this.plan, !keys.strict));
  }

  async #allNew(client: PgClient, range: readonly [string, string]): Promise<boolean> {
    const found = await client.query(keysInRangeStatement(this.plan), [...range]);
    return (found.rows[0] as { found?: unknown } | undefined)?.found === false;
  }

  /** The plain INSERT; false (rolled back to its savepoint) when a key turned out to exist. */
  async #insertAll(client: PgClient): Promise<boolean> {
    await client.query('SAVEPOINT ferry_insert');
    try {
      await client.query(insertFromStagingStatement(this.plan));
    } catch (error) {
      if (postgresReason((error as { code?: string }).code) !== 'unique-violation') throw error;
      await client.query('ROLLBACK TO SAVEPOINT ferry_insert');
      return false;
    }
    await client.query('RELEASE SAVEPOINT ferry_insert');
    return true;
  }
}

class InsertWriter implements TxWriter {
  #client: PgClient | undefined;
  #aborted = false;

  constructor(
    readonly plan: TablePlan,
    readonly pieceRows: number,
  ) {}

  begin(client: PgClient): Promise<void> {
    this.#client = client;
    return Promise.resolve();
  }

  async write(rows: readonly Row[]): Promise<void> {
    // PostgreSQL allows 65535 parameters per statement.
    const perStatement = Math.max(1, Math.min(this.pieceRows, Math.floor(65535 / this.plan.names.length)));
    for (let start = 0; start < rows.length; start += perStatement) {
      const end = Math.min(rows.length, start + perStatement);
      // After abort a ROLLBACK is queued on the client: a later INSERT would run outside the transaction.
      if (this.#aborted) throw new Error('INSERT was aborted');
      await this.#client!.query(
        insertStatement(this.plan, end - start),
        insertValues(this.plan, rows, start, end),
      );
    }
  }

  finish(): Promise<void> {
    return Promise.resolve();
  }

  abort(): Promise<void> {
    this.#aborted = true;
    return Promise.resolve();
  }
}
