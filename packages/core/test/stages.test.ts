import { describe, expect, it } from 'vitest';
import { compose, estimateRowBytes, filterRows, mapRows, rebatch, tap } from '@ferry/core';
import type { Batch, Position, RejectRecord, Row, Stage } from '@ferry/core';

const ctx = (after: Position = null) => ({ entity: 'E', signal: new AbortController().signal, after });
const reject = (id: number): RejectRecord => ({ entity: 'E', key: [String(id)], rule: 'r', message: 'm' });

/** Batches of ids [from, to) each, with position = last id. */
function batches(...sizes: number[]): Batch<Row>[] {
  let next = 1;
  return sizes.map((size) => {
    const rows = Array.from({ length: size }, () => ({ id: String(next++) }));
    return { rows, position: { key: [String(next - 1)] }, rowsRead: size };
  });
}

async function through<I, O>(
  stage: Stage<I, O>,
  input: Batch<I>[],
  after: Position = null,
): Promise<Batch<O>[]> {
  const out: Batch<O>[] = [];
  async function* source(): AsyncGenerator<Batch<I>> {
    yield* input;
  }
  for await (const batch of stage(source(), ctx(after))) out.push(batch);
  return out;
}

const ids = (out: Batch<Row>[]): string[][] => out.map((b) => b.rows.map((r) => String(r.id)));
const keys = (out: Batch<Row>[]): Position[] => out.map((b) => b.position);

describe('stages', () => {
  it('mapRows transforms rows and keeps positions and counters', async () => {
    const out = await through(
      mapRows((r: Row) => ({ id: `x${String(r.id)}` })),
      batches(2, 1),
    );
    expect(ids(out)).toEqual([['x1', 'x2'], ['x3']]);
    expect(keys(out)).toEqual([{ key: ['2'] }, { key: ['3'] }]);
  });

  it('filterRows counts what it drops and keeps empty batches for their position', async () => {
    const out = await through(
      filterRows((r: Row) => Number(r.id) > 3),
      batches(3, 2),
    );
    expect(ids(out)).toEqual([[], ['4', '5']]);
    expect(out.map((b) => [b.rowsRead, b.rowsFiltered])).toEqual([
      [3, 3],
      [2, undefined],
    ]);
  });

  it('rebatch splits: every piece but the last carries the previous batch position', async () => {
    const out = await through(rebatch<Row>({ rows: 2 }), batches(5, 3), { key: ['0'] });
    expect(ids(out)).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
      ['7', '8'],
    ]);
    expect(keys(out)).toEqual([{ key: ['0'] }, { key: ['0'] }, { key: ['5'] }, { key: ['8'] }]);
    expect(out.reduce((n, b) => n + b.rowsRead, 0)).toBe(8);
  });

  it('rebatch with positionOf gives split pieces exact positions', async () => {
    const out = await through(
      rebatch<Row>({ rows: 2, positionOf: (r) => ({ key: [String(r.id)] }) }),
      batches(5),
    );
    expect(keys(out)).toEqual([{ key: ['2'] }, { key: ['4'] }, { key: ['5'] }]);
  });

  it('rebatch merges: last position, summed rowsRead, rejects and rowsFiltered', async () => {
    const input = batches(2, 2, 2, 1);
    input[1] = { ...input[1]!, rowsRead: 4, rejects: [reject(90)], rowsFiltered: 1 };
    input[2] = { ...input[2]!, rejects: [reject(91)] };
    const out = await through(rebatch<Row>({ rows: 5 }), input);
    expect(ids(out)).toEqual([
      ['1', '2', '3', '4', '5'],
      ['6', '7'],
    ]);
    expect(keys(out)).toEqual([{ key: ['4'] }, { key: ['7'] }]);
    expect(out[0]).toMatchObject({ rowsRead: 7, rowsFiltered: 1, rejects: [reject(90)] });
    expect(out[1]).toMatchObject({ rowsRead: 2, rejects: [reject(91)] });
    expect(out.reduce((n, b) => n + b.rowsRead, 0)).toBe(2 + 4 + 2 + 1);
  });

  it('rebatch by bytes keeps batches under the limit, a big row alone', async () => {
    const rows: Row[] = [
      { id: '1', t: 'a'.repeat(10) },
      { id: '2', t: 'b'.repeat(500) },
      { id: '3', t: 'c' },
      { id: '4', t: 'd' },
    ];
    const out = await through(rebatch<Row>({ bytes: 100 }), [
      { rows, position: { key: ['4'] }, rowsRead: 4 },
    ]);
    expect(ids(out)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(out[0]!.bytes).toBeGreaterThan(100);
    expect(out.map((b) => b.rowsRead)).toEqual([2, 2]);
  });

  it('source keys (Batch.keys) stay aligned with the rows through mapRows, filterRows and rebatch', async () => {
    const keyed = (b: Batch<Row>): Batch<Row> => ({ ...b, keys: b.rows.map((r) => [`k${String(r.id)}`]) });
    const input = batches(3, 2, 4).map(keyed);
    const stage = compose(
      mapRows((r: Row) => ({ ...r })),
      filterRows((r: Row) => r.id !== '2' && r.id !== '5'),
      rebatch<Row>({ rows: 3 }),
    );
    const out = await through(stage, input);
    for (const batch of out) expect(batch.keys).toEqual(batch.rows.map((r) => [`k${String(r.id)}`]));
    expect(ids(out)).toEqual([['1', '3', '4'], ['6', '7', '8'], ['9']]);
    // A batch without keys merged with keyed ones: no keys rather than misaligned ones.
    const mixed = await through(rebatch<Row>({ rows: 10 }), [keyed(batches(2)[0]!), batches(1)[0]!]);
    expect(mixed[0]!.keys).toBeUndefined();
  });

  it('rebatch refuses a missing or bad size', () => {
    expect(() => rebatch({})).toThrow(/rows` or `bytes/);
    expect(() => rebatch({ rows: 0 })).toThrow(/>= 1/);
  });

  it('tap sees every batch; compose applies stages left to right', async () => {
    const seen: number[] = [];
    const stage = compose(
      filterRows((r: Row) => r.id !== '2'),
      mapRows((r: Row) => ({ ...r, seen: true })),
      tap<Row>((b) => void seen.push(b.rows.length)),
    );
    const out = await through(stage, batches(3, 1));
    expect(seen).toEqual([2, 1]);
    expect(ids(out)).toEqual([['1', '3'], ['4']]);
    expect(stage.name).toBe('compose(filterRows, mapRows, tap)');
  });

  it('estimateRowBytes grows with text and binary', () => {
    const small = estimateRowBytes({ a: 'x' });
    expect(estimateRowBytes({ a: 'x'.repeat(1000) })).toBeGreaterThan(small + 900);
    expect(estimateRowBytes({ a: new Uint8Array(2048) })).toBeGreaterThan(2048);
    expect(estimateRowBytes({ a: null, b: 1n, c: new Date(), d: true })).toBeGreaterThan(0);
  });
});
