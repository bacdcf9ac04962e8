// The O11 "no value" of each type under the keyed masks (issue 16 review, items 1 and 4): kept as it is
// by `hash`, `fake` and `shift`, written by `redact`; a non-empty value never masked into one; and
// Boolean refused for `hash` (a keyed function of one bit is a constant, a negation or the identity).
import { describe, expect, it } from 'vitest';
import {
  MaskKey,
  compileMapping,
  validateMapping,
  type AttributeSpec,
  type MappingSpec,
} from '@ferry/mapping';
import { runStage } from './helpers.js';

const KEYS = ['empty-key-0123456789abcdef', 'boolean-probe-key-3-xxxxxxxx', 'third-key-abcdefghijklmnop'];

function spec(attributes: Record<string, AttributeSpec>): MappingSpec {
  return {
    version: 1,
    entities: [
      {
        source: { module: 'Crm', entity: 'Person' },
        target: { table: 'person' },
        key: ['Id'],
        attributes: { Id: { type: 'rtLongInteger', mandatory: true }, ...attributes },
      },
    ],
  };
}

async function mapRows(
  attributes: Record<string, AttributeSpec>,
  rows: Record<string, unknown>[],
  secret: string,
): Promise<Record<string, unknown>[]> {
  const entity = compileMapping(spec(attributes), { maskKey: MaskKey.fromSecret(secret) }).entity(
    'Crm.Person',
  );
  const [batch] = await runStage(
    entity,
    {},
    rows.map((row, i) => ({ ID: String(i + 1), ...row })),
  );
  expect(batch!.rejects ?? []).toEqual([]);
  return batch!.rows as Record<string, unknown>[];
}

/** One attribute per type and keyed mask, with the O11 empty value each converter gives back. */
const EMPTIES: [string, AttributeSpec, unknown, unknown][] = [
  ['Text', { type: 'rtText', length: 50, mask: 'hash' }, '', ''],
  ['Name', { type: 'rtText', length: 50, mask: { kind: 'fake', as: 'full-name' } }, '', ''],
  ['Mail', { type: 'rtEmail', length: 250, mask: 'fake' }, '', ''],
  ['Phone', { type: 'rtPhoneNumber', length: 20, mask: 'hash' }, '', ''],
  ['Count', { type: 'rtInteger', mask: 'hash' }, 0, 0],
  ['Big', { type: 'rtLongInteger', mask: 'hash' }, '0', '0'],
  ['Amount', { type: 'rtDecimal', length: 12, decimals: 2, mask: 'hash' }, '0.00', '0'],
  ['Money', { type: 'rtCurrency', mask: 'hash' }, '0', '0'],
  ['Born', { type: 'rtDate', mask: 'shift' }, '1900-01-01 00:00:00', '1900-01-01'],
  ['Day', { type: 'rtDate', mask: 'hash' }, '1900-01-01', '1900-01-01'],
  ['At', { type: 'rtTime', mask: 'hash' }, '1900-01-01 00:00:00', '00:00:00'],
  ['Seen', { type: 'rtDateTime', mask: 'hash' }, '1900-01-01 00:00:00', '1900-01-01T00:00:00Z'],
  [
    'Moved',
    { type: 'rtDateTime', mask: { kind: 'fake', as: 'date' } },
    '1900-01-01 00:00:00',
    '1900-01-01T00:00:00Z',
  ],
  ['Photo', { type: 'rtBinaryData', mask: 'hash' }, Buffer.alloc(0), Buffer.alloc(0)],
];

const snake = (name: string): string => name.toLowerCase();

describe('O11 empty values under masks', () => {
  it.each(KEYS)('hash, fake and shift keep each type\'s O11 "no value" (key %s)', async (secret) => {
    const attributes = Object.fromEntries(EMPTIES.map(([name, attribute]) => [name, attribute]));
    const row = Object.fromEntries(EMPTIES.map(([name, , raw]) => [name.toUpperCase(), raw]));
    const [mapped] = await mapRows(attributes, [row], secret);
    for (const [name, , , expected] of EMPTIES) expect(mapped![snake(name)], name).toEqual(expected);
  });

  it.each(KEYS)('never masks a non-empty number or time into the "no value" (key %s)', async (secret) => {
    const attributes: Record<string, AttributeSpec> = {
      Count: { type: 'rtInteger', mask: 'hash' },
      Big: { type: 'rtLongInteger', mask: 'hash' },
      Amount: { type: 'rtDecimal', length: 5, decimals: 2, mask: 'hash' },
      Rate: { type: 'rtDecimal', length: 2, decimals: 2, mask: 'hash' },
      At: { type: 'rtTime', mask: 'hash' },
    };
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const n = i + 1;
      const seconds = (n * 43) % 86_400 || 1;
      const time = new Date(seconds * 1000).toISOString().slice(11, 19);
      return {
        COUNT: n % 2 ? n : -n,
        BIG: String(n * 7),
        AMOUNT: (n % 1000) / 100,
        RATE: `0.${String(n % 100).padStart(2, '0')}`,
        AT: time,
      };
    });
    const mapped = await mapRows(attributes, rows, secret);
    mapped.forEach((row, i) => {
      expect(row['count'], `row ${i}`).not.toBe(0);
      expect(row['big'], `row ${i}`).not.toBe('0');
      if (rows[i]!.AMOUNT !== 0) expect(row['amount'], `row ${i}`).not.toMatch(/^-?0(\.0+)?$/);
      if (rows[i]!.RATE !== '0.00') expect(row['rate'], `row ${i}`).toMatch(/^0\.(?!0+$)\d+$/);
      expect(row['at'], `row ${i}`).not.toBe('00:00:00');
      expect(row['at'], `row ${i}`).not.toBe(rows[i]!.AT);
    });
  });

  it('redact writes each type\'s "no value", false for a Boolean', async () => {
    const [mapped] = await mapRows(
      {
        Flag: { type: 'rtBoolean', mask: 'redact' },
        Count: { type: 'rtInteger', mask: 'redact' },
        At: { type: 'rtTime', mask: 'redact' },
      },
      [{ FLAG: true, COUNT: 5, AT: '12:00:00' }],
      KEYS[0]!,
    );
    expect(mapped).toMatchObject({ flag: false, count: 0, at: '00:00:00' });
  });
});

describe('Boolean and hash (regression: a per-value Boolean hash equalled the source under some keys)', () => {
  it('is refused by the mapping check, pointing at redact and null', () => {
    const issues = validateMapping(spec({ Active: { type: 'rtBoolean', mask: 'hash' } }));
    expect(issues).toEqual([
      {
        path: '/entities/0/attributes/Active/mask',
        message: expect.stringMatching(/"hash" cannot hide a Boolean.*"redact".*"null"/) as unknown,
      },
    ]);
    expect(() =>
      compileMapping(spec({ Active: { type: 'rtBoolean', mask: 'hash' } }), {
        maskKey: MaskKey.fromSecret(KEYS[1]!),
      }),
    ).toThrow(/cannot hide a Boolean/);
    expect(validateMapping(spec({ Active: { type: 'rtBoolean', mask: 'redact' } }))).toEqual([]);
    expect(validateMapping(spec({ Active: { type: 'rtBoolean', mask: 'null' } }))).toEqual([]);
  });
});
