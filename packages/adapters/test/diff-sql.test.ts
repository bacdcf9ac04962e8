// Unit tests of the diff engine's pieces that need no database: the SQL each dialect gets (SQL Server's
// only here, as no server runs on this machine), the Node twin of the row text, the leaf comparison
// and the agreed key order.

import { describe, expect, test } from 'vitest';
import { compileMapping, type MappingSpec } from '@ferry/mapping';
import { DiffKeys, keyOrder } from '../src/migration/diff-leaf.js';
import { md5Hex, rowText, checksumOfHash, addChecksums, EMPTY_CHECKSUM } from '../src/migration/diff-hash.js';
import { keySql } from '../src/migration/diff-sql-dialect.js';
import { rangeWhere, SqlSide } from '../src/migration/diff-sql-side.js';
import { sourceShape, targetShape } from '../src/migration/diff-shapes.js';
import { numberPlaceholders } from '../src/migration/diff-runners.js';
import { bucketRange, bucketsSql } from '../src/migration/diff-buckets.js';

const SPEC: MappingSpec = {
  version: 1,
  entities: [
    {
      name: 'Sales.Voucher',
      source: { table: 'OSUSR_ABC_VOUCHER' },
      target: { table: 'voucher', schema: 'sales' },
      key: ['Code', 'N'],
      attributes: {
        Code: { type: 'rtText', length: 20, mandatory: true },
        N: { type: 'rtLongInteger', mandatory: true },
        Amount: { type: 'rtCurrency' },
        Ok: { type: 'rtBoolean' },
        Day: { type: 'rtDate' },
        At: { type: 'rtTime' },
        Stamp: { type: 'rtDateTime' },
        Blob: { type: 'rtBinaryData' },
      },
    },
  ],
};

const entity = compileMapping(SPEC).entity('Sales.Voucher');
const located = {
  name: 'Sales.Voucher',
  table: 'OSUSR_ABC_VOUCHER',
  schema: 'dbo',
  key: ['CODE', 'N'],
  columns: [],
};

/** A side whose runner records the SQL and answers nothing. */
function recording(shape: ConstructorParameters<typeof SqlSide>[0]) {
  const seen: { sql: string; bindings: readonly string[] }[] = [];
  const side = new SqlSide(shape, async (sql, bindings) => {
    seen.push({ sql, bindings });
    return [];
  });
  return { side, seen };
}

describe('range conditions', () => {
  test('a composite key range (after, upTo] is lexicographic, text by binary collation', () => {
    const keys = [keySql('postgres', '"code"', 'text'), keySql('postgres', '"n"', 'integer')];
    const where = rangeWhere(keys, { after: ['a', '1'], upTo: ['b', '2'] });
    expect(where.sql).toBe(
      '(("code" COLLATE "C" > CAST(? AS text) COLLATE "C") OR ("code" COLLATE "C" = CAST(? AS text) COLLATE "C" AND "n" > CAST(? AS bigint))) AND ' +
        '(("code" COLLATE "C" < CAST(? AS text) COLLATE "C") OR ("code" COLLATE "C" = CAST(? AS text) COLLATE "C" AND "n" <= CAST(? AS bigint)))',
    );
    expect(where.bindings).toEqual(['a', 'a', '1', 'b', 'b', '2']);
    expect(rangeWhere(keys, {}).sql).toBe('1 = 1');
  });

  test('placeholders are numbered for pg', () => {
    expect(numberPlaceholders('a = ? AND b = CAST(? AS bigint)')).toBe('a = $1 AND b = CAST($2 AS bigint)');
  });
});

describe('SQL Server: the generated SQL', () => {
  const shape = sourceShape(entity, SPEC, located, 'mssql');

  test('every column of the entity pushes down, keys compare by UTF-8 binary collation', () => {
    expect(shape.fallback).toBeUndefined();
    expect(shape.shape.from).toBe('[dbo].[OSUSR_ABC_VOUCHER]');
    expect(shape.shape.keys.map((k) => [k.kind, k.order, k.placeholder])).toEqual([
      [
        'text',
        'CONVERT(varchar(max), [CODE] COLLATE Latin1_General_100_BIN2_UTF8)',
        'CONVERT(varchar(max), CAST(? AS nvarchar(max)) COLLATE Latin1_General_100_BIN2_UTF8)',
      ],
      ['integer', '[N]', 'CAST(? AS bigint)'],
    ]);
  });

  test('each O11 type has its canonical form', () => {
    const [code, n, amount, ok, day, at, stamp, blob] = shape.shape.pieces;
    expect(code).toBe(
      "CASE WHEN [CODE] IS NULL THEN '~' ELSE CONCAT(CAST(DATALENGTH(CONVERT(varchar(max), [CODE] COLLATE Latin1_General_100_BIN2_UTF8)) AS varchar(40)), ':', [CODE]) END",
    );
    expect(n).toBe("CASE WHEN [N] IS NULL THEN '~' ELSE CONCAT(CAST([N] AS varchar(40)), '|') END");
    expect(amount).toContain("PATINDEX('%[^0]%', REVERSE(CAST([AMOUNT] AS varchar(64))))");
    expect(amount).toContain("CASE WHEN CHARINDEX('.', CAST([AMOUNT] AS varchar(64))) > 0");
    expect(ok).toBe(
      "CASE WHEN [OK] IS NULL THEN '~' ELSE CONCAT(CASE WHEN [OK] = 0 THEN 'f' ELSE 't' END, '|') END",
    );
    expect(day).toContain('CONVERT(char(10), [DAY], 23)');
    expect(at).toContain('CONVERT(varchar(15), CAST([AT] AS time(6)))');
    expect(stamp).toContain('CONVERT(varchar(26), CAST([STAMP] AS datetime2(6)), 121)');
    expect(blob).toContain('LOWER(CONVERT(varchar(max), [BLOB], 2))');
  });

  test('a checksum is one aggregate over MD5 of the UTF-8 row text, the sums as text', async () => {
    const { side, seen } = recording(shape.shape);
    const checksum = await side.checksum({ upTo: ['m', '9007199254740993'] });
    expect(checksum).toEqual(EMPTY_CHECKSUM);
    const { sql, bindings } = seen[0]!;
    expect(sql).toMatch(/^SELECT COALESCE\(CAST\(SUM\(1\) AS varchar\(40\)\), '0'\) AS n, /);
    expect(sql).toContain(
      "COALESCE(CAST(SUM(CAST(CONVERT(varbinary(4), SUBSTRING(ferry_h, 1, 8), 2) AS bigint)) AS varchar(40)), '0') AS s1",
    );
    expect(sql).toContain('SUBSTRING(ferry_h, 9, 8)');
    expect(sql).toContain(
      "FROM (SELECT LOWER(CONVERT(char(32), HASHBYTES('MD5', CONVERT(varchar(max), CONCAT(",
    );
    expect(sql).toMatch(/FROM \[dbo\]\.\[OSUSR_ABC_VOUCHER\] WHERE .*\) ferry_r$/);
    expect(bindings).toEqual(['m', 'm', '9007199254740993']);
  });

  test('bounds are every n-th key by ROW_NUMBER in the agreed order', async () => {
    const { side, seen } = recording(shape.shape);
    await side.bounds({ after: ['a', '1'] }, 125);
    expect(seen[0]!.sql).toBe(
      'SELECT ferry_k0, ferry_k1 FROM (SELECT [CODE] AS ferry_k0, CAST([N] AS varchar(40)) AS ferry_k1, ROW_NUMBER() OVER (ORDER BY ' +
        'CONVERT(varchar(max), [CODE] COLLATE Latin1_General_100_BIN2_UTF8), [N]) AS ferry_rn FROM [dbo].[OSUSR_ABC_VOUCHER] WHERE ' +
        '((CONVERT(varchar(max), [CODE] COLLATE Latin1_General_100_BIN2_UTF8) > CONVERT(varchar(max), CAST(? AS nvarchar(max)) COLLATE Latin1_General_100_BIN2_UTF8)) OR ' +
        '(CONVERT(varchar(max), [CODE] COLLATE Latin1_General_100_BIN2_UTF8) = CONVERT(varchar(max), CAST(? AS nvarchar(max)) COLLATE Latin1_General_100_BIN2_UTF8) AND [N] > CAST(? AS bigint)))' +
        ') ferry_b WHERE ferry_rn % 125 = 0 ORDER BY ferry_rn',
    );
  });

  test("a cut range's parts are checksummed in one grouped scan, each row in the part of the first bound it is under", async () => {
    const { side, seen } = recording(shape.shape);
    const parts = await side.parts(
      { after: ['a', '1'] },
      [
        ['b', '2'],
        ['c', '3'],
      ],
      true,
    );
    expect(parts).toEqual([EMPTY_CHECKSUM, EMPTY_CHECKSUM, EMPTY_CHECKSUM]);
    const { sql, bindings } = seen[0]!;
    const code = 'CONVERT(varchar(max), [CODE] COLLATE Latin1_General_100_BIN2_UTF8)';
    const value = 'CONVERT(varchar(max), CAST(? AS nvarchar(max)) COLLATE Latin1_General_100_BIN2_UTF8)';
    expect(sql).toMatch(
      /^SELECT ferry_g, COALESCE\(CAST\(SUM\(1\) AS varchar\(40\)\), '0'\) AS n, .* AS s1, .* AS s2 FROM \(SELECT CASE WHEN /,
    );
    expect(sql).toContain(
      `CASE WHEN ((${code} < ${value}) OR (${code} = ${value} AND [N] <= CAST(? AS bigint))) THEN 0 ` +
        `WHEN ((${code} < ${value}) OR (${code} = ${value} AND [N] <= CAST(? AS bigint))) THEN 1 ELSE 2 END AS ferry_g, `,
    );
    expect(sql).toMatch(/\) ferry_r GROUP BY ferry_g$/);
    expect(bindings).toEqual(['b', 'b', '2', 'c', 'c', '3', 'a', 'a', '1']);
  });

  test('a database in another catalog is named in full', () => {
    const other = sourceShape(
      entity,
      SPEC,
      { ...located, schema: undefined, database: 'O11_OTHER' },
      'mssql',
    );
    expect(other.shape.from).toBe('[O11_OTHER].[dbo].[OSUSR_ABC_VOUCHER]');
  });
});

describe('integer keys in buckets', () => {
  const single = compileMapping({
    ...SPEC,
    entities: [{ ...SPEC.entities[0]!, key: ['N'] }],
  }).entity('Sales.Voucher');

  test('one grouped scan: (key - low) / width, bound as text and cast, MariaDB dividing with DIV', () => {
    const mysql = new SqlSide(sourceShape(single, SPEC, located, 'mysql').shape, () => Promise.resolve([]));
    const { sql, bindings } = bucketsSql(mysql, 9007199254740993n, 256n, true);
    expect(sql).toMatch(
      /^SELECT CAST\(ferry_g AS CHAR\) AS ferry_b, COALESCE\(CAST\(SUM\(1\) AS CHAR\), '0'\) AS n, .* AS s1, .* AS s2 FROM \(SELECT \(`N` - CAST\(\? AS SIGNED\)\) DIV CAST\(\? AS SIGNED\) AS ferry_g, MD5\(/,
    );
    expect(sql).toMatch(/ FROM `dbo`.`OSUSR_ABC_VOUCHER`\) ferry_r GROUP BY ferry_g$/);
    expect(bindings).toEqual(['9007199254740993', '256']);
    const mssql = new SqlSide(sourceShape(single, SPEC, located, 'mssql').shape, () => Promise.resolve([]));
    expect(bucketsSql(mssql, 1n, 10n, false).sql).toBe(
      "SELECT CAST(ferry_g AS varchar(40)) AS ferry_b, COALESCE(CAST(SUM(1) AS varchar(40)), '0') AS n FROM " +
        '(SELECT ([N] - CAST(? AS bigint)) / CAST(? AS bigint) AS ferry_g FROM [dbo].[OSUSR_ABC_VOUCHER]) ferry_r GROUP BY ferry_g',
    );
  });

  test('bucket b covers keys low + b*width .. low + (b+1)*width - 1, past 2^53 exactly', () => {
    expect(bucketRange(9007199254740993n, 256n, 2n)).toEqual({
      after: ['9007199254741504'],
      upTo: ['9007199254741760'],
    });
  });
});

describe('what falls back to Node', () => {
  const variant = (attributes: MappingSpec['entities'][number]['attributes'], extra = {}) =>
    compileMapping({
      ...SPEC,
      entities: [
        { ...SPEC.entities[0]!, ...extra, attributes: { ...SPEC.entities[0]!.attributes, ...attributes } },
      ],
    });
  const why = (spec: ReturnType<typeof variant>) =>
    sourceShape(spec.entity('Sales.Voucher'), spec.spec, located, 'mysql').fallback;

  test('a date-time shifted from another zone, a user reference, a mask, a constant, a filter', () => {
    expect(why(variant({ Stamp: { type: 'rtDateTime', timeZone: 'Europe/Lisbon' } }))).toBe(
      'Stamp is shifted from Europe/Lisbon',
    );
    expect(why(variant({ By: { type: 'rtInteger', reference: { kind: 'user' } } }))).toMatch(
      /By is a user reference/,
    );
    expect(why(variant({ Day: { type: 'rtDate', mask: 'redact' } }))).toBe('Day is masked');
    expect(why(variant({ Channel: { type: 'rtText', length: 5, constant: 'o11' } }))).toBe(
      'Channel is a constant or computed attribute',
    );
    expect(why(variant({}, { filter: { attribute: 'Ok', op: 'eq', value: true } }))).toBe(
      'it has a row filter',
    );
    expect(why(variant({}))).toBeUndefined();
  });

  test('the target side always computes in PostgreSQL', () => {
    const shape = targetShape(entity);
    expect(shape.from).toBe('"sales"."voucher"');
    expect(shape.pieces[2]).toBe(
      `CASE WHEN "amount" IS NULL THEN '~' ELSE (CAST(trim_scale(CAST("amount" AS numeric)) AS text) || '|') END`,
    );
  });
});

describe('the Node twin of the row text', () => {
  test('NULL, text with its byte length, other values closed by |', () => {
    expect(rowText(['1', null, 'a|b', '😀', '12.5'], ['integer', 'text', 'text', 'text', 'decimal'])).toBe(
      '1|~3:a|b4:😀12.5|',
    );
    // Two rows that concatenate alike are told apart by the length prefix.
    expect(rowText(['ab', 'c'], ['text', 'text'])).not.toBe(rowText(['a', 'bc'], ['text', 'text']));
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  test('checksums add up the two 32-bit words of each hash', () => {
    const a = checksumOfHash('ffffffff00000001abcdef');
    expect(a).toEqual({ rows: 1, sum1: 4294967295n, sum2: 1n });
    expect(addChecksums(a, a)).toEqual({ rows: 2, sum1: 8589934590n, sum2: 2n });
  });
});

describe('the leaf comparison', () => {
  test('only in source, only in target, changed, and a key held twice with a row lost', () => {
    const keys = new DiffKeys();
    keys.compare(
      [
        { key: ['1'], hash: 'a' },
        { key: ['2'], hash: 'b' },
        { key: ['3'], hash: 'c' },
        { key: ['3'], hash: 'c' },
        { key: ['5'], hash: 'e' },
      ],
      [
        { key: ['2'], hash: 'B' },
        { key: ['3'], hash: 'c' },
        { key: ['4'], hash: 'd' },
        { key: ['5'], hash: 'e' },
      ],
    );
    expect(keys).toMatchObject({
      onlyInSource: [['1']],
      onlyInTarget: [['4']],
      changed: [['2']],
      duplicates: [['3']],
    });
    expect(keys.empty).toBe(false);
  });

  test('keys sort by integer value and by code point', () => {
    const list = [
      ['10', 'b'],
      ['9', 'b'],
      ['9', '\u{1F600}'],
      ['9', '\uFF21'],
      ['9', 'B'],
    ];
    list.sort(keyOrder(['integer', 'text']));
    expect(list).toEqual([
      ['9', 'B'],
      ['9', 'b'],
      ['9', '\uFF21'],
      ['9', '\u{1F600}'],
      ['10', 'b'],
    ]);
  });
});
