// Reads an endpoint's answer `[{ sourceKey, id }]` exactly. ODC serialises Long Integer attributes as
// JSON numbers, which JSON.parse would round past 2^53, so integer `id`/`sourceKey` fields are quoted
// in the raw text before parsing. Every key sent must come back with an id, or the batch is not durable.

import { FerryError } from '@ferry/core';

const INTEGER_FIELD = /("(?:id|sourceKey)"\s*:\s*)(-?\d+)(?=\s*[,}])/g;

/**
 * Parses the answer and returns the id of every sent key, in the order sent.
 *
 * @throws FerryError `FERRY_HTTP_BAD_RESPONSE` when the answer is not the contract's shape, or
 * `FERRY_HTTP_MISSING_IDS` when a sent key has no id (naming up to five such keys).
 */
export function parseIdResponse(
  text: string,
  sentKeys: readonly string[],
  where: { entity: string; endpoint: string },
): (readonly [sourceKey: string, id: string])[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(INTEGER_FIELD, '$1"$2"'));
  } catch (cause) {
    throw badResponse(where, 'is not JSON', cause);
  }
  const items = Array.isArray(parsed) ? parsed : (parsed as { records?: unknown } | null)?.records;
  if (!Array.isArray(items)) throw badResponse(where, 'is not an array of { sourceKey, id }');
  const ids = new Map<string, string>();
  for (const item of items as unknown[]) {
    const { sourceKey, id } = (item ?? {}) as { sourceKey?: unknown; id?: unknown };
    if (typeof sourceKey !== 'string' || (typeof id !== 'string' && typeof id !== 'number') || id === '') {
      throw badResponse(where, 'has an item without a text sourceKey and a non-empty id');
    }
    ids.set(sourceKey, String(id));
  }
  const missing = sentKeys.filter((key) => !ids.has(key));
  if (missing.length > 0) {
    throw new FerryError(
      `ODC endpoint ${where.endpoint} returned no id for ${missing.length} of ${sentKeys.length} ${where.entity} ` +
        `records (e.g. keys ${missing.slice(0, 5).join(', ')}): the endpoint must answer every record`,
      {
        code: 'FERRY_HTTP_MISSING_IDS',
        reason: 'invalid-data',
        entity: where.entity,
        operation: 'write',
        key: missing.slice(0, 5),
      },
    );
  }
  return sentKeys.map((key) => [key, ids.get(key)!] as const);
}

/** `FERRY_HTTP_BAD_RESPONSE`: an answer of `where` that is not the contract's shape. */
export function badResponse(
  where: { entity: string; endpoint: string },
  what: string,
  cause?: unknown,
): FerryError {
  return new FerryError(`the answer of ODC endpoint ${where.endpoint} for ${where.entity} ${what}`, {
    code: 'FERRY_HTTP_BAD_RESPONSE',
    reason: 'invalid-data',
    entity: where.entity,
    operation: 'write',
    ...(cause === undefined ? {} : { cause }),
  });
}
