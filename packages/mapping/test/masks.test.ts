// Masks (issue 16): each kind through compileMapping and the mapping stage, with expected values
// derived from the inputs (shapes, ranges, inequality), the checks on the spec, the key handling, and
// that redact/null columns are not among the columns the source selects.
import { describe, expect, it } from 'vitest';
import {
  MaskKey,
  UserMap,
  userMasker,
  suggestMasks,
  compileMapping,
  validateMapping,
  type AttributeSpec,
  type MappingSpec,
} from '@ferry/mapping';
import { runStage } from './helpers.js';

const key = MaskKey.fromSecret('test-key-0123456789abcdef');
const otherKey = MaskKey.fromSecret('another-key-0123456789abcdef');

function spec(attributes: Record<string, AttributeSpec>, extra: Partial<MappingSpec> = {}): MappingSpec {
  return {
    version: 1,
    ...extra,
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

async function mapOne(
  attributes: Record<string, AttributeSpec>,
  row: Record<string, unknown>,
  maskKey = key,
): Promise<Record<string, unknown>> {
  const entity = compileMapping(spec(attributes), { maskKey }).entity('Crm.Person');
  const [batch] = await runStage(entity, {}, [{ ID: '1', ...row }]);
  expect(batch!.rejects ?? []).toEqual([]);
  return batch!.rows[0] as Record<string, unknown>;
}

describe('hash', () => {
  it('keeps length and character classes of text, changing every letter and digit, deterministically', async () => {
    const attrs = { Name: { type: 'rtText', length: 50, mask: 'hash' } } as const;
    const source = "Ana-Maria O'Neil 42";
    const { name } = await mapOne(attrs, { NAME: source });
    const text = String(name);
    expect([...text]).toHaveLength([...source].length);
    [...source].forEach((c, i) => {
      const m = text[i]!;
      if (/[a-z]/.test(c)) expect(m).toMatch(/[a-z]/);
      if (/[A-Z]/.test(c)) expect(m).toMatch(/[A-Z]/);
      if (/[0-9]/.test(c)) expect(m).toMatch(/[0-9]/);
      if (/[ '-]/.test(c)) expect(m).toBe(c);
      else expect(m).not.toBe(c);
    });
    expect((await mapOne(attrs, { NAME: source })).name).toBe(name);
    expect((await mapOne(attrs, { NAME: source }, otherKey)).name).not.toBe(name);
  });

  it('keeps decimals exact text within precision and scale, and 64-bit integers exact', async () => {
    const attrs = {
      Salary: { type: 'rtDecimal', length: 12, decimals: 2, mask: 'hash' },
      Money: { type: 'rtCurrency', mask: 'hash' },
      Big: { type: 'rtLongInteger', mask: 'hash' },
      Small: { type: 'rtInteger', mask: 'hash' },
      Rate: { type: 'rtDecimal', length: 2, decimals: 2, mask: 'hash' },
      Zero: { type: 'rtDecimal', length: 2, decimals: 2, mask: 'hash' },
    } as const;
    const row = await mapOne(attrs, {
      SALARY: '-1234567890.12',
      MONEY: '99999999999999999999999999999.99999999',
      BIG: '9223372036854775807',
      SMALL: 2147483647,
      RATE: '0.57',
      ZERO: '0',
    });
    expect(row['rate']).toMatch(/^0\.\d{1,2}$/); // no integer digit fits Decimal(2,2)
    expect(row['rate']).not.toBe('0.57');
    expect(row['zero']).toBe('0'); // the O11 "no value" of a number is kept (see 'O11 empty values')
    expect(row['salary']).toMatch(/^-[1-9]\d{9}\.\d{1,2}$/);
    expect(row['salary']).not.toBe('-1234567890.12');
    expect(String(row['money']).replace('.', '').length).toBeLessThanOrEqual(37);
    expect(row['money']).not.toBe('99999999999999999999999999999.99999999');
    expect(typeof row['big']).toBe('string');
    expect(BigInt(row['big'] as string) <= 9223372036854775807n).toBe(true);
    expect(row['big']).not.toBe('9223372036854775807');
    expect(Number.isInteger(row['small'])).toBe(true);
    expect(Math.abs(row['small'] as number)).toBeLessThanOrEqual(2147483647);
    expect(row['small']).not.toBe(2147483647);
  });

  it('hashes dates, times, date-times and binary into valid values, and keeps O11 empty values', async () => {
    const attrs = {
      D: { type: 'rtDate', mask: 'hash' },
      T: { type: 'rtTime', mask: 'hash' },
      Dt: { type: 'rtDateTime', mask: 'hash' },
      Bin: { type: 'rtBinaryData', mask: 'hash' },
      Empty: { type: 'rtText', mask: 'hash' },
      NoDate: { type: 'rtDate', mask: 'hash' },
    } as const;
    const row = await mapOne(attrs, {
      D: '1985-03-04',
      T: '13:14:15',
      DT: '2001-02-03 04:05:06',
      BIN: Buffer.from('photo bytes'),
      EMPTY: '',
      NODATE: '1900-01-01',
    });
    expect(row['d']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row['d']).not.toBe('1985-03-04');
    expect(String(row['d']) >= '1900-01-02' && String(row['d']) <= '3000-12-31').toBe(true);
    expect(row['t']).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(row['dt']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Buffer.from(row['bin'] as Uint8Array).includes(Buffer.from('photo'))).toBe(false);
    expect((row['bin'] as Uint8Array).byteLength).toBe(32);
    expect(row['empty']).toBe('');
    expect(row['no_date']).toBe('1900-01-01');
  });
});

describe('shift', () => {
  it('moves a date by 1..days days (never 0) the same way for the same date, inside O11 limits', async () => {
    const attrs = {
      Born: { type: 'rtDate', mask: { kind: 'shift', days: 30 } },
      At: { type: 'rtDateTime', mask: { kind: 'shift', days: 30 } },
    } as const;
    const day = (s: string): number => Date.parse(`${s.slice(0, 10)}T00:00:00Z`) / 86_400_000;
    for (const date of ['1970-06-15', '3000-12-31', '1900-01-02', '2024-02-29']) {
      const row = await mapOne(attrs, { BORN: date, AT: `${date} 10:11:12` });
      const moved = Math.abs(day(String(row['born'])) - day(date));
      expect(moved).toBeGreaterThanOrEqual(1);
      expect(moved).toBeLessThanOrEqual(30);
      expect(String(row['born']) <= '3000-12-31' && String(row['born']) >= '1900-01-02').toBe(true);
      expect(String(row['at']).slice(0, 10)).toBe(row['born']); // same date, same shift
      expect(String(row['at']).slice(10)).toBe('T10:11:12Z');
    }
  });
});

describe('fake', () => {
  it('gives names, phones, addresses and dates of their kind, never the source value', async () => {
    const attrs = {
      First: { type: 'rtText', length: 30, mask: { kind: 'fake', as: 'first-name' } },
      Full: { type: 'rtText', length: 8, mask: { kind: 'fake', as: 'full-name' } },
      Phone: { type: 'rtPhoneNumber', length: 20, mask: 'fake' },
      Street: { type: 'rtText', length: 100, mask: { kind: 'fake', as: 'street-address' } },
      Born: { type: 'rtDate', mask: { kind: 'fake', from: '1950-01-01', to: '1950-12-31' } },
    } as const;
    const row = await mapOne(attrs, {
      FIRST: 'Zoe',
      FULL: 'Zoe Adam',
      PHONE: '+351 912 345 678',
      STREET: '1 Main St',
      BORN: '1980-05-05',
    });
    expect(row['first']).toMatch(/^[A-Z][A-Za-z' -]+$/);
    expect(row['first']).not.toBe('Zoe');
    expect([...String(row['full'])].length).toBeLessThanOrEqual(8);
    expect(row['phone']).toMatch(/^[2-9]\d{2}-\d{3}-\d{4}$/);
    expect(row['street']).toMatch(/^\d{3,4} \S.+ \S+$/);
    expect(String(row['born']).startsWith('1950-')).toBe(true);
  });

  it('masks the same e-mail the same way in two entities, case and spaces aside', async () => {
    const a = await mapOne(
      { Email: { type: 'rtEmail', length: 250, mask: 'fake' } },
      { EMAIL: 'John.Doe@Acme.com' },
    );
    const b = await mapOne(
      { Email: { type: 'rtEmail', length: 250, mask: 'fake' } },
      { EMAIL: ' john.doe@acme.com ' },
    );
    expect(a['email']).toBe(b['email']);
    expect(String(a['email'])).toMatch(/^[a-z.]*[a-z2-7]{16}@example\.com$/);
  });
});

describe('redact and null', () => {
  it('write a constant or NULL and leave the column out of the source columns', () => {
    const entity = compileMapping(
      spec({
        Notes: { type: 'rtText', mask: 'redact' },
        Photo: { type: 'rtBinaryData', mask: 'null' },
        Tag: { type: 'rtText', mask: { kind: 'redact', value: 'n/a' } },
        Name: { type: 'rtText', mask: 'hash' },
      }),
      { maskKey: key },
    ).entity('Crm.Person');
    expect(entity.sourceColumns).toEqual(['ID', 'NAME']);
  });

  it('maps rows without those columns to the constant and NULL', async () => {
    const row = await mapOne(
      {
        Notes: { type: 'rtText', mask: 'redact' },
        Tag: { type: 'rtText', mask: { kind: 'redact', value: 'n/a' } },
        Photo: { type: 'rtBinaryData', mask: 'null' },
      },
      {},
    );
    expect(row).toMatchObject({ notes: '', tag: 'n/a', photo: null });
  });
});

describe('mask checks and the key', () => {
  it('reports masks that do not fit their attribute', () => {
    const misfits: Record<string, AttributeSpec> = {
      Name: { type: 'rtText', mask: 'shift' },
      Born: { type: 'rtDate', mandatory: true, mask: 'null' },
      Count: { type: 'rtInteger', mask: 'fake' },
      Free: { type: 'rtText', mask: 'fake' },
      Mail: { type: 'rtEmail', length: 20, mask: 'fake' },
      Backwards: { type: 'rtDate', mask: { kind: 'fake', from: '2000-01-01', to: '1999-12-31' } },
      NoSuchDay: { type: 'rtDate', mask: { kind: 'fake', from: '2001-02-29' } },
      Flag: { type: 'rtBoolean', mask: 'hash' },
    };
    const typed = validateMapping(spec(misfits)).map((i) => i.path);
    expect(typed.sort()).toEqual(
      Object.keys(misfits)
        .sort()
        .map((n) => `/entities/0/attributes/${n}/mask`),
    );
    const unknown = validateMapping(spec({ Bad: { type: 'rtText', mask: 'scramble' as never } }));
    expect(unknown.map((i) => i.path)).toContain('/entities/0/attributes/Bad/mask');
    const onKey = validateMapping(spec({})).length;
    expect(onKey).toBe(0);
  });

  it('refuses a mask on the key', () => {
    const s = spec({});
    const keyed = {
      ...s,
      entities: [{ ...s.entities[0]!, attributes: { Id: { type: 'rtLongInteger', mask: 'hash' } } }],
    } as MappingSpec;
    expect(validateMapping(keyed).map((i) => i.path)).toEqual(['/entities/0/attributes/Id/mask']);
  });

  it('names the missing variable, and never shows the key', () => {
    const masked = spec(
      { Name: { type: 'rtText', mask: 'hash' } },
      { masking: { keyEnv: 'I16_TEST_MASK_KEY' } },
    );
    delete process.env['I16_TEST_MASK_KEY'];
    expect(() => compileMapping(masked)).toThrow(/I16_TEST_MASK_KEY/);
    process.env['I16_TEST_MASK_KEY'] = 'short';
    expect(() => compileMapping(masked)).toThrow(/shorter than 16 bytes/);
    const secret = 'a-very-secret-mask-key-value-123';
    process.env['I16_TEST_MASK_KEY'] = secret;
    const compiled = compileMapping(masked);
    delete process.env['I16_TEST_MASK_KEY'];
    expect(JSON.stringify(compiled)).not.toContain(secret);
    expect(String(compiled.maskKey)).not.toContain(secret);
    // redact and null need no key
    expect(() => compileMapping(spec({ Name: { type: 'rtText', mask: 'redact' } }))).not.toThrow();
  });
});

describe('users', () => {
  it('match a masked ODC user by the masked O11 e-mail, the same value a fake Email attribute gets', async () => {
    const masker = userMasker(key);
    const odc = [{ id: 'odc-1', email: masker.email('Ana@Corp.example') }];
    const map = UserMap.build([{ id: 7, username: 'ana', email: ' ana@corp.example' }], odc, {
      mask: masker,
    });
    expect(map.resolve('7')).toBe('odc-1');
    expect(
      UserMap.build([{ id: 7, username: 'ana', email: 'ana@corp.example' }], odc).resolve('7'),
    ).toBeUndefined();
    const row = await mapOne(
      { Email: { type: 'rtEmail', length: 250, mask: 'fake' } },
      { EMAIL: 'ana@corp.example' },
    );
    expect(row['email']).toBe(odc[0]!.email);
    expect(masker.name('Ana Silva', 'ana@corp.example')).not.toContain('Ana');
    expect(masker.email('')).toBe('');
  });
});

describe('suggestMasks', () => {
  it('proposes masks for personal-looking attributes only, and the result passes the checks', () => {
    const { spec: suggested, suggestions } = suggestMasks(
      spec({
        Email: { type: 'rtEmail', length: 250 },
        ShortMail: { type: 'rtText', length: 20 },
        MobilePhone: { type: 'rtPhoneNumber', length: 20 },
        FirstName: { type: 'rtText', length: 50 },
        Name: { type: 'rtText', length: 50 },
        HomeAddress: { type: 'rtText', length: 200 },
        BirthDate: { type: 'rtDate' },
        Photo: { type: 'rtBinaryData' },
        Signature: { type: 'rtBinaryData', mandatory: true },
        Price: { type: 'rtDecimal', length: 10, decimals: 2 },
        Manager: { type: 'rtInteger', reference: { kind: 'user' } },
        Kept: { type: 'rtText', mask: 'redact' },
      }),
    );
    const masks = Object.fromEntries(suggestions.map((s) => [s.attribute, s.mask]));
    expect(masks).toEqual({
      Email: { kind: 'fake', as: 'email' },
      ShortMail: { kind: 'hash' },
      MobilePhone: { kind: 'fake', as: 'phone' },
      FirstName: { kind: 'fake', as: 'first-name' },
      Name: { kind: 'fake', as: 'full-name' }, // Crm.Person looks personal
      HomeAddress: { kind: 'fake', as: 'street-address' },
      BirthDate: { kind: 'shift', days: 180 },
      Photo: { kind: 'null' },
      Signature: { kind: 'redact' },
    });
    expect(validateMapping(suggested)).toEqual([]);
    expect(suggested.entities[0]!.attributes['Kept']!.mask).toBe('redact');
  });
});

describe('shift memory', () => {
  it('gives the same dates after its bounded memory of dates was cleared, and as a fresh compile', () => {
    const attrs = { Born: { type: 'rtDate', mask: 'shift' } } as const;
    const convert = (): ((v: string) => unknown) => {
      const attribute = compileMapping(spec(attrs), { maskKey: key }).entity('Crm.Person').attributes[1]!;
      return (v) => attribute.convert(v);
    };
    const dates = Array.from({ length: 5000 }, (_, i) =>
      new Date(Date.UTC(1950, 0, 1 + i)).toISOString().slice(0, 10),
    );
    const once = convert();
    const first = dates.map(once);
    expect(dates.map(once)).toEqual(first); // 5,000 distinct dates: the 4,096 remembered were cleared
    expect(dates.map(convert())).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1000); // not injective: nearby days can meet
  });
});
