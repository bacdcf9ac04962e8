// The Source conformance suite. Every source adapter runs it from its own vitest file with a factory
// that creates a backing store (table, file, HTTP fixture), seeds it with the conformance rows and
// builds a source over it; skips must be explicit and carry a reason.

import { afterEach, describe, expect, it } from 'vitest';
import type { Position } from '../position.js';
import type { Batch, Row } from '../row.js';
import type { Source } from '../source.js';
import {
  conformanceRows,
  edgeRows,
  normalizeConformanceRow,
  type ConformanceRow,
} from './conformance-rows.js';

/** A backing store for one test, made by a {@link SourceConformanceFactory}. */
export interface SourceConformanceFixture {
  /** Store exactly these rows (the conformance schema); called once, before `source()`. */
  seed(rows: readonly ConformanceRow[]): Promise<void>;
  /** A source over the seeded rows, ordered by `id`. */
  source(): Source<Row> | Promise<Source<Row>>;
  /** Map a row the source yields to the canonical shape; default {@link normalizeConformanceRow}. */
  normalize?(row: Row): ConformanceRow;
  /** Resources held open right now (checked-out connections, open files); 0 when idle. */
  openResources?(): number | Promise<number>;
  /** Drop the backing store. */
  teardown(): Promise<void>;
}

/** Creates one fresh fixture per test (e.g. a table with a random suffix). */
export interface SourceConformanceFactory {
  setup(): Promise<SourceConformanceFixture>;
}

/** The cases of the source suite, for explicit skips. */
export type SourceConformanceCase =
  | 'empty'
  | 'one row'
  | 'order and completeness'
  | 'resume'
  | 'early break'
  | 'abort'
  | 'nulls'
  | 'unicode'
  | 'big decimals'
  | 'date limits'
  | 'count';

/** Options of {@link describeSourceConformance}. */
export interface SourceConformanceOptions {
  /** Cases to skip, each with the reason (shown in the test name). */
  readonly skip?: Partial<Record<SourceConformanceCase, string>>;
  /** Rows per batch in the tests; default 7 (odd, so batches do not align with the data). */
  readonly batchSize?: number;
}

/**
 * Define the Source conformance tests for an adapter.
 *
 * @example
 * ```ts
 * describeSourceConformance('postgres source', {
 *   async setup() {
 *     const table = await createConformanceTable(pool);
 *     return {
 *       seed: (rows) => insertRows(pool, table, rows),
 *       source: () => new PostgresSource({ pool, table, key: ['id'] }),
 *       openResources: () => pool.totalCount - pool.idleCount,
 *       teardown: () => dropTable(pool, table),
 *     };
 *   },
 * });
 * ```
 */
export function describeSourceConformance(
  name: string,
  factory: SourceConformanceFactory,
  options: SourceConformanceOptions = {},
): void {
  const batchSize = options.batchSize ?? 7;
  let fixture: SourceConformanceFixture | undefined;
  const given = async (rows: readonly ConformanceRow[]): Promise<[SourceConformanceFixture, Source<Row>]> => {
    fixture = await factory.setup();
    await fixture.seed(rows);
    return [fixture, await fixture.source()];
  };
  const normalize = (f: SourceConformanceFixture, rows: readonly Row[]): ConformanceRow[] =>
    rows.map((row) => (f.normalize ?? normalizeConformanceRow)(row));
  const test = (what: SourceConformanceCase, body: () => Promise<void>): void => {
    const reason = options.skip?.[what];
    if (reason === undefined) it(what, body);
    else it.skip(`${what} (skipped: ${reason})`, body);
  };
  const roundTrip = async (rows: readonly ConformanceRow[]): Promise<void> => {
    const [f, source] = await given(rows);
    expect(normalize(f, await readAll(source, null, batchSize))).toEqual(rows);
  };

  describe(`${name}: Source conformance`, () => {
    afterEach(async () => {
      await fixture?.teardown();
      fixture = undefined;
    });

    test('empty', async () => {
      const [, source] = await given([]);
      expect(await readAll(source, null, batchSize)).toEqual([]);
    });
    test('one row', () => roundTrip(conformanceRows(1)));
    test('order and completeness', async () => {
      const rows = conformanceRows(50);
      const [f, source] = await given([...rows].reverse());
      const batches = await collect(source.read({ batchSize }));
      for (const batch of batches) expect(batch.rowsRead).toBe(batch.rows.length);
      expect(
        normalize(
          f,
          batches.flatMap((b) => b.rows),
        ),
      ).toEqual(rows);
    });
    test('resume', async () => {
      const rows = conformanceRows(30);
      const [f, source] = await given(rows);
      const batches = await collect(source.read({ batchSize }));
      for (let k = 0; k < batches.length; k += 1) {
        const position = JSON.parse(JSON.stringify(batches[k]!.position)) as Position;
        const done = batches.slice(0, k + 1).reduce((n, b) => n + b.rows.length, 0);
        expect(normalize(f, await readAll(source, position, batchSize))).toEqual(rows.slice(done));
      }
    });
    test('early break', async () => {
      const [f, source] = await given(conformanceRows(40));
      for (let i = 0; i < 3; i += 1) {
        for await (const batch of source.read({ batchSize })) {
          expect(batch.rows.length).toBeGreaterThan(0);
          break;
        }
        if (f.openResources !== undefined) expect(await f.openResources()).toBe(0);
      }
      expect(await readAll(source, null, batchSize)).toHaveLength(40);
    });
    test('abort', async () => {
      const [f, source] = await given(conformanceRows(40));
      const controller = new AbortController();
      let seen = 0;
      const reading = (async () => {
        for await (const batch of source.read({ batchSize, signal: controller.signal })) {
          seen += batch.rows.length;
          controller.abort();
        }
      })();
      await reading.catch(() => undefined);
      expect(seen).toBeLessThan(40);
      if (f.openResources !== undefined) expect(await f.openResources()).toBe(0);
    });
    test('nulls', () => roundTrip([edgeRows().nulls]));
    test('unicode', () => roundTrip([edgeRows().unicode]));
    test('big decimals', () => roundTrip([edgeRows().bigDecimal, edgeRows().dateMax]));
    test('date limits', () => roundTrip([edgeRows().dateMin, edgeRows().dateMax]));
    test('count', async () => {
      const [, source] = await given(conformanceRows(12));
      if (source.count === undefined) return;
      expect(await source.count({})).toBe(12);
      const first = (await collect(source.read({ batchSize: 5 })))[0]!;
      const rest = await source.count({ after: first.position });
      expect(rest === undefined || rest === 12 - first.rows.length).toBe(true);
    });
  });
}

async function collect(iterable: AsyncIterable<Batch<Row>>): Promise<Batch<Row>[]> {
  const out: Batch<Row>[] = [];
  for await (const batch of iterable) out.push(batch);
  return out;
}

async function readAll(source: Source<Row>, after: Position, batchSize: number): Promise<Row[]> {
  return (await collect(source.read({ after, batchSize }))).flatMap((batch) => batch.rows);
}
