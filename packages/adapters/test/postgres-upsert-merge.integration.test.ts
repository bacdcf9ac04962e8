// The upsert writer's merge, by the statements it sends and the rows it leaves, on the real server:
// strictly rising integer keys that are all new go in as a plain INSERT; rising keys of which some
// exist merge without DISTINCT ON; keys written twice (or out of order) keep the DISTINCT ON merge, the
// last copy winning; a unique violation of the plain INSERT falls back to the merge. KeyRun alone too.

import { describe, expect, it } from 'vitest';
import type { Row } from '@ferry/core';
import type { TargetType } from '@ferry/mapping';
import { compareIntegers, KeyRun } from '../src/postgres/key-run.js';
import { planTable } from '../src/postgres/table-plan.js';
import type { TablePlan } from '../src/postgres/table-plan.js';
import { createTxWriter } from '../src/postgres/tx-writers.js';
import { sharedTestClient } from './postgres-test-db.js';

const shared = sharedTestClient();
let n = 0;

function planOf(name: string, keyType: TargetType = 'bigint'): TablePlan {
  return planTable({
    schema: shared.db.schema,
    table: name,
    key: ['id'],
    columns: [
      { name: 'id', type: keyType, nullable: false },
      { name: 'a', type: 'text', nullable: true },
    ],
  });
}

/** A fresh table (unique `a` when asked) holding `existing` rows. */
async function table(existing: [string, string][] = [], uniqueA = false) {
  const name = `u_${(n += 1)}`;
  const unique = uniqueA ? ' UNIQUE' : '';
  await shared.db.pool.query(
    `CREATE TABLE "${shared.db.schema}"."${name}" (id bigint PRIMARY KEY, a text${unique})`,
  );
  for (const [id, a] of existing)
    await shared.db.pool.query(`INSERT INTO "${shared.db.schema}"."${name}" VALUES ($1, $2)`, [id, a]);
  const contents = async (): Promise<[string, string][]> =>
    (
      await shared.db.observer.query(
        `SELECT id::text AS k, a FROM "${shared.db.schema}"."${name}" ORDER BY id`,
      )
    ).rows.map((r: { k: string; a: string }) => [r.k, r.a]);
  return { plan: planOf(name), contents };
}

const rows = (keyed: [string, string][]): Row[] => keyed.map(([id, a]) => ({ id, a }));
/** `'1:a 2:b'` as `[['1', 'a'], ['2', 'b']]`. */
const pairs = (text: string): [string, string][] =>
  text.split(' ').map((pair) => pair.split(':') as [string, string]);

/** Run one upsert transaction of `batches` and return the statements sent after the COPY. */
async function upsert(plan: TablePlan, batches: Row[][]): Promise<string[]> {
  const sent: string[] = [];
  const original = shared.client.query.bind(shared.client) as (...args: unknown[]) => unknown;
  const recording = shared.client as unknown as { query: (...args: unknown[]) => unknown };
  recording.query = (...args: unknown[]) => {
    if (typeof args[0] === 'string') sent.push(args[0]);
    return original(...args);
  };
  try {
    const writer = createTxWriter('upsert', plan, 2);
    await shared.client.query('BEGIN');
    await writer.begin(shared.client, () => undefined);
    for (const batch of batches) await writer.write(batch);
    await writer.finish();
    await shared.client.query('COMMIT');
  } catch (error) {
    await shared.client.query('ROLLBACK');
    throw error;
  } finally {
    recording.query = original;
  }
  return sent.filter((sql) => !/^(BEGIN|COMMIT|ROLLBACK$|DROP TABLE|CREATE TEMPORARY|ALTER TABLE)/.test(sql));
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached in 5 s');
}

const merge = (sql: string) => sql.includes('ON CONFLICT');
const distinct = (sql: string) => sql.includes('DISTINCT ON');

describe('upsert merge', () => {
  it('rising keys, none in the target: one plain INSERT under a savepoint, rows as written', async () => {
    const { plan, contents } = await table(pairs('1:old 9007199254740993:far'));
    const keys: [string, string][] = pairs('2:b 3:c 10:d 9007199254740992:e');
    const sent = await upsert(plan, [rows(keys.slice(0, 3)), rows(keys.slice(3))]);
    expect(sent.filter(merge)).toEqual([]);
    expect(sent.some((sql) => sql.startsWith('SAVEPOINT'))).toBe(true);
    expect(sent.some((sql) => sql.startsWith('INSERT INTO') && !merge(sql))).toBe(true);
    expect(await contents()).toEqual([['1', 'old'], ...keys, ['9007199254740993', 'far']]);
  });

  it('rising keys, one already in the target: ON CONFLICT without DISTINCT ON updates it', async () => {
    const { plan, contents } = await table(pairs('5:old'));
    const sent = await upsert(plan, [rows(pairs('4:d 5:new')), rows(pairs('6:f'))]);
    expect(sent.filter(merge)).toHaveLength(1);
    expect(sent.filter(distinct)).toEqual([]);
    expect(await contents()).toEqual(pairs('4:d 5:new 6:f'));
  });

  it('a key written twice in one transaction: DISTINCT ON merge, the last copy wins', async () => {
    const { plan, contents } = await table();
    const sent = await upsert(plan, [rows(pairs('1:a 2:b')), rows(pairs('1:again 3:c'))]);
    expect(sent.filter(distinct)).toHaveLength(1);
    expect(await contents()).toEqual(pairs('1:again 2:b 3:c'));
  });

  it('falling keys (no duplicate): the DISTINCT ON merge still runs', async () => {
    const { plan, contents } = await table();
    const sent = await upsert(plan, [rows(pairs('3:c 2:b'))]);
    expect(sent.filter(distinct)).toHaveLength(1);
    expect(await contents()).toEqual(pairs('2:b 3:c'));
  });

  it('a unique violation of the plain INSERT rolls back to the savepoint and the merge reports it', async () => {
    const { plan, contents } = await table(pairs('1:taken'), true);
    const error = await upsert(plan, [rows(pairs('2:free 3:taken'))]).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('23505');
    expect((error as { constraint?: string }).constraint).toMatch(/_a_key$/);
    expect(await contents()).toEqual(pairs('1:taken'));
    // The same transaction without the clash: the fallback path is not taken.
    await upsert(plan, [rows(pairs('2:free 3:other'))]);
    expect(await contents()).toEqual(pairs('1:taken 2:free 3:other'));
  });

  it('a key another session commits inside the range after the check: back to ON CONFLICT, it is updated', async () => {
    const { plan, contents } = await table();
    const other = await shared.db.observer.connect();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO ${plan.qualified} VALUES (3, 'theirs')`);
      // The range check does not see the uncommitted row; the plain INSERT waits on its key.
      const written = upsert(plan, [rows(pairs('2:b 3:ours 4:d'))]);
      await until(async () => {
        const waiting = await shared.db.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
          [`INSERT INTO ${plan.qualified}%`],
        );
        return waiting.rows[0].n === 1;
      });
      await other.query('COMMIT');
      const sent = await written;
      expect(sent.some((sql) => sql.startsWith('ROLLBACK TO SAVEPOINT'))).toBe(true);
      expect(sent.filter(merge)).toHaveLength(1);
      expect(await contents()).toEqual(pairs('2:b 3:ours 4:d'));
    } finally {
      other.release();
    }
  });

  it('a text key is not tracked: the DISTINCT ON merge runs', async () => {
    const name = `t_${(n += 1)}`;
    await shared.db.pool.query(`CREATE TABLE "${shared.db.schema}"."${name}" (id text PRIMARY KEY, a text)`);
    await shared.db.pool.query(`INSERT INTO "${shared.db.schema}"."${name}" VALUES ('50', 'old')`);
    const plan = planOf(name, 'text');
    const sent = await upsert(plan, [rows(pairs('50:new 60:x'))]);
    expect(sent.filter(distinct)).toHaveLength(1);
    const after = await shared.db.observer.query(
      `SELECT id, a FROM "${shared.db.schema}"."${name}" ORDER BY id`,
    );
    expect(after.rows).toEqual([
      { id: '50', a: 'new' },
      { id: '60', a: 'x' },
    ]);
  });
});

describe('KeyRun', () => {
  const plan = (type: TargetType = 'bigint', key = ['id']) =>
    planTable({
      schema: 's',
      table: 't',
      key,
      columns: [
        { name: 'id', type, nullable: false },
        { name: 'b', type: 'integer', nullable: false },
      ],
    });

  it('strict over batches of strings, bigints and safe numbers; range is first and last', () => {
    const run = new KeyRun(plan());
    run.add([{ id: '-12' }, { id: -3n }, { id: 0 }]);
    run.add(rows(pairs('7:x 18446744073709551616:x')));
    expect(run.strict).toBe(true);
    expect(run.range).toEqual(['-12', '18446744073709551616']);
  });

  it('an equal key, a smaller key across batches, or a non-canonical text ends strict', () => {
    for (const bad of ['5', '4', '06', '-0', '+6', ' 6', '6.0']) {
      const run = new KeyRun(plan());
      run.add([{ id: '5' }]);
      run.add([{ id: bad }]);
      expect(run.strict, bad).toBe(false);
      expect(run.range).toBeUndefined();
    }
  });

  it('an unsafe JS number, a null key, a composite or non-integer key is never strict', () => {
    const unsafe = new KeyRun(plan());
    unsafe.add([{ id: 2 ** 53 }]);
    expect(unsafe.strict).toBe(false);
    const missing = new KeyRun(plan());
    missing.add([{ id: null }]);
    expect(missing.strict).toBe(false);
    expect(new KeyRun(plan('bigint', ['id', 'b'])).strict).toBe(false);
    expect(new KeyRun(plan('numeric')).strict).toBe(false);
  });

  it('compareIntegers orders by value, not by text', () => {
    const sorted = ['-100', '-99', '-1', '0', '1', '9', '10', '99', '100', '18446744073709551616'];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareIntegers)).toEqual(sorted);
    expect(compareIntegers('42', '42')).toBe(0);
  });
});
