// Cuts a batch's encoded records into request bodies bounded by rows and by bytes, so no request comes
// near ODC's 28.6 MB request limit however wide the rows are.

import { FerryError } from '@ferry/core';

/** One encoded record, ready to be joined into a body. */
export interface EncodedRecord {
  readonly sourceKey: string;
  readonly json: string;
}

/** One request body and the source keys it carries. */
export interface RequestBody {
  readonly body: string;
  readonly sourceKeys: readonly string[];
  readonly bytes: number;
}

/** Limits of one request. */
export interface CutLimits {
  readonly entity: string;
  readonly maxRows: number;
  readonly maxBytes: number;
}

/**
 * Groups records into bodies `{"entity":…,"records":[…]}` of at most `maxRows` records and `maxBytes`
 * UTF-8 bytes. A single record that alone exceeds `maxBytes` is an error naming its key (not its values).
 */
export function cutRequests(records: readonly EncodedRecord[], limits: CutLimits): RequestBody[] {
  const head = `{"entity":${JSON.stringify(limits.entity)},"records":[`;
  const tail = ']}';
  const envelope = Buffer.byteLength(head) + Buffer.byteLength(tail);
  const bodies: RequestBody[] = [];
  let parts: string[] = [];
  let keys: string[] = [];
  let bytes = envelope;
  const flush = (): void => {
    if (parts.length === 0) return;
    bodies.push({ body: head + parts.join(',') + tail, sourceKeys: keys, bytes });
    parts = [];
    keys = [];
    bytes = envelope;
  };
  for (const record of records) {
    const size = Buffer.byteLength(record.json);
    if (envelope + size > limits.maxBytes) {
      throw new FerryError(
        `record ${limits.entity} key ${record.sourceKey} is ${size} bytes encoded, over maxBytes ` +
          `${limits.maxBytes}: raise maxBytes (ODC's limit is 28.6 MB) or move the binary out of the row`,
        {
          code: 'FERRY_HTTP_RECORD_TOO_LARGE',
          reason: 'invalid-data',
          entity: limits.entity,
          key: [record.sourceKey],
        },
      );
    }
    const separator = parts.length === 0 ? 0 : 1;
    if (parts.length >= limits.maxRows || bytes + separator + size > limits.maxBytes) flush();
    bytes += (parts.length === 0 ? 0 : 1) + size;
    parts.push(record.json);
    keys.push(record.sourceKey);
  }
  flush();
  return bodies;
}
