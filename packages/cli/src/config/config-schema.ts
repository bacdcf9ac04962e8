// JSON Schema of ferry.config.json, compiled once with ajv. Connection strings are only accepted as
// environment references, so a config file can be committed without leaking a password.

const envRef = {
  type: 'object',
  required: ['env'],
  additionalProperties: false,
  properties: { env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
} as const;

const identifier = { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' } as const;

/** The JSON Schema of {@link FerryConfig}. */
export const configSchema = {
  type: 'object',
  required: ['source', 'target'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    runId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' },
    source: {
      type: 'object',
      required: ['kind'],
      discriminator: { propertyName: 'kind' },
      oneOf: [
        {
          additionalProperties: false,
          required: ['kind', 'client'],
          properties: {
            kind: { const: 'o11-sql' },
            client: { enum: ['mssql', 'mysql2', 'pg', 'better-sqlite3', 'oracledb'] },
            connection: envRef,
            filename: { type: 'string', minLength: 1 },
            modules: { type: 'array', items: { type: 'string', minLength: 1 } },
            isolation: { enum: ['read-committed', 'snapshot'] },
          },
        },
        {
          additionalProperties: false,
          required: ['kind', 'dir'],
          properties: { kind: { const: 'json' }, dir: { type: 'string', minLength: 1 } },
        },
      ],
    },
    target: {
      type: 'object',
      required: ['kind'],
      discriminator: { propertyName: 'kind' },
      oneOf: [
        {
          additionalProperties: false,
          required: ['kind', 'connection'],
          properties: {
            kind: { const: 'postgres' },
            connection: envRef,
            mode: { enum: ['copy', 'upsert', 'insert'] },
            createTables: { type: 'boolean' },
            schema: identifier,
          },
        },
        {
          additionalProperties: false,
          required: ['kind', 'dir'],
          properties: { kind: { const: 'ndjson' }, dir: { type: 'string', minLength: 1 } },
        },
        {
          additionalProperties: false,
          required: ['kind', 'baseUrl'],
          properties: {
            kind: { const: 'odc-rest' },
            baseUrl: { type: 'string', pattern: '^https?://' },
            token: envRef,
            apiKey: {
              type: 'object',
              required: ['header', 'value'],
              additionalProperties: false,
              properties: {
                header: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" },
                value: envRef,
              },
            },
            requestsPerMinute: { type: 'integer', minimum: 1 },
            concurrency: { type: 'integer', minimum: 1, maximum: 64 },
            maxRows: { type: 'integer', minimum: 1 },
            maxBytes: { type: 'integer', minimum: 1, maximum: 28_600_000 },
          },
        },
      ],
    },
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
            schema: identifier,
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
            clientId: envRef,
            clientSecret: envRef,
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
