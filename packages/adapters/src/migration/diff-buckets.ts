// Buckets of an integer key: when a table's checksums differ and its key is one integer column, both
// sides compute the checksums of every bucket `(key - low) / width` in ONE grouped scan each (the
// bucket is arithmetic, so it costs nothing per row), instead of one scan per level of cuts. Only the
// buckets whose checksums differ are then examined. Keys are bound as text and cast in SQL (never a
// JS number), the span kept in BigInt.

import type { KnexDialect } from '../knex/knex-dialect.js';
import { hexPart, integerText, sumText } from './diff-sql-dialect.js';
import { exactInteger, parseChecksum, type Checksum } from './diff-hash.js';
import type { KeyRange, SqlSide } from './diff-sql-side.js';

/** The smallest and largest key of a side, or undefined when it holds no row. */
export async function keySpan(side: SqlSide): Promise<{ low: bigint; high: bigint } | undefined> {
  const { dialect, from, keys } = side.shape;
  const key = keys[0]!;
  const rows = await side.query(
    `SELECT ${integerText(dialect, `MIN(${key.order})`)} AS lo, ${integerText(dialect, `MAX(${key.order})`)} AS hi FROM ${from}`,
    [],
  );
  const low = exactInteger(rows[0]?.lo);
  const high = exactInteger(rows[0]?.hi);
  return low === undefined || high === undefined ? undefined : { low, high };
}

/** `(key - low) / width` as an integer, both bound as text and cast to a 64-bit integer. */
function bucketSql(dialect: KnexDialect, key: string): string {
  const cast = dialect === 'mysql' ? 'SIGNED' : dialect === 'sqlite' ? 'INTEGER' : 'bigint';
  const divide = dialect === 'mysql' ? 'DIV' : '/';
  return `(${key} - CAST(? AS ${cast})) ${divide} CAST(? AS ${cast})`;
}

/** The SQL of every bucket's checksum (counts only without `hash`), bucket numbers as text. */
export function bucketsSql(
  side: SqlSide,
  low: bigint,
  width: bigint,
  hash: boolean,
): { sql: string; bindings: string[] } {
  const { dialect, from, keys } = side.shape;
  const sums = hash
    ? `, ${sumText(dialect, hexPart(dialect, 'ferry_h', 1))} AS s1, ${sumText(dialect, hexPart(dialect, 'ferry_h', 9))} AS s2`
    : '';
  const sql =
    `SELECT ${integerText(dialect, 'ferry_g')} AS ferry_b, ${sumText(dialect, '1')} AS n${sums} FROM ` +
    `(SELECT ${bucketSql(dialect, keys[0]!.order)} AS ferry_g${hash ? `, ${side.hashSql()} AS ferry_h` : ''} FROM ${from}) ferry_r ` +
    'GROUP BY ferry_g';
  return { sql, bindings: [low.toString(), width.toString()] };
}

/** Every non-empty bucket's checksum (or count), by bucket number. */
export async function bucketChecksums(
  side: SqlSide,
  low: bigint,
  width: bigint,
  hash: boolean,
): Promise<Map<bigint, Checksum>> {
  const { sql, bindings } = bucketsSql(side, low, width, hash);
  const rows = await side.query(sql, bindings);
  return new Map(rows.map((row) => [exactInteger(row.ferry_b) ?? 0n, parseChecksum(row)]));
}

/** The key range `(low + b*width - 1, low + (b+1)*width - 1]` of bucket `b`. */
export function bucketRange(low: bigint, width: bigint, bucket: bigint): KeyRange {
  return {
    after: [(low + bucket * width - 1n).toString()],
    upTo: [(low + (bucket + 1n) * width - 1n).toString()],
  };
}
