// The knex source's per-column normalisers and the text fast paths: each must give exactly what the
// general normalisation gives, for the text a database CAST returns and for every other shape.

import { describe, expect, test } from 'vitest';
import { normalizeColumnValue, normalizeDateTimeText } from '@ferry/adapters/knex';
import { columnNormalizer } from '../src/knex/column-value.js';
import type { ColumnKind } from '../src/knex/knex-column.js';

const KINDS: (ColumnKind | undefined)[] = [
  'bigint',
  'decimal',
  'integer',
  'boolean',
  'date',
  'time',
  'datetime',
  'text',
  'binary',
  undefined,
];

const VALUES: unknown[] = [
  null,
  undefined,
  '2020-01-02 03:04:05',
  '2020-01-02 03:04:05.000000',
  '2020-01-02 03:04:05.120000',
  ' 2020-01-02 03:04:05',
  '2020-01-02T03:04:05',
  '2020-01-02',
  '2020-1-02 03:04:05x',
  '1900-01-01 00:00:00',
  '12:30:00',
  '123',
  '-123.4500',
  ' 12.5 ',
  '.5',
  '-.5',
  '-',
  '',
  '0',
  'false',
  42,
  10n,
  true,
  Buffer.from([0, 1]),
  Buffer.from([0]),
  new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 120)),
];

describe('columnNormalizer', () => {
  test('equals normalizeColumnValue for every kind and value', () => {
    for (const kind of KINDS) {
      for (const clock of ['local', 'utc'] as const) {
        const normalize = columnNormalizer(kind, clock);
        for (const value of VALUES) {
          expect(normalize(value), `${kind} ${String(value)}`).toEqual(
            normalizeColumnValue(value, kind, clock),
          );
        }
      }
    }
  });

  test('keeps CAST text as it is, only the date-time space becomes T', () => {
    expect(columnNormalizer('decimal', 'local')('-123.4500')).toBe('-123.4500');
    expect(columnNormalizer('decimal', 'local')('-.5')).toBe('-0.5');
    expect(columnNormalizer('bigint', 'local')(' 7 ')).toBe('7');
    expect(columnNormalizer('date', 'local')('2020-01-02')).toBe('2020-01-02');
    expect(normalizeDateTimeText('2020-01-02 03:04:05')).toBe('2020-01-02T03:04:05');
    expect(normalizeDateTimeText('2020-01-02 03:04:05.500000')).toBe('2020-01-02T03:04:05.5');
    expect(normalizeDateTimeText('2020-01-02 03:04:0x')).toBe('2020-01-02T03:04:0x');
  });
});
