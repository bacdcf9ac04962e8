// The Node twin of the row hash the databases compute (diff-value-sql.ts): the same row text from
// canonical values, its MD5, and range checksums (row count and the sums of the hash's first two
// 32-bit words), which add up over ranges and never depend on row order.

import { createHash } from 'node:crypto';
import type { CanonicalValue } from './verify-canonical.js';
import type { CanonicalKind } from './diff-value-sql.js';

/** The row text of canonical values: `~` for NULL, text as `<UTF-8 bytes>:<text>`, others as `<value>|`. */
export function rowText(values: readonly CanonicalValue[], kinds: readonly CanonicalKind[]): string {
  let text = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) text += '~';
    else if (kinds[i] === 'text') text += `${Buffer.byteLength(value, 'utf8')}:${value}`;
    else text += `${value}|`;
  }
  return text;
}

/** MD5 of the UTF-8 text, 32 lower-case hex digits (what `md5()` gives in PostgreSQL). */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** A range checksum: rows, and the sums of each row hash's two first 32-bit words. Additive. */
export interface Checksum {
  readonly rows: number;
  readonly sum1: bigint;
  readonly sum2: bigint;
}

/** The checksum of no rows. */
export const EMPTY_CHECKSUM: Checksum = { rows: 0, sum1: 0n, sum2: 0n };

/** The checksum of one row hash. */
export function checksumOfHash(hex: string): Checksum {
  return {
    rows: 1,
    sum1: BigInt(Number.parseInt(hex.slice(0, 8), 16)),
    sum2: BigInt(Number.parseInt(hex.slice(8, 16), 16)),
  };
}

/** The sum of two checksums (of disjoint ranges). */
export function addChecksums(a: Checksum, b: Checksum): Checksum {
  return { rows: a.rows + b.rows, sum1: a.sum1 + b.sum1, sum2: a.sum2 + b.sum2 };
}

/** Whether two checksums are equal. */
export function sameChecksum(a: Checksum, b: Checksum): boolean {
  return a.rows === b.rows && a.sum1 === b.sum1 && a.sum2 === b.sum2;
}

/** `<sum1 hex>-<sum2 hex>`, for reports. */
export function checksumText(checksum: Checksum): string {
  return `${checksum.sum1.toString(16).padStart(16, '0')}-${checksum.sum2.toString(16).padStart(16, '0')}`;
}

/** An integer a driver answered as text (or a safe number), exactly; undefined for NULL. */
export function exactInteger(value: unknown): bigint | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
    return BigInt(String(value).trim() || '0');
  return undefined;
}

/** A checksum from the text a database returned (`n`, `s1`, `s2`). */
export function parseChecksum(row: {
  readonly n?: unknown;
  readonly s1?: unknown;
  readonly s2?: unknown;
}): Checksum {
  // Drivers answer the sums as text (asked for) and the count as text or a number.
  const big = (value: unknown): bigint => exactInteger(value) ?? 0n;
  return { rows: Number(big(row.n)), sum1: big(row.s1), sum2: big(row.s2) };
}
