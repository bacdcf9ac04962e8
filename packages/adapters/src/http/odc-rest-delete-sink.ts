// The delete side of `ferry sync` on an ODC app: a sink whose rows hold an entity's key attributes
// and that POSTs their source keys to the app's `Delete<Entity>` method (docs/odc-endpoint-contract.md).
// Deleting by source key is idempotent (a key already gone answers `deleted: false`), so a request
// re-sent after an unknown outcome or a crash is safe, as an upsert is.

import { FerryError } from '@ferry/core';
import type { Batch, Row, Sink, WriteContext } from '@ferry/core';
import { postJson } from './http-call.js';
import { badResponse } from './id-response.js';
import { displayEndpoint, odcAppSettings } from './odc-app-settings.js';
import type { OdcAppSettings } from './odc-app-settings.js';
import { configError, DEFAULT_MAX_ROWS, joinEndpoint, positiveInt } from './odc-rest-options.js';
import type { OdcAppOptions } from './odc-rest-options.js';
import { sourceKeyOf } from './record-encode.js';

/** Options of {@link odcRestDeleteSink}. */
export interface OdcRestDeleteSinkOptions extends OdcAppOptions {
  /** The ODC entity name: sent as `entity` and naming the default path `Delete<entity>`. */
  readonly entity: string;
  /** Method path under `baseUrl`. Default `Delete<entity>`. */
  readonly path?: string;
  /** The rows' key attribute(s), in key order, as the upsert sink's `key`. Default `Id`. */
  readonly key?: string | readonly string[];
  /** Source keys per request. Default 500. */
  readonly maxRows?: number;
}

/** Counters of a delete sink. */
export interface OdcRestDeleteStats {
  readonly requests: number;
  /** Keys the app answered `deleted: true` for. */
  readonly deleted: number;
  /** Keys the app had no record for (deleted by an earlier, re-sent request). */
  readonly absent: number;
}

/** An ODC REST delete sink with its counters. */
export interface OdcRestDeleteSink extends Sink<Row> {
  readonly stats: OdcRestDeleteStats;
}

/**
 * Creates a sink that deletes one entity's records by O11 source key in an ODC app.
 *
 * @example
 * ```ts
 * const sink = odcRestDeleteSink({ baseUrl, auth, entity: 'Order', key: 'Id' });
 * // a batch of rows [{ Id: '100042' }] deletes the record whose SourceKey is "100042"
 * ```
 */
export function odcRestDeleteSink(options: OdcRestDeleteSinkOptions): OdcRestDeleteSink {
  if (options.path === undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.entity))
    throw configError(`entity "${options.entity}" is not a plain ODC name: give path`);
  const settings: OdcAppSettings = odcAppSettings(options);
  const url = joinEndpoint(settings.baseUrl, options.path ?? `Delete${options.entity}`);
  const key = typeof options.key === 'string' ? [options.key] : (options.key ?? ['Id']);
  if (key.length === 0) throw configError('key must name at least one attribute');
  const shape = { entity: options.entity, key, omit: new Set<string>() };
  const maxRows = positiveInt('maxRows', options.maxRows, DEFAULT_MAX_ROWS);
  const name = displayEndpoint(url);
  const stats = { requests: 0, deleted: 0, absent: 0 };

  const send = async (keys: readonly string[], context: WriteContext): Promise<void> => {
    const where = { entity: context.entity, endpoint: name, keys: [keys[0]!, keys[keys.length - 1]!] };
    const body = JSON.stringify({ entity: options.entity, sourceKeys: keys });
    const answer = parseDeleteResponse(
      await postJson(url, body, where, settings, context.signal),
      keys,
      where,
    );
    stats.requests += 1;
    for (const deleted of answer.values()) stats[deleted ? 'deleted' : 'absent'] += 1;
  };

  return {
    name,
    get stats(): OdcRestDeleteStats {
      return { ...stats };
    },
    async write(batch: Batch<Row>, context: WriteContext): Promise<void> {
      const keys = batch.rows.map((row) => sourceKeyOf(row, shape));
      for (let i = 0; i < keys.length; i += maxRows) await send(keys.slice(i, i + maxRows), context);
    },
    close: () => Promise.resolve(),
  };
}

/** The answer `[{ sourceKey, deleted }]`: every key sent must be in it. */
function parseDeleteResponse(
  text: string,
  sent: readonly string[],
  where: { entity: string; endpoint: string },
): Map<string, boolean> {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (cause) {
    throw badResponse(where, 'is not JSON', cause);
  }
  if (!Array.isArray(items)) throw badResponse(where, 'is not an array of { sourceKey, deleted }');
  const answered = new Map<string, boolean>();
  for (const item of items as unknown[]) {
    const { sourceKey, deleted } = (item ?? {}) as { sourceKey?: unknown; deleted?: unknown };
    if (typeof sourceKey !== 'string' || typeof deleted !== 'boolean')
      throw badResponse(where, 'has an item without a text sourceKey and a boolean deleted');
    answered.set(sourceKey, deleted);
  }
  const missing = sent.filter((key) => !answered.has(key));
  if (missing.length > 0)
    throw new FerryError(
      `ODC endpoint ${where.endpoint} did not answer ${missing.length} of ${sent.length} ${where.entity} deletes (e.g. keys ${missing.slice(0, 5).join(', ')}): the endpoint must answer every key`,
      {
        code: 'FERRY_HTTP_MISSING_IDS',
        reason: 'invalid-data',
        entity: where.entity,
        operation: 'delete',
        key: missing.slice(0, 5),
      },
    );
  return answered;
}
