// The `target` block of an ODC app's REST import API (`kind: "odc-rest"`): type and JSON Schema.

import { envRefSchema } from '../../../config/config-schema-parts.js';
import type { EnvRef } from '../../../config/config-types.js';

/** An ODC app's REST import API (docs/odc-endpoint-contract.md): one `Upsert<Entity>` method per entity. */
export interface OdcRestTargetConfig {
  readonly kind: 'odc-rest';
  /** e.g. `https://<tenant>.outsystems.app/Sales/rest/FerryImport`; https unless on 127.0.0.1. */
  readonly baseUrl: string;
  /** Bearer token from the environment. */
  readonly token?: EnvRef;
  /** Or an API key header, e.g. `{ "header": "X-API-Key", "value": { "env": "ODC_KEY" } }`. */
  readonly apiKey?: { readonly header: string; readonly value: EnvRef };
  /** Requests started per minute, for the whole app; unlimited when absent. */
  readonly requestsPerMinute?: number;
  /** Requests in flight at once, for the whole app. Default 4. */
  readonly concurrency?: number;
  /** Records per request. Default 500. */
  readonly maxRows?: number;
  /** Request body bytes. Default 8 MiB; at most 28.6 MB (ODC's limit). */
  readonly maxBytes?: number;
}

/** The JSON Schema of {@link OdcRestTargetConfig}. */
export const odcRestTargetSchema = {
  additionalProperties: false,
  required: ['kind', 'baseUrl'],
  properties: {
    kind: { const: 'odc-rest' },
    baseUrl: { type: 'string', pattern: '^https?://' },
    token: envRefSchema,
    apiKey: {
      type: 'object',
      required: ['header', 'value'],
      additionalProperties: false,
      properties: {
        header: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" },
        value: envRefSchema,
      },
    },
    requestsPerMinute: { type: 'integer', minimum: 1 },
    concurrency: { type: 'integer', minimum: 1, maximum: 64 },
    maxRows: { type: 'integer', minimum: 1 },
    maxBytes: { type: 'integer', minimum: 1, maximum: 28_600_000 },
  },
} as const;
