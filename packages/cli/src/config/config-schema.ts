// JSON Schema of ferry.config.json, compiled with ajv. Connection strings are only accepted as
// environment references, so a config file can be committed without leaking a password. The
// `source` and `target` blocks are the registered kinds' own schemas (kinds/kinds.ts).

import { kinds } from '../kinds/kinds.js';
import type { KindRegistry } from '../kinds/kind-registry.js';
import type { KindConfig } from '../kinds/kind-types.js';
import { envRefSchema, identifierSchema } from './config-schema-parts.js';

/**
 * The JSON Schema of a config whose `source` and `target` are one of `registry`'s kinds (each kind
 * gives its block's schema).
 */
export function configSchemaFor(registry: KindRegistry<KindConfig, KindConfig>) {
  const sources = registry.sources.map((kind) => kind.schema);
  const targets = registry.targets.map((kind) => kind.schema);
  return {
    type: 'object',
    required: ['source', 'target'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      runId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' },
      source: { type: 'object', required: ['kind'], discriminator: { propertyName: 'kind' }, oneOf: sources },
      target: { type: 'object', required: ['kind'], discriminator: { propertyName: 'kind' }, oneOf: targets },
      mapping: { type: 'string', minLength: 1 },
      state: {
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        oneOf: [
          {
            additionalProperties: false,
            required: ['kind', 'dir'],
            properties: { kind: { const: 'file' }, dir: { type: 'string', minLength: 1 } },
          },
          {
            additionalProperties: false,
            required: ['kind'],
            properties: {
              kind: { const: 'postgres' },
              schema: identifierSchema,
            },
          },
        ],
      },
      entities: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      users: {
        type: 'object',
        additionalProperties: false,
        properties: {
          odcUsersFile: { type: 'string', minLength: 1 },
          match: { enum: ['email', 'username'] },
          usernamePrefix: { type: 'string' },
          unmatched: { enum: ['null', 'empty-guid', 'reject', 'fail'] },
          odc: {
            type: 'object',
            additionalProperties: false,
            required: ['portalUrl', 'clientId', 'clientSecret'],
            properties: {
              portalUrl: { type: 'string', pattern: '^https?://' },
              clientId: envRefSchema,
              clientSecret: envRefSchema,
              assetKey: { type: 'string', minLength: 1 },
              environmentKey: { type: 'string', minLength: 1 },
            },
          },
          policies: {
            type: 'object',
            additionalProperties: false,
            properties: {
              tenantId: { type: 'string', minLength: 1 },
              inactive: { enum: ['skip', 'create'] },
              emptyEmail: {
                oneOf: [
                  { const: 'skip' },
                  {
                    type: 'object',
                    additionalProperties: false,
                    required: ['domain'],
                    properties: { domain: { type: 'string', minLength: 1 } },
                  },
                ],
              },
              caseDuplicates: { enum: ['merge', 'skip'] },
            },
          },
          mapFile: { type: 'string', minLength: 1 },
        },
      },
      report: { type: 'string', minLength: 1 },
      batchSize: { type: 'integer', minimum: 1, maximum: 100000 },
      batchBytes: { type: 'integer', minimum: 65536 },
      commitEvery: { type: 'integer', minimum: 1 },
      concurrency: { type: 'integer', minimum: 1, maximum: 64 },
      partitions: {
        oneOf: [
          { type: 'integer', minimum: 1, maximum: 256 },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              default: { type: 'integer', minimum: 1, maximum: 256 },
              entities: {
                type: 'object',
                additionalProperties: { type: 'integer', minimum: 1, maximum: 256 },
              },
            },
          },
        ],
      },
      connections: { type: 'integer', minimum: 4, maximum: 1000 },
      distributed: {
        type: 'object',
        additionalProperties: false,
        properties: {
          schema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,49}$' },
          expireSeconds: { type: 'integer', minimum: 3, maximum: 86400 },
          retryLimit: { type: 'integer', minimum: 0, maximum: 1000 },
          retryDelaySeconds: { type: 'integer', minimum: 0, maximum: 3600 },
          pollSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 60 },
        },
      },
      rejects: {
        type: 'object',
        additionalProperties: false,
        properties: {
          file: { type: 'string', minLength: 1 },
          maxRows: { type: 'integer', minimum: 0 },
          maxRatio: { type: 'number', minimum: 0, maximum: 1 },
        },
      },
    },
  } as const;
}

/** The JSON Schema of {@link FerryConfig} with the built-in kinds. */
export const configSchema = configSchemaFor(kinds);
