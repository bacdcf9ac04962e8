// Table-driven conversion tests with O11 edge values: decimal(37,8) limits, bigint beyond 2^53,
// unicode lengths, NUL, booleans, binary sizes.
import { describe, expect, it } from 'vitest';
import {
  ConversionFailure,
  binaryConverter,
  booleanConverter,
  decimalConverter,
  integerConverter,
  longIntegerConverter,
  textConverter,
  type Converter,
} from '@ferry/mapping';

function outcome(convert: Converter, input: unknown): unknown {
  const result = convert(input as never);
  return result instanceof ConversionFailure ? `!${result.rule}` : result;
}

describe('Decimal and Currency', () => {
  const currency = decimalConverter({ precision: 37, scale: 8, rounding: 'reject' });
  const max = '99999999999999999999999999999.99999999';
  it.each([
    [max, max],
    [`-${max}`, `-${max}`],
    ['0.00000001', '0.00000001'],
    ['-0.00000001', '-0.00000001'],
    ['12345678901234567890123456789.12345678', '12345678901234567890123456789.12345678'],
    ['000123.45000', '123.45'],
    ['-0.000', '0'],
    ['1e3', '1000'],
    ['1.5E-7', '0.00000015'],
    [12345678901234567890n, '12345678901234567890'],
    [0.1, '0.1'],
    [42, '42'],
    ['100000000000000000000000000000', '!precision'],
    ['0.000000001', '!scale'],
    ['abc', '!type'],
    [0.30000000000000004, '!unsafe-number'],
    [null, null],
  ])('%s → %s', (input, expected) => expect(outcome(currency, input)).toBe(expected));

  it.each([
    ['half-even', '0.000000025', '0.00000002'],
    ['half-even', '0.000000035', '0.00000004'],
    ['half-up', '0.000000025', '0.00000003'],
    ['half-up', '-0.000000025', '-0.00000003'],
    ['down', '0.000000029', '0.00000002'],
    ['half-even', '99999999999999999999999999999.999999995', '!precision'],
    ['half-even', '9.999999995', '10'],
    ['half-even', '-0.000000001', '0'],
  ] as const)('rounding %s: %s → %s', (rounding, input, expected) =>
    expect(outcome(decimalConverter({ precision: 37, scale: 8, rounding }), input)).toBe(expected),
  );

  it('gives the general parse result for plain text (the one-scan fast path)', () => {
    // A leading space fails the fast path and is trimmed by the general parse.
    const targets = [
      decimalConverter({ precision: 37, scale: 8, rounding: 'half-even' }),
      decimalConverter({ precision: 5, scale: 2, rounding: 'reject' }),
      decimalConverter({ precision: 3, scale: 3, rounding: 'reject' }),
    ];
    const parts = ['0', '00', '5', '12', '120', '99999', '1234567890123456789012345678901'];
    const fractions = [
      '',
      '.',
      '.0',
      '.000',
      '.5',
      '.50',
      '.05',
      '.123',
      '.12345678',
      '.123456789',
      '.99999999500',
    ];
    for (const convert of targets)
      for (const sign of ['', '-'])
        for (const int of parts)
          for (const frac of fractions) {
            const text = `${sign}${int}${frac}`;
            expect(outcome(convert, text), text).toBe(outcome(convert, ` ${text}`));
          }
    expect(outcome(targets[0]!, '12.50000000')).toBe('12.5');
    expect(outcome(targets[2]!, '-0.120')).toBe('-0.12');
  });

  it('checks a smaller target precision and scale', () => {
    const small = decimalConverter({ precision: 5, scale: 2, rounding: 'reject' });
    expect(outcome(small, '999.99')).toBe('999.99');
    expect(outcome(small, '1000')).toBe('!precision');
    expect(outcome(small, '1.234')).toBe('!scale');
  });
});

describe('Integer and Long Integer', () => {
  const long = longIntegerConverter('string');
  it.each([
    [9007199254740993n, '9007199254740993'],
    ['9007199254740993', '9007199254740993'],
    ['9223372036854775807', '9223372036854775807'],
    ['-9223372036854775808', '-9223372036854775808'],
    ['9223372036854775808', '!range'],
    [2 ** 53 + 2, '!unsafe-number'],
    [42, '42'],
    ['4.2', '!type'],
  ])('Long Integer %s → %s', (input, expected) => expect(outcome(long, input)).toBe(expected));

  it('can output bigint', () =>
    expect(longIntegerConverter('bigint')('9007199254740993')).toBe(9007199254740993n));

  it.each([
    [2147483647, 2147483647],
    [-2147483648, -2147483648],
    [2147483648, '!range'],
    ['17', 17],
    [17n, 17],
    [1.5, '!type'],
  ])('Integer %s → %s', (input, expected) => expect(outcome(integerConverter(), input)).toBe(expected));
});

describe('Text lengths and NUL', () => {
  const emoji = '😀'; // 1 code point, 2 UTF-16 units
  const combining = 'e\u0301'; // é decomposed: 2 code points
  it.each([
    ['code-points', 5, emoji.repeat(5), 'ok'],
    ['code-points', 4, emoji.repeat(5), '!max-length'],
    ['utf16', 10, emoji.repeat(5), 'ok'],
    ['utf16', 9, emoji.repeat(5), '!max-length'],
    ['code-points', 2, combining, 'ok'],
    ['code-points', 1, combining, '!max-length'],
    ['utf16', 2, '\uD834\uDD1E', 'ok'],
    ['code-points', 1, '\uD834\uDD1E', 'ok'],
    ['code-points', 1, '\uD834', 'ok'],
    ['code-points', 3, 'abcd', '!max-length'],
  ] as const)('%s, max %i', (unit, maxLength, text, expected) => {
    const convert = textConverter({ maxLength, unit, nul: 'reject', nulReplacement: '' });
    const result = outcome(convert, text);
    expect(result === text ? 'ok' : result).toBe(expected);
  });

  it.each([
    ['reject', '!nul'],
    ['strip', 'ab'],
    ['replace', 'a\uFFFDb'],
  ] as const)('NUL policy %s', (nul, expected) => {
    expect(
      outcome(
        textConverter({ maxLength: 10, unit: 'code-points', nul, nulReplacement: '\uFFFD' }),
        'a\u0000b',
      ),
    ).toBe(expected);
  });

  it('counts the length after stripping NULs', () => {
    expect(
      outcome(
        textConverter({ maxLength: 2, unit: 'code-points', nul: 'strip', nulReplacement: '' }),
        'a\u0000b',
      ),
    ).toBe('ab');
  });
});

describe('Boolean', () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    [1n, true],
    [0n, false],
    ['1', true],
    ['0', false],
    ['true', true],
    ['FALSE', false],
    [Buffer.from([1]), true],
    [2, '!type'],
    ['maybe', '!type'],
    [null, null],
  ])('%s → %s', (input, expected) => expect(outcome(booleanConverter(), input)).toBe(expected));
});

describe('Binary Data', () => {
  const limit = binaryConverter(20 * 1024 * 1024);
  it('keeps 0 bytes', () => expect(outcome(limit, new Uint8Array(0))).toEqual(new Uint8Array(0)));
  it('keeps exactly 20 MB', () =>
    expect((limit(Buffer.alloc(20 * 1024 * 1024)) as Uint8Array).byteLength).toBe(20 * 1024 * 1024));
  it('rejects 20 MB + 1 byte', () =>
    expect(outcome(limit, Buffer.alloc(20 * 1024 * 1024 + 1))).toBe('!binary-size'));
  it('reads hex text', () => expect(outcome(limit, '0x00ff10')).toEqual(Uint8Array.from([0, 255, 16])));
  it('refuses non-binary', () => expect(outcome(limit, 'hello')).toBe('!type'));
});
