// The ODC REST sink: writes an entity's rows to an ODC app's bulk-upsert endpoint and records the ODC
// id of every row in the id map. A batch is durable once every record got an id and the pairs are in
// the id map; a batch re-sent after a crash or an unknown outcome is safe because the endpoint upserts
// by O11 source key (see docs/odc-endpoint-contract.md).

import type { Batch, Row, Sink, WriteContext } from '@ferry/core';
import { postJson } from './http-call.js';
import { parseIdResponse } from './id-response.js';
import { odcAppSettings, displayEndpoint } from './odc-app-settings.js';
import type { OdcAppSettings } from './odc-app-settings.js';
import {
  configError,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_ROWS,
  joinEndpoint,
  ODC_MAX_REQUEST_BYTES,
  positiveInt,
} from './odc-rest-options.js';
import type { OdcRestSinkOptions } from './odc-rest-options.js';
import { carriedKeys, encodeRecord } from './record-encode.js';
import type { RecordShape } from './record-encode.js';
import { cutRequests } from './request-cut.js';

/** Counters of one sink, for reports and tests. */
export interface OdcRestSinkStats {
  /** Requests that got a 2xx answer. */
  readonly requests: number;
  /** Records acknowledged with an id. */
  readonly records: number;
}

/** An ODC REST sink with its counters. */
export interface OdcRestSink extends Sink<Row> {
  readonly stats: OdcRestSinkStats;
}

/**
 * Creates a sink that bulk-upserts one entity into an ODC app.
 *
 * @example
 * ```ts
 * const sink = odcRestSink({
 *   baseUrl: 'https://acme.outsystems.app/Sales/rest/FerryImport',
 *   auth: odcAuthFromEnv(), entity: 'Customer', idMap, requestsPerMinute: 600,
 * });
 * ```
 */
export function odcRestSink(options: OdcRestSinkOptions): OdcRestSink {
  return new OdcRestSinkImpl(options);
}

class OdcRestSinkImpl implements OdcRestSink {
  readonly name: string;
  readonly #options: OdcRestSinkOptions;
  readonly #settings: OdcAppSettings;
  readonly #url: string;
  readonly #shape: RecordShape;
  readonly #maxRows: number;
  readonly #maxBytes: number;
  #requests = 0;
  #records = 0;

  constructor(options: OdcRestSinkOptions) {
    this.#options = options;
    this.#settings = odcAppSettings(options);
    this.#url = joinEndpoint(this.#settings.baseUrl, endpointPath(options));
    this.name = displayEndpoint(this.#url);
    const key = typeof options.key === 'string' ? [options.key] : (options.key ?? ['Id']);
    if (key.length === 0) throw configError('key must name at least one attribute');
    this.#shape = { entity: options.entity, key, omit: new Set(options.omit ?? []) };
    this.#maxRows = positiveInt('maxRows', options.maxRows, DEFAULT_MAX_ROWS);
    this.#maxBytes = positiveInt(
      'maxBytes',
      options.maxBytes,
      DEFAULT_MAX_BYTES,
      Math.floor(ODC_MAX_REQUEST_BYTES),
    );
  }

  get stats(): OdcRestSinkStats {
    return { requests: this.#requests, records: this.#records };
  }

  async write(batch: Batch<Row>, context: WriteContext): Promise<void> {
    if (batch.rows.length === 0) return;
    const keys = carriedKeys(batch, this.#options.entity);
    const records = batch.rows.map((row, i) => encodeRecord(row, this.#shape, keys?.[i]));
    const bodies = cutRequests(records, {
      entity: this.#options.entity,
      maxRows: this.#maxRows,
      maxBytes: this.#maxBytes,
    });
    // Settle every request before answering, so nothing is still writing when write() rejects.
    const results = await Promise.allSettled(
      bodies.map((body) => this.#send(body.body, body.sourceKeys, context)),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  async #send(body: string, sourceKeys: readonly string[], context: WriteContext): Promise<void> {
    const where = {
      entity: context.entity,
      endpoint: this.name,
      keys: [sourceKeys[0]!, sourceKeys[sourceKeys.length - 1]!],
    };
    const text = await postJson(this.#url, body, where, this.#settings, context.signal);
    const pairs = parseIdResponse(text, sourceKeys, where);
    await this.#options.idMap.put(this.#options.idMapEntity ?? context.entity, pairs);
    this.#requests += 1;
    this.#records += pairs.length;
  }

  /** Nothing to roll back: every acknowledged request is committed by the app, and re-sending upserts. */
  close(): Promise<void> {
    return Promise.resolve(); // no connection state to release: fetch pools its own sockets
  }
}

function endpointPath(options: OdcRestSinkOptions): string {
  if (options.endpoint !== undefined) return options.endpoint(options.entity);
  if (options.path !== undefined) return options.path;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.entity)) {
    throw configError(`entity "${options.entity}" is not a plain ODC name: give path or endpoint`);
  }
  return `Upsert${options.entity}`;
}
