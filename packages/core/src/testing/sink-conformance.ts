// The Sink conformance suite: acknowledged means durable, every value kind survives (hostile texts and
// names too), an abort leaves a batch all-or-nothing, (for sinks that say so) writing the same batch
// twice keeps one copy, a transaction commits rows and checkpoint together, and the same under `run()`
// (sink-run-conformance). A case a sink cannot take is reported as skipped, with the reason.

import { afterEach, describe, expect, it } from 'vitest';
import type { Checkpoint, CheckpointStore } from '../checkpoint.js';
import type { Batch, Row } from '../row.js';
import type { Sink, WriteContext } from '../sink.js';
import {
  conformanceRows,
  edgeRows,
  normalizeConformanceRow,
  sortById,
  type ConformanceRow,
} from './conformance-rows.js';
import { describeSinkRunCases } from './sink-run-conformance.js';
import {
  HOSTILE_NAMES,
  hostileRows,
  nulRow,
  renameColumns,
  restoreColumns,
  type ConformanceNames,
} from './hostile-conformance.js';
import { closingFixture, type ClosingFixture } from './closing-fixture.js';

/** A target for one test, made by a {@link SinkConformanceFactory}. */
export interface SinkConformanceFixture {
  /**
   * A new sink on the (shared) target, as one run would get it; may be called more than once. A sink
   * with `transactions` must keep the same checkpoint store across calls (a resumed run reads it).
   */
  sink(): Sink<Row> | Promise<Sink<Row>>;
  /** Every row in the target now, in any order. */
  readAll(): Promise<readonly Row[]>;
  /** The row the sink takes for a conformance row (e.g. renamed columns); default: as is. */
  toSinkRow?(row: ConformanceRow): Row;
  /** Map a row of `readAll` to the canonical shape; default {@link normalizeConformanceRow}. */
  normalize?(row: Row): ConformanceRow;
  /** The run's store for a plain sink under `run()`; default a new MemoryCheckpointStore. */
  readonly checkpoints?: CheckpointStore;
  /** Drop the target. */
  teardown(): Promise<void>;
}

/** Creates one empty target (conformance schema) per test. */
export interface SinkConformanceFactory {
  setup(): Promise<SinkConformanceFixture>;
  /**
   * Optional: the same target with the table and columns named `names` ({@link HOSTILE_NAMES}); the
   * suite renames the row keys itself. Without it the `hostile identifiers` case is skipped.
   */
  setupWithNames?(names: ConformanceNames): Promise<SinkConformanceFixture>;
}

/** The cases of the sink suite, for explicit skips. */
export type SinkConformanceCase =
  | 'empty'
  | 'one row'
  | 'many batches'
  | 'durable on acknowledge'
  | 'abort'
  | 'same batch twice'
  | 'nulls'
  | 'unicode'
  | 'big decimals'
  | 'date limits'
  | 'hostile values'
  | 'nul character'
  | 'hostile identifiers'
  | 'transaction commit'
  | 'transaction rollback'
  | 'run: commits per transaction'
  | 'run: abort keeps the last commit'
  | 'run: failed commit keeps the last commit'
  | 'run: a second store is refused';

/** Options of {@link describeSinkConformance}. */
export interface SinkConformanceOptions {
  /** The sink upserts by key: writing the same batch twice keeps one copy. Without it that case is skipped. */
  readonly idempotent?: boolean;
  readonly skip?: Partial<Record<SinkConformanceCase, string>>;
}

/**
 * Define the Sink conformance tests for an adapter.
 *
 * @example
 * ```ts
 * describeSinkConformance('postgres sink', {
 *   async setup() {
 *     const table = await createConformanceTable(pool);
 *     return {
 *       sink: () => new PostgresSink({ pool, table, key: ['id'], mode: 'upsert' }),
 *       readAll: () => selectAll(pool, table),
 *       teardown: () => dropTable(pool, table),
 *     };
 *   },
 * }, { idempotent: true });
 * ```
 */
export function describeSinkConformance(
  name: string,
  factory: SinkConformanceFactory,
  options: SinkConformanceOptions = {},
): void {
  let fixture: ClosingFixture | undefined;
  let sequence = 0;
  /** The names of the current fixture's table and columns, when it was set up with names. */
  let names: ConformanceNames | undefined;
  const setup = async (): Promise<SinkConformanceFixture> => {
    names = undefined;
    return (fixture = closingFixture(await factory.setup()));
  };
  const toSinkRow = (f: SinkConformanceFixture, row: ConformanceRow): Row => {
    const sinkRow = (f.toSinkRow ?? ((r: ConformanceRow): Row => ({ ...r })))(row);
    return names === undefined ? sinkRow : renameColumns(sinkRow, names);
  };
  const batchOf = (f: SinkConformanceFixture, rows: readonly ConformanceRow[]): Batch<Row> => ({
    rows: rows.map((row) => toSinkRow(f, row)),
    position: rows.length === 0 ? null : { key: [rows[rows.length - 1]!.id] },
    rowsRead: rows.length,
  });
  const context = (signal = new AbortController().signal): WriteContext => ({
    entity: 'Conformance',
    runId: `conformance-${process.pid}`,
    sequence: (sequence += 1),
    signal,
  });
  const stored = async (f: SinkConformanceFixture): Promise<ConformanceRow[]> =>
    sortById(
      (await f.readAll()).map((row) =>
        (f.normalize ?? normalizeConformanceRow)(names === undefined ? row : restoreColumns(row, names)),
      ),
    );
  /** Write batches in order, each acknowledged before the next, as a run with one in flight does. */
  const writeAll = async (
    f: SinkConformanceFixture,
    sink: Sink<Row>,
    batches: ConformanceRow[][],
  ): Promise<void> => {
    await sink.open?.({
      entity: 'Conformance',
      runId: `conformance-${process.pid}`,
      signal: new AbortController().signal,
    });
    for (const rows of batches) await acknowledged(sink, f, batchOf(f, rows), context());
  };
  const roundTrip = async (rows: ConformanceRow[], f?: SinkConformanceFixture): Promise<void> => {
    f ??= await setup();
    const sink = await f.sink();
    await writeAll(f, sink, [rows]);
    await sink.close('completed');
    expect(await stored(f)).toEqual(sortById(rows));
  };
  /** A case; its body may skip at run time (`skip(reason)`) when the sink lacks what it tests. */
  const test = (
    what: SinkConformanceCase,
    body: (skip: (reason: string) => never) => Promise<void>,
  ): void => {
    const reason =
      options.skip?.[what] ??
      (what === 'same batch twice' && options.idempotent !== true ? 'sink is not idempotent' : undefined) ??
      (what === 'hostile identifiers' && factory.setupWithNames === undefined
        ? 'the fixture cannot create a target with hostile names (no setupWithNames)'
        : undefined);
    const run = (context: { skip: (note?: string) => never }): Promise<void> =>
      body((note) => context.skip(`skipped: ${note}`));
    if (reason === undefined) it(what, run);
    else it.skip(`${what} (skipped: ${reason})`, run);
  };

  describe(`${name}: Sink conformance`, () => {
    afterEach(async () => {
      // Sinks a failed case left open first: their connections and locks would block the teardown.
      await fixture?.closeOpenSinks();
      await fixture?.teardown();
      fixture = undefined;
    });

    test('empty', async () => {
      const f = await setup();
      const sink = await f.sink();
      await writeAll(f, sink, [[]]);
      await sink.close('completed');
      expect(await stored(f)).toEqual([]);
    });
    test('one row', () => roundTrip(conformanceRows(1)));
    test('many batches', async () => {
      const rows = conformanceRows(25);
      const f = await setup();
      const sink = await f.sink();
      await writeAll(f, sink, [rows.slice(0, 10), rows.slice(10, 20), rows.slice(20)]);
      await sink.close('completed');
      expect(await stored(f)).toEqual(rows);
    });
    test('durable on acknowledge', async () => {
      const rows = conformanceRows(5);
      const f = await setup();
      const sink = await f.sink();
      await writeAll(f, sink, [rows]);
      expect(await stored(f)).toEqual(rows);
      await sink.close('aborted');
      expect(await stored(f)).toEqual(rows);
    });
    test('abort', async () => {
      const f = await setup();
      const sink = await f.sink();
      await writeAll(f, sink, [conformanceRows(3)]);
      const controller = new AbortController();
      const second = conformanceRows(4, 3);
      const pending = sink.write(batchOf(f, second), context(controller.signal));
      controller.abort();
      // Honoured abort: a write that was rejected left none of its rows; one that was acknowledged
      // before the abort took effect is durable, all of it. Nothing in between, never a duplicate.
      const acknowledged = await pending.then(
        () => true,
        () => false,
      );
      await sink.close('aborted');
      expect(await stored(f)).toEqual(acknowledged ? conformanceRows(7) : conformanceRows(3));
    });
    test('same batch twice', async () => {
      const rows = conformanceRows(6);
      const f = await setup();
      const sink = await f.sink();
      await writeAll(f, sink, [rows, rows]);
      await sink.close('completed');
      const again = await f.sink();
      await writeAll(f, again, [rows.slice(3)]);
      await again.close('completed');
      expect(await stored(f)).toEqual(rows);
    });
    test('nulls', () => roundTrip([edgeRows().nulls]));
    test('unicode', () => roundTrip([edgeRows().unicode]));
    test('big decimals', () => roundTrip([edgeRows().bigDecimal, edgeRows().dateMax]));
    test('date limits', () => roundTrip([edgeRows().dateMin, edgeRows().dateMax]));
    test('hostile values', () => roundTrip([...conformanceRows(2), ...hostileRows()]));
    test('nul character', () => roundTrip([nulRow()]));
    test('hostile identifiers', async () => {
      const f = (fixture = closingFixture(await factory.setupWithNames!(HOSTILE_NAMES)));
      names = HOSTILE_NAMES;
      await roundTrip([...conformanceRows(3), edgeRows().nulls, ...hostileRows()], f);
    });
    test('transaction commit', async (skip) => {
      const f = await setup();
      const sink = await f.sink();
      if (sink.transactions === undefined) return skip('the sink has no transactions');
      const rows = conformanceRows(7);
      const ctx = context();
      await sink.open?.({ entity: ctx.entity, runId: ctx.runId, signal: ctx.signal });
      const tx = await sink.transactions.begin({ entity: ctx.entity, runId: ctx.runId, signal: ctx.signal });
      await tx.write(batchOf(f, rows.slice(0, 4)), ctx);
      const last = context();
      await tx.write(batchOf(f, rows.slice(4)), last);
      const checkpoint = checkpointAfter(last, rows);
      await tx.commit(checkpoint);
      expect(await stored(f)).toEqual(rows);
      expect(await sink.transactions.checkpoints.load(ctx.runId, ctx.entity)).toMatchObject({
        sequence: last.sequence,
        position: checkpoint.position,
      });
      await sink.close('completed');
    });
    test('transaction rollback', async (skip) => {
      const f = await setup();
      const sink = await f.sink();
      if (sink.transactions === undefined) return skip('the sink has no transactions');
      const ctx = context();
      await sink.open?.({ entity: ctx.entity, runId: ctx.runId, signal: ctx.signal });
      const tx = await sink.transactions.begin({ entity: ctx.entity, runId: ctx.runId, signal: ctx.signal });
      await tx.write(batchOf(f, conformanceRows(3)), ctx);
      await tx.rollback();
      const again = await sink.transactions.begin({
        entity: ctx.entity,
        runId: ctx.runId,
        signal: ctx.signal,
      });
      const next = context();
      await again.write(batchOf(f, conformanceRows(2, 3)), next);
      await again.commit(checkpointAfter(next, conformanceRows(2, 3)));
      expect(await stored(f)).toEqual(conformanceRows(2, 3));
      await sink.close('completed');
    });
    describeSinkRunCases(setup, test, options.idempotent === true);
  });
}

/** The checkpoint after a batch of `rows` written with `context`. */
function checkpointAfter(context: WriteContext, rows: readonly ConformanceRow[]): Checkpoint {
  return {
    runId: context.runId,
    entity: context.entity,
    position: { key: [rows[rows.length - 1]!.id] },
    sequence: context.sequence,
    status: 'running',
    rowsRead: rows.length,
    rowsWritten: rows.length,
    rowsRejected: 0,
    rowsFiltered: 0,
    updatedAt: new Date().toISOString(),
  };
}

/** Write one batch and wait for its acknowledgement. */
async function acknowledged(
  sink: Sink<Row>,
  _f: SinkConformanceFixture,
  batch: Batch<Row>,
  context: WriteContext,
): Promise<void> {
  await sink.write(batch, context);
}
