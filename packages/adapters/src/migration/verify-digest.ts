// An order-independent digest of a table: each row's canonical line is hashed (SHA-1), the first 64
// bits are summed modulo 2^64 and the next 64 XORed, beside the row count. Rows can arrive in any
// order and memory stays flat; a changed, missing or doubled row changes the digest.

import { createHash } from 'node:crypto';
import type { CanonicalValue } from './verify-canonical.js';

const MASK = (1n << 64n) - 1n;

/** The canonical line of a row: its canonical values as a JSON array (unambiguous, NULL-aware). */
export function canonicalLine(values: readonly CanonicalValue[]): string {
  return JSON.stringify(values);
}

/** A digest being accumulated. */
export class TableDigest {
  #rows = 0;
  #sum = 0n;
  #xor = 0n;

  /** Adds one row's canonical line. */
  add(line: string): void {
    const hash = createHash('sha1').update(line).digest();
    this.#sum = (this.#sum + hash.readBigUInt64BE(0)) & MASK;
    this.#xor ^= hash.readBigUInt64BE(8);
    this.#rows++;
  }

  /** Rows added. */
  get rows(): number {
    return this.#rows;
  }

  /** `<sum hex>-<xor hex>`, 32 hex digits in all. */
  get checksum(): string {
    return `${this.#sum.toString(16).padStart(16, '0')}-${this.#xor.toString(16).padStart(16, '0')}`;
  }
}
