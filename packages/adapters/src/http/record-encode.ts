// JSON encoding of rows for the ODC endpoint contract. Values must reach the ODC app exactly: decimals
// and 64-bit integers travel as JSON strings (never through a JS number), binary as base64 and dates as
// ISO strings, so the app converts them with TextToDecimal / TextToLongInteger without rounding.

import { FerryError } from '@ferry/core';
import type { Batch, Row, Value } from '@ferry/core';

/** A JSON value the encoder emits for one attribute. */
export type EncodedValue = string | number | boolean | null;

/**
 * Encodes one attribute value for the wire.
 * - `bigint` → decimal string; decimal strings stay strings.
 * - `Uint8Array` (Buffer) → base64 string.
 * - `Date` → ISO 8601 UTC string (`2024-05-01T10:00:00.000Z`).
 * - safe integers and booleans stay JSON numbers / booleans; other numbers are refused, because a
 *   fractional JS number already lost the decimal's exact value upstream.
 */
export function encodeValue(value: Value, where: { entity: string; attribute: string }): EncodedValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    throw new FerryError(
      `attribute ${where.entity}.${where.attribute} holds a non-integer or unsafe JS number; ` +
        'decimals must flow as strings (fix the source or stage that produced it)',
      { code: 'FERRY_HTTP_UNSAFE_NUMBER', reason: 'invalid-data', ...where, operation: 'encode' },
    );
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new FerryError(`attribute ${where.entity}.${where.attribute} holds an invalid Date`, {
        code: 'FERRY_HTTP_INVALID_DATE',
        reason: 'invalid-data',
        ...where,
        operation: 'encode',
      });
    }
    return value.toISOString();
  }
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
}

/** How a row is turned into one contract record. */
export interface RecordShape {
  /** The entity name (errors only). */
  readonly entity: string;
  /** Key attribute names of the row; their values form the source key and are not sent as attributes. */
  readonly key: readonly string[];
  /** Attributes to leave out of the record (besides the key). */
  readonly omit?: ReadonlySet<string>;
}

/**
 * The source key of a row as one exact string: the key value itself for a single key, a JSON array of
 * the parts for a composite key. `carried` (the batch's `keys` entry for the row) wins over
 * `shape.key`: rows of an entity with identity `remap` leave @ferry/mapping's stage without their key
 * attribute, and the stage puts the O11 key in the batch. Reference remapping looks up
 * `String(value)`, which matches single keys.
 */
export function sourceKeyOf(row: Row, shape: RecordShape, carried?: readonly string[]): string {
  const parts = carried ?? shape.key.map((name) => keyPart(row, shape.entity, name));
  return parts.length === 1 ? parts[0]! : JSON.stringify(parts);
}

function keyPart(row: Row, entity: string, attribute: string): string {
  const value = row[attribute];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) {
    return value.toString();
  }
  if (!(attribute in row)) {
    throw new FerryError(
      `${entity} rows reach the sink without key attribute ${attribute} and the batch carries no ` +
        'source keys (Batch.keys): the mapping stage of an entity with identity remap drops the key and ' +
        'puts it in `keys`; a stage after it that rebuilds the batch must pass `keys` on, aligned with ' +
        'the rows (spread the batch: `{ ...batch, rows }`)',
      { code: 'FERRY_HTTP_MISSING_KEY', reason: 'invalid-config', entity, attribute, operation: 'encode' },
    );
  }
  throw new FerryError(`key attribute ${entity}.${attribute} is missing, empty or not an integer/text`, {
    code: 'FERRY_HTTP_MISSING_KEY',
    reason: 'invalid-data',
    entity,
    attribute,
    operation: 'encode',
  });
}

/**
 * Encodes a row as the JSON text of `{ sourceKey, ...attributes }` and returns it with its key;
 * `carried` is the row's entry of the batch's `keys`, when the batch has them.
 */
export function encodeRecord(
  row: Row,
  shape: RecordShape,
  carried?: readonly string[],
): { sourceKey: string; json: string } {
  const sourceKey = sourceKeyOf(row, shape, carried);
  const record: Record<string, EncodedValue> = { sourceKey };
  for (const [attribute, value] of Object.entries(row)) {
    if (shape.key.includes(attribute) || shape.omit?.has(attribute) === true) continue;
    if (attribute === 'sourceKey') {
      throw new FerryError(`attribute ${shape.entity}.sourceKey clashes with the contract's key field`, {
        code: 'FERRY_HTTP_RESERVED_ATTRIBUTE',
        reason: 'invalid-config',
        entity: shape.entity,
        attribute,
      });
    }
    record[attribute] = encodeValue(value, { entity: shape.entity, attribute });
  }
  return { sourceKey, json: JSON.stringify(record) };
}

/**
 * The batch's source keys (`Batch.keys`), checked to be one per row: a stage that dropped or added rows
 * without keeping `keys` aligned would otherwise pair ids with the wrong O11 keys.
 */
export function carriedKeys(batch: Batch<Row>, entity: string): readonly (readonly string[])[] | undefined {
  const keys = batch.keys;
  if (keys === undefined || keys.length === batch.rows.length) return keys;
  throw new FerryError(
    `${entity}: the batch carries ${keys.length} source keys for ${batch.rows.length} rows: a stage after ` +
      'the mapping stage dropped or added rows without keeping Batch.keys aligned (filter both, or use filterRows)',
    { code: 'FERRY_HTTP_MISSING_KEY', reason: 'invalid-config', entity, operation: 'encode' },
  );
}
