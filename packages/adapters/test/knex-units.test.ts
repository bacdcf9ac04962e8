// Unit tests of the knex source's pure parts: the keyset condition, the dialect fragments, the value
// normalisation table, identifier validation and the MariaDB/PostgreSQL/SQLite error classifier.

import { describe, expect, test } from 'vitest';
import knexFactory from 'knex';
import { FerryError } from '@ferry/core';
import {
  classifyKnexError,
  keysetAfter,
  knexDialect,
  normalizeColumnValue,
  toKnexFerryError,
  validateIdentifier,
  withExactTypes,
} from '@ferry/adapters/knex';

describe('keysetAfter', () => {
  test('one column', () => {
    expect(keysetAfter([{ name: 'ID', placeholder: 'CAST(? AS bigint)' }], ['9007199254740993'])).toEqual({
      sql: '?? > CAST(? AS bigint)',
      bindings: ['ID', '9007199254740993'],
    });
  });

  test('three columns expand without row values', () => {
    const columns = ['A', 'B', 'C'].map((name) => ({ name, placeholder: '?' }));
    const { sql, bindings } = keysetAfter(columns, ['1', '2', '3']);
    expect(sql).toBe('?? >= ? AND (?? > ? OR (?? = ? AND ?? > ?) OR (?? = ? AND ?? = ? AND ?? > ?))');
    expect(bindings).toEqual(['A', '1', 'A', '1', 'A', '1', 'B', '2', 'A', '1', 'B', '2', 'C', '3']);
  });

  test('renders quoted SQL through knex on each dialect', () => {
    for (const [client, quoted] of [
      ['pg', '"A" >= ? AND ("A" > ? OR ("A" = ? AND "B" > ?))'],
      ['mysql2', '`A` >= ? AND (`A` > ? OR (`A` = ? AND `B` > ?))'],
      ['mssql', '[A] >= ? AND ([A] > ? OR ([A] = ? AND [B] > ?))'],
    ] as const) {
      const db = knexFactory({ client });
      const where = keysetAfter(
        ['A', 'B'].map((name) => ({ name, placeholder: '?' })),
        ['1', 'x'],
      );
      expect(
        db
          .raw(where.sql, [...where.bindings])
          .toSQL()
          .sql.replaceAll('$1', '?')
          .replace(/\$\d/g, '?'),
      ).toBe(quoted);
    }
  });

  test('refuses a value count that does not match the key', () => {
    expect(() => keysetAfter([{ name: 'A', placeholder: '?' }], [])).toThrow(RangeError);
  });
});

test('knexDialect reads the client', () => {
  expect(knexDialect(knexFactory({ client: 'pg' }))).toBe('postgres');
  expect(knexDialect(knexFactory({ client: 'mysql2' }))).toBe('mysql');
  expect(knexDialect(knexFactory({ client: 'better-sqlite3', useNullAsDefault: true }))).toBe('sqlite');
  expect(knexDialect(knexFactory({ client: 'mssql' }))).toBe('mssql');
});

describe('normalizeColumnValue', () => {
  const cases: [unknown, Parameters<typeof normalizeColumnValue>[1], unknown][] = [
    [null, 'decimal', null],
    ['99999999999999999999999999999.99999999', 'decimal', '99999999999999999999999999999.99999999'],
    ['.5', 'decimal', '0.5'],
    ['-.5', 'decimal', '-0.5'],
    [9007199254740993n, 'bigint', '9007199254740993'],
    [42, 'bigint', '42'],
    ['12', 'integer', 12],
    [1, 'boolean', true],
    [0, 'boolean', false],
    ['0', 'boolean', false],
    [Buffer.from([1]), 'boolean', true],
    [true, 'boolean', true],
    ['1900-01-01 00:00:00', 'datetime', '1900-01-01T00:00:00'],
    ['3000-12-31 23:59:59.000', 'datetime', '3000-12-31T23:59:59'],
    ['2024-02-29 10:11:12.500000', 'datetime', '2024-02-29T10:11:12.5'],
    ['2024-02-29', 'datetime', '2024-02-29T00:00:00'],
    ['1900-01-01T13:45:00', 'time', '13:45:00'],
    ['13:45:00', 'time', '13:45:00'],
    ['3000-12-31 00:00:00', 'date', '3000-12-31'],
    [new Date(Date.UTC(1900, 0, 1, 0, 0, 0)), 'datetime', '1900-01-01T00:00:00'],
    ['🚀 e\u0301', 'text', '🚀 e\u0301'],
    [7, 'text', '7'],
    [Buffer.from('ab'), 'binary', Buffer.from('ab')],
    [3.5, undefined, 3.5],
  ];
  test.each(cases)('%o as %s', (input, kind, expected) => {
    // Dates made with Date.UTC are read on the UTC clock (as mssql's useUTC does).
    expect(normalizeColumnValue(input, kind, 'utc')).toEqual(expected);
  });

  test('an unsafe JS number in an exact column is refused, not rounded', () => {
    expect(() => normalizeColumnValue(2 ** 53 + 2, 'bigint', 'utc')).toThrow(RangeError);
    expect(() => normalizeColumnValue(0.1, 'decimal', 'utc')).toThrow(RangeError);
  });

  test('a local Date without kind becomes a naive local string', () => {
    expect(normalizeColumnValue(new Date(1999, 11, 31, 23, 59, 58, 120), undefined, 'local')).toBe(
      '1999-12-31T23:59:58.120',
    );
  });
});

describe('validateIdentifier', () => {
  test.each(['OSUSR_S2M_ORDER', 'ID', '_x$1', 'a#b'])('accepts %s', (name) => {
    expect(validateIdentifier(name, 'table')).toBe(name);
  });
  test.each(['', '1abc', 'a b', 'x"; drop table y; --', 'a.b', 'é'])('refuses %j', (name) => {
    expect(() => validateIdentifier(name, 'table')).toThrow(FerryError);
  });
});

describe('classifyKnexError', () => {
  const cases: [string, unknown, string][] = [
    ['MariaDB deadlock', { errno: 1213, code: 'ER_LOCK_DEADLOCK' }, 'deadlock'],
    ['MariaDB lock wait timeout', { errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' }, 'timeout'],
    ['MariaDB duplicate', { errno: 1062, code: 'ER_DUP_ENTRY' }, 'unique-violation'],
    ['MariaDB access denied', { errno: 1045, code: 'ER_ACCESS_DENIED_ERROR' }, 'authentication'],
    ['MariaDB table denied', { errno: 1142, code: 'ER_TABLEACCESS_DENIED_ERROR' }, 'permission'],
    ['MariaDB column denied', { errno: 1143, code: 'ER_COLUMNACCESS_DENIED_ERROR' }, 'permission'],
    ['pg privilege', { code: '42501' }, 'permission'],
    ['MariaDB no table', { errno: 1146, code: 'ER_NO_SUCH_TABLE' }, 'not-found'],
    ['MariaDB FK', { errno: 1452, code: 'ER_NO_REFERENCED_ROW_2' }, 'constraint'],
    ['MariaDB cannot connect', { errno: 2002 }, 'connection'],
    ['MariaDB host error', { errno: 2003 }, 'connection'],
    ['socket refused', { errno: -111, code: 'ECONNREFUSED' }, 'connection'],
    ['connection lost', { code: 'PROTOCOL_CONNECTION_LOST' }, 'connection'],
    ['pg deadlock', { code: '40P01' }, 'deadlock'],
    ['pg serialization', { code: '40001' }, 'serialization'],
    ['pg unique', { code: '23505' }, 'unique-violation'],
    ['pg FK', { code: '23503' }, 'constraint'],
    ['pg auth', { code: '28P01' }, 'authentication'],
    ['pg no table', { code: '42P01' }, 'not-found'],
    ['pg admin shutdown', { code: '57P01' }, 'connection'],
    ['pg connection class', { code: '08006' }, 'connection'],
    ['sqlite busy', { code: 'SQLITE_BUSY' }, 'timeout'],
    ['sqlite unique', { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'unique-violation'],
    ['sqlite no table', { code: 'SQLITE_ERROR', message: 'no such table: X' }, 'not-found'],
    ['knex pool timeout', { name: 'KnexTimeoutError' }, 'timeout'],
    ['anything else', new Error('boom'), 'unknown'],
    ['not an object', 'boom', 'unknown'],
  ];
  test.each(cases)('%s', (_label, error, reason) => {
    expect(classifyKnexError(error)).toBe(reason);
  });

  test('the wrapped error keeps the cause and never the driver message', () => {
    const native = Object.assign(new Error("Duplicate entry 'secret-value' for key 'PRIMARY'"), {
      errno: 1062,
      code: 'ER_DUP_ENTRY',
    });
    const error = toKnexFerryError(native, {
      entity: 'Sales.Order',
      operation: 'read',
      position: { key: ['1'] },
    });
    expect(error).toMatchObject({
      reason: 'unique-violation',
      retryable: false,
      entity: 'Sales.Order',
      cause: native,
    });
    expect(error.message).not.toContain('secret-value');
    expect(toKnexFerryError({ errno: 1213 }, { entity: 'E', operation: 'read' }).retryable).toBe(true);
  });
});

describe('withExactTypes', () => {
  test('mysql2 gets big-number and date strings', () => {
    const config = withExactTypes({ client: 'mysql2', connection: { host: 'h' } });
    expect(config.connection).toMatchObject({
      host: 'h',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    });
    const url = withExactTypes({ client: 'mysql2', connection: 'mysql://u@h/db' }).connection as string;
    expect(new URL(url).searchParams.get('bigNumberStrings')).toBe('true');
  });

  test('pg keeps timestamps, int8 and numeric as text', () => {
    const config = withExactTypes({ client: 'pg', connection: 'postgres://u@h/db' });
    const types = (config.connection as { types: { getTypeParser(oid: number): (t: string) => unknown } })
      .types;
    expect(types.getTypeParser(1114)('1900-01-01 00:00:00')).toBe('1900-01-01 00:00:00');
    expect(types.getTypeParser(20)('9007199254740993')).toBe('9007199254740993');
    expect(types.getTypeParser(23)('12')).toBe(12);
  });
});
