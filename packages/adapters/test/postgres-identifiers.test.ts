// quoteIdentifier: every `"` doubled and the name wrapped, so no mapping name can end the quoting; bad
// names refused. (The round trip through a real table is the conformance case `hostile identifiers`.)

import { describe, expect, it } from 'vitest';
import { qualifiedTableName, quoteIdentifier } from '@ferry/adapters/postgres';

describe('quoteIdentifier', () => {
  it('doubles every " and wraps the name', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier('"')).toBe('""""');
    expect(quoteIdentifier('Conf "Table" select')).toBe('"Conf ""Table"" select"');
    expect(quoteIdentifier('Mixed Case')).toBe('"Mixed Case"');
  });

  it('accepts 63 bytes and refuses 64, an empty name and control characters', () => {
    expect(quoteIdentifier('é'.repeat(31) + 'a')).toBe(`"${'é'.repeat(31)}a"`);
    for (const bad of ['', 'é'.repeat(32), 'a\tb', 'a\u007fb', '\u001f'])
      expect(() => quoteIdentifier(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'FERRY_PG_IDENTIFIER', reason: 'invalid-config' }),
      );
    expect(() => quoteIdentifier('x'.repeat(64))).toThrow(/must be 1 to 63 bytes long: fix the mapping/);
    expect(() => quoteIdentifier('a\tb')).toThrow(/contains a control character/);
  });

  it('names at most 80 characters of a bad name in the message', () => {
    const long = 'a'.repeat(80) + 'TAIL';
    expect(() => quoteIdentifier(long)).toThrow(`identifier "${'a'.repeat(80)}" must be`);
  });

  it('qualifies with the schema when there is one', () => {
    expect(qualifiedTableName({ schema: 's"x', table: 'T' })).toBe('"s""x"."T"');
    expect(qualifiedTableName({ table: 'T' })).toBe('"T"');
  });
});
