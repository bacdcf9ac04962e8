// Unit tests of the verification's building blocks: the canonical forms that make a mapped source
// value and PostgreSQL's text output of the same data equal (and different data different), the
// order-independent digest, and the refusal of configurations that could double rows on resume.

import { describe, expect, test } from 'vitest';
import { FerryError, MemoryCheckpointStore } from '@ferry/core';
import type { TargetType } from '@ferry/mapping';
import { canonicalDecimal, canonicalLine, canonicalValue, TableDigest } from '@ferry/adapters/migration';
import { o11MigrationPlan } from '@ferry/adapters/migration';
import type { PgPool } from '@ferry/adapters/postgres';

describe('canonicalValue: source value and PostgreSQL text meet', () => {
  const same: [TargetType, unknown, string, string][] = [
    ['numeric', '12.5', '12.50000000', '12.5'],
    ['numeric', '-0.00000001', '-0.00000001', '-0.00000001'],
    ['numeric', '0', '0.00000000', '0'],
    ['numeric', '-0.000', '0.000', '0'],
    [
      'numeric',
      '99999999999999999999999999999.99999999',
      '99999999999999999999999999999.99999999',
      '99999999999999999999999999999.99999999',
    ],
    ['numeric', '007', '7', '7'],
    ['bigint', '9007199254740993', '9007199254740993', '9007199254740993'],
    ['bigint', 9007199254740993n, '9007199254740993', '9007199254740993'],
    ['integer', 42, '42', '42'],
    ['boolean', true, 't', 't'],
    ['boolean', false, 'f', 'f'],
    ['date', '1900-01-01', '1900-01-01', '1900-01-01'],
    ['time', '10:15:30', '10:15:30', '10:15:30'],
    ['time', '10:15:30.120', '10:15:30.12', '10:15:30.12'],
    ['time', '10:15:30.000', '10:15:30', '10:15:30'],
    ['timestamp', '3000-12-31T23:59:59Z', '3000-12-31 23:59:59', '3000-12-31 23:59:59'],
    ['timestamp', '2024-03-31T01:30:00.500000Z', '2024-03-31 01:30:00.5', '2024-03-31 01:30:00.5'],
    ['timestamp', new Date('2024-01-02T03:04:05.678Z'), '2024-01-02 03:04:05.678', '2024-01-02 03:04:05.678'],
    ['bytea', Buffer.from([0, 1, 254, 255]), '\\x0001feff', '0001feff'],
    ['bytea', Buffer.alloc(0), '\\x', ''],
    ['text', 'family 👨‍👩‍👧 emoji', 'family 👨‍👩‍👧 emoji', 'family 👨‍👩‍👧 emoji'],
    ['varchar', '', '', ''],
  ];
  test.each(same)('%s: %s ≡ %s', (type, value, text, canonical) => {
    expect(canonicalValue(value as never, type)).toBe(canonical);
    expect(canonicalValue(text, type)).toBe(canonical);
  });

  const different: [TargetType, unknown, string][] = [
    ['numeric', '12.5', '12.50000001'],
    ['numeric', '-1', '1'],
    ['bigint', '9007199254740993', '9007199254740992'],
    ['boolean', true, 'f'],
    ['timestamp', '2024-01-01T00:00:00Z', '2024-01-01 00:00:01'],
    ['time', '10:15:30', '10:15:30.001'],
    ['bytea', Buffer.from([1]), '\\x02'],
    ['text', 'Jose\u0301', 'José'],
  ];
  test.each(different)('%s: %s ≢ %s', (type, value, text) => {
    expect(canonicalValue(value as never, type)).not.toBe(canonicalValue(text, type));
  });

  test('NULL stays apart from every text, also the empty one and "null"', () => {
    expect(canonicalValue(null, 'text')).toBeNull();
    expect(canonicalLine([null])).not.toBe(canonicalLine(['null']));
    expect(canonicalLine([null])).not.toBe(canonicalLine(['']));
    expect(canonicalLine(['a', 'b'])).not.toBe(canonicalLine(['a,b']));
  });

  test('an unparseable decimal is marked so it never equals a real one', () => {
    expect(canonicalDecimal('abc')).toBe('?abc');
    expect(canonicalDecimal('.')).toBe('?.');
    expect(canonicalDecimal('.5')).toBe('0.5');
  });
});

describe('TableDigest', () => {
  const lines = Array.from({ length: 500 }, (_, i) => canonicalLine([String(i), `row ${i}`]));
  const digest = (rows: readonly string[]) => {
    const d = new TableDigest();
    for (const line of rows) d.add(line);
    return d;
  };

  test('the same rows in another order give the same checksum', () => {
    expect(digest([...lines].reverse()).checksum).toBe(digest(lines).checksum);
    expect(digest(lines).rows).toBe(500);
  });

  test('a changed, missing, doubled or swapped-value row changes it', () => {
    const base = digest(lines).checksum;
    expect(digest(lines.map((l, i) => (i === 7 ? canonicalLine(['7', 'row 8']) : l))).checksum).not.toBe(
      base,
    );
    expect(digest(lines.slice(1)).checksum).not.toBe(base);
    const doubled = digest([...lines, lines[3]!]);
    expect(doubled.checksum).not.toBe(base);
    // Two copies of a row cancel in the XOR half, but not in the sum half.
    expect(digest([...lines, lines[3]!, lines[3]!]).checksum).not.toBe(base);
  });
});

describe('o11MigrationPlan refuses what could double rows on resume', () => {
  const pool = { query: () => Promise.reject(new Error('no database')) } as unknown as PgPool;
  const catalog = { modules: [], entities: [] };
  const mapping = { version: 1 as const, entities: [] };

  test.each(['copy', 'insert'] as const)(
    '%s mode without the PostgreSQL store on the target pool',
    async (mode) => {
      const planned = o11MigrationPlan({
        source: { factory: () => ({ name: 'x', read: async function* () {} }) },
        catalog,
        mapping,
        target: { pool, mode },
        checkpoints: new MemoryCheckpointStore(),
      });
      await expect(planned).rejects.toBeInstanceOf(FerryError);
      await expect(planned).rejects.toMatchObject({
        code: 'FERRY_MIGRATION_CHECKPOINTS',
        reason: 'invalid-config',
      });
    },
  );

  test('upsert mode takes any checkpoint store', async () => {
    const planned = await o11MigrationPlan({
      source: { factory: () => ({ name: 'x', read: async function* () {} }) },
      catalog,
      mapping,
      target: { pool, mode: 'upsert' },
      checkpoints: new MemoryCheckpointStore(),
    });
    expect(planned.plan.entities).toEqual([]);
  });
});
