// The secret that makes masks deterministic and unguessable: read from an environment variable, held
// in a private field, never serialised (toJSON and inspect show a placeholder), never in a message.

import { createHmac } from 'node:crypto';
import { FerryError } from '@ferry/core';

/** The environment variable masks read their key from unless the mapping names another. */
export const DEFAULT_MASK_KEY_ENV = 'FERRY_MASK_KEY';

/** Shortest key accepted, in bytes (UTF-8): a short key makes hashes of small values guessable. */
export const MIN_MASK_KEY_BYTES = 16;

const PLACEHOLDER = '[mask key]';

/**
 * A mask key. `digest(domain, text)` is HMAC-SHA-256 over the domain and the text, so masks of
 * different kinds never share outputs by accident; `stream` extends a digest to any length.
 *
 * @example
 * ```ts
 * const key = MaskKey.fromEnv('FERRY_MASK_KEY'); // throws FERRY_MASK_KEY_MISSING naming the variable
 * ```
 */
export class MaskKey {
  readonly #secret: Buffer;

  private constructor(secret: Buffer) {
    this.#secret = secret;
  }

  /** A key from its secret text or bytes; throws `FERRY_MASK_KEY_WEAK` under 16 bytes. */
  static fromSecret(secret: string | Uint8Array, source = 'the mask key'): MaskKey {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
    if (bytes.byteLength < MIN_MASK_KEY_BYTES) {
      throw new FerryError(
        `${source} is shorter than ${MIN_MASK_KEY_BYTES} bytes: use a long random secret (e.g. openssl rand -base64 32)`,
        { code: 'FERRY_MASK_KEY_WEAK', reason: 'invalid-config' },
      );
    }
    return new MaskKey(bytes);
  }

  /**
   * The key in environment variable `name`. Throws `FERRY_MASK_KEY_MISSING` (reason `invalid-config`)
   * naming the variable when it is unset or empty, `FERRY_MASK_KEY_WEAK` when it is too short.
   */
  static fromEnv(
    name: string = DEFAULT_MASK_KEY_ENV,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): MaskKey {
    const secret = env[name];
    if (secret === undefined || secret === '') {
      throw new FerryError(
        `the mapping masks attributes but environment variable ${name} (the mask key) is not set: set it to a long random secret, the same for every run`,
        { code: 'FERRY_MASK_KEY_MISSING', reason: 'invalid-config' },
      );
    }
    return MaskKey.fromSecret(secret, `environment variable ${name}`);
  }

  /** HMAC-SHA-256(key, domain NUL data): 32 bytes. */
  digest(domain: string, text: string | Uint8Array): Buffer {
    return createHmac('sha256', this.#secret).update(domain).update('\0').update(text).digest();
  }

  /** `length` keyed bytes for a text: the digest, then HMAC(digest, counter) blocks as needed. */
  stream(domain: string, text: string, length: number): Buffer {
    const seed = this.digest(domain, text);
    if (length <= seed.byteLength) return seed.subarray(0, length);
    const blocks = [seed];
    for (let i = 1; blocks.length * 32 < length; i++)
      blocks.push(createHmac('sha256', seed).update(String(i)).digest());
    return Buffer.concat(blocks).subarray(0, length);
  }

  /** Never the secret. */
  toJSON(): string {
    return PLACEHOLDER;
  }

  /** Never the secret. */
  toString(): string {
    return PLACEHOLDER;
  }

  /** Never the secret (node:util inspect, console.log). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return PLACEHOLDER;
  }
}

/** An unsigned integer in [0, bound) from 6 bytes of a keyed buffer at `offset` (bias < 2^-40 for small bounds). */
export function pick(bytes: Uint8Array, offset: number, bound: number): number {
  let n = 0;
  for (let i = 0; i < 6; i++) n = n * 256 + (bytes[(offset + i) % bytes.length] ?? 0);
  return n % bound;
}
