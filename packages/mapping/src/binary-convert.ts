// Binary Data: bytes in (Buffer, Uint8Array, ArrayBuffer, or hex text as '0x…' from SQL Server dumps
// or '\x…' from PostgreSQL), bytes out, with ODC's size limit (20 MB by default).

import { ConversionFailure, typeFailure, type Converter } from './convert-types.js';

const HEX = /^(?:0x|\\x)((?:[0-9a-fA-F]{2})*)$/;

/** Reads bytes from a driver value; undefined when it is not binary. */
export function toBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === 'string') {
    const match = HEX.exec(value);
    if (match === null) return undefined;
    return Uint8Array.from(Buffer.from(match[1] ?? '', 'hex'));
  }
  return undefined;
}

/** A Binary Data converter with a size limit in bytes. */
export function binaryConverter(maxBytes: number): Converter {
  return (value) => {
    if (value === null || value === undefined) return null;
    const bytes = toBytes(value);
    if (bytes === undefined) return typeFailure('binary data (bytes or 0x-hex)', value);
    if (bytes.byteLength > maxBytes) {
      return new ConversionFailure(
        'binary-size',
        `binary is ${bytes.byteLength} bytes, limit is ${maxBytes}`,
      );
    }
    return bytes;
  };
}
