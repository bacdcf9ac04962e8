import { describe, expect, it } from 'vitest';
import { FerryError } from '@ferry/core';
import {
  encodeCopyRows,
  encodeCopyValue,
  encodeParamValue,
  escapeCopyText,
  planTable,
  encodeCopyRowParts,
} from '@ferry/adapters/postgres';

describe('escapeCopyText', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a\\b', 'a\\\\b'],
    ['tab\there', 'tab\\there'],
    ['line\nbreak\r\n', 'line\\nbreak\\r\\n'],
    ['\\N', '\\\\N'],
    ['bell\u0007 and vt\u000b stay', 'bell\u0007 and vt\u000b stay'],
    ['emoji 😀 ünïcödé', 'emoji 😀 ünïcödé'],
  ])('%j → %j', (input, expected) => {
    expect(escapeCopyText(input)).toBe(expected);
  });

  it('returns the very same string when nothing needs escaping (fast path)', () => {
    const text = 'x'.repeat(1000);
    expect(escapeCopyText(text)).toBe(text);
  });

  it('refuses NUL with an invalid-data FerryError', () => {
    expect(() => escapeCopyText('a\u0000b')).toThrow(FerryError);
    expect(() => escapeCopyText('a\\\u0000')).toThrow(/NUL/);
  });
});

describe('encodeCopyValue', () => {
  it.each([
    [null, 'text', '\\N'],
    [undefined, 'text', '\\N'],
    // O11 stores empty text as '', never NULL: an empty field, not the NULL marker.
    ['', 'text', ''],
    ['\\N', 'text', '\\\\N'],
    [true, 'boolean', 't'],
    [false, 'boolean', 'f'],
    [42, 'integer', '42'],
    [-0.5, 'numeric', '-0.5'],
    [9007199254740993n, 'bigint', '9007199254740993'],
    ['99999999999999999999999999999.99999999', 'numeric', '99999999999999999999999999999.99999999'],
    ['2024-02-29', 'date', '2024-02-29'],
    ['23:59:59.999', 'time', '23:59:59.999'],
    [new Uint8Array([0, 1, 254, 255]), 'bytea', '\\\\x0001feff'],
    [new Uint8Array(0), 'bytea', '\\\\x'],
    [Buffer.from('hi'), 'bytea', '\\\\x6869'],
  ] as const)('%s as %s', (value, type, expected) => {
    const form = type === 'date' || type === 'time' ? type : 'iso';
    expect(encodeCopyValue(value, form)).toBe(expected);
  });

  it('writes a Date in UTC in the form of its column', () => {
    const date = new Date('1900-01-01T00:00:00.000Z');
    expect(encodeCopyValue(date, 'timestamp')).toBe('1900-01-01 00:00:00.000');
    expect(encodeCopyValue(date, 'date')).toBe('1900-01-01');
    expect(encodeCopyValue(new Date('3000-12-31T23:59:58.123Z'), 'time')).toBe('23:59:58.123');
    expect(encodeCopyValue(date, 'iso')).toBe('1900-01-01T00:00:00.000Z');
  });

  it('refuses invalid dates and non-finite numbers', () => {
    expect(() => encodeCopyValue(new Date(Number.NaN), 'timestamp')).toThrow(FerryError);
    expect(() => encodeCopyValue(new Date('+010000-01-01T00:00:00Z'), 'timestamp')).toThrow(/years/);
    expect(() => encodeCopyValue(Number.POSITIVE_INFINITY, 'iso')).toThrow(/finite/);
  });
});

describe('encodeParamValue', () => {
  it('keeps text unescaped, bytea as \\x hex and NULL as null', () => {
    expect(encodeParamValue('a\tb\\', 'iso')).toBe('a\tb\\');
    expect(encodeParamValue(new Uint8Array([10]), 'iso')).toBe('\\x0a');
    expect(encodeParamValue(null, 'iso')).toBeNull();
    expect(() => encodeParamValue('x\u0000', 'iso')).toThrow(/NUL/);
  });
});

describe('encodeCopyRows', () => {
  const plan = planTable({
    schema: 'app',
    table: 'customer',
    key: ['Id'],
    columns: [
      { name: 'Id', type: 'bigint', nullable: false },
      { name: 'Seq', type: 'bigint', nullable: false, generated: true },
      { name: 'Name', type: 'text', nullable: true },
      { name: 'Born', type: 'date', nullable: true },
    ],
  });

  it('encodes a slice of rows, skipping generated columns', () => {
    const rows = [
      { Id: 1n, Name: 'a\tb', Born: '2000-01-01' },
      { Id: 2n, Name: null, Born: new Date('1999-12-31T00:00:00Z') },
      { Id: 3n, Name: 'skipped' },
    ];
    expect(encodeCopyRows(plan, rows, 0, 2).toString()).toBe('1\ta\\tb\t2000-01-01\n2\t\\N\t1999-12-31\n');
    expect(encodeCopyRows(plan, rows, 2, 3).toString()).toBe('3\tskipped\t\\N\n');
    expect(encodeCopyRows(plan, rows, 3, 3).length).toBe(0);
  });

  it('writes UTF-8 and grows the piece past its first size (emoji, accents, a 5,000-character text)', () => {
    const long = 'é'.repeat(5000);
    const rows = [
      { Id: 1n, Name: 'naïve 😀 \\', Born: null },
      { Id: 2n, Name: long, Born: '2024-02-29' },
      { Id: 3n, Name: '\ud83d\ude00'.repeat(700), Born: null },
    ];
    const expected = `1\tnaïve 😀 \\\\\t\\N\n2\t${long}\t2024-02-29\n3\t${'😀'.repeat(700)}\t\\N\n`;
    for (const hint of [1, 1024, 64 * 1024]) {
      const piece = encodeCopyRows(plan, rows, 0, 3, hint);
      expect(piece.toString('utf8')).toBe(expected);
      expect(piece.length).toBe(Buffer.byteLength(expected));
    }
  });

  it('names table, column and key of a bad value, never the value', () => {
    const secret = 'secret\u0000value';
    try {
      encodeCopyRows(
        plan,
        [
          { Id: 1n, Name: 'ok' },
          { Id: 7n, Name: secret },
        ],
        0,
        2,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FerryError);
      const e = error as FerryError;
      expect(e.reason).toBe('invalid-data');
      expect(e.attribute).toBe('Name');
      expect(e.key).toEqual(['7']);
      expect(e.message).toContain('app.customer.Name');
      expect(e.message).toContain('NUL');
      expect(e.message).not.toContain('secret');
      expect([e.code, e.operation]).toEqual(['FERRY_PG_ENCODE', 'encode']);
    }
  });
});

// Added for the mutants that survived the first Stryker run (see packages/adapters/README.md).
describe('COPY encoding edges', () => {
  it('escapes a text made only of control characters (no plain character before them)', () => {
    expect(escapeCopyText('\t')).toBe('\\t');
    expect(escapeCopyText('\r\n\t')).toBe('\\r\\n\\t');
    expect(escapeCopyText('\\')).toBe('\\\\');
  });

  it('takes years 1 and 9999 and refuses year 0 with a classified error', () => {
    const year = (y: string) => new Date(`${y}-06-15T00:00:00.000Z`);
    expect(encodeCopyValue(year('0001'), 'date')).toBe('0001-06-15');
    expect(encodeCopyValue(year('9999'), 'date')).toBe('9999-06-15');
    expect(() => encodeCopyValue(new Date('0000-06-15T00:00:00.000Z'), 'date')).toThrow(/years 1 to 9999/);
  });

  it('classifies an encoding failure: FERRY_PG_ENCODE, invalid-data, operation encode', () => {
    expect(() => encodeCopyValue('a\u0000', 'iso')).toThrow(
      expect.objectContaining({ code: 'FERRY_PG_ENCODE', reason: 'invalid-data', operation: 'encode' }),
    );
  });
});

describe('encodeCopyRowParts (large Binary Data in parts)', () => {
  const plan = planTable({
    schema: 'app',
    table: 'photo',
    key: ['Id'],
    columns: [
      { name: 'Id', type: 'bigint', nullable: false },
      { name: 'Data', type: 'bytea', nullable: false },
      { name: 'Name', type: 'text', nullable: true },
    ],
  });

  it('joined, the parts are the row encodeCopyRows writes; no part holds more than 2 × partBytes of hex', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
    const row = { Id: 7n, Data: data, Name: 'a\tb' };
    const parts = [...encodeCopyRowParts(plan, row, 64)];
    expect(parts.join('')).toBe(encodeCopyRows(plan, [row], 0, 1).toString());
    expect(parts.join('')).toBe(`7\t\\\\x${data.toString('hex')}\ta\\tb\n`);
    expect(parts.length).toBe(2 + Math.ceil(1000 / 64));
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThanOrEqual(2 * 64);
  });

  it('a value at or under partBytes stays in one part', () => {
    const row = { Id: 1n, Data: Buffer.from([1, 2]), Name: null };
    expect([...encodeCopyRowParts(plan, row, 64)]).toEqual(['1\t\\\\x0102\t\\N\n']);
  });
});
