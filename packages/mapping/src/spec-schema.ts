// The JSON Schema of a mapping spec (ajv, draft-07). Shapes and ranges live here; what a schema cannot
// say (source/target form, key is an attribute, reference targets exist) is in spec-checks.ts.

import { O11_BASIC_TYPES } from './catalog.js';
import { FAKE_KINDS, MASK_KINDS } from './mask-spec.js';

const identifier = { type: 'string', minLength: 1, maxLength: 128 } as const;

const targetTypes = [
  'integer',
  'bigint',
  'numeric',
  'text',
  'varchar',
  'boolean',
  'date',
  'time',
  'timestamp',
  'bytea',
  'uuid',
] as const;

/** Conversion options shared by defaults, entities and attributes. */
const conversionProperties = {
  emptyDefaults: { enum: ['keep', 'null'] },
  rounding: { enum: ['reject', 'half-even', 'half-up', 'down'] },
  textLengthUnit: { enum: ['code-points', 'utf16'] },
  nul: { enum: ['reject', 'strip', 'replace'] },
  nulReplacement: { type: 'string', maxLength: 8 },
  timeZone: { type: 'string', minLength: 1 },
  maxBinaryBytes: { type: 'integer', minimum: 0 },
  longIntegerAs: { enum: ['string', 'bigint'] },
  driverDates: { enum: ['utc', 'local'] },
} as const;

const reference = {
  type: 'object',
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: [
    {
      properties: {
        kind: { const: 'entity' },
        entity: identifier,
        ids: { enum: ['keep', 'remap'] },
        deleteRule: { enum: ['Protect', 'Delete', 'Ignore'] },
        onMissing: { enum: ['reject', 'keep', 'null'] },
      },
      required: ['entity'],
      additionalProperties: false,
    },
    {
      properties: {
        kind: { const: 'user' },
        unmatched: { enum: ['null', 'empty-guid', 'reject', 'fail'] },
      },
      additionalProperties: false,
    },
    {
      properties: { kind: { const: 'static' }, entity: identifier, by: { enum: ['id', 'label'] } },
      required: ['entity'],
      additionalProperties: false,
    },
  ],
} as const;

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

const mask = {
  oneOf: [
    { enum: MASK_KINDS },
    {
      type: 'object',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: { enum: MASK_KINDS },
        as: { enum: FAKE_KINDS },
        value: { type: ['string', 'number', 'boolean'] },
        days: { type: 'integer', minimum: 1, maximum: 3650 },
        from: date,
        to: date,
        domain: { type: 'string', pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+)+$', maxLength: 100 },
      },
    },
  ],
} as const;

const attribute = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    ...conversionProperties,
    type: { enum: O11_BASIC_TYPES },
    column: identifier,
    target: identifier,
    exclude: { type: 'boolean' },
    mandatory: { type: 'boolean' },
    autoNumber: { type: 'boolean' },
    length: { type: 'integer', minimum: 1 },
    decimals: { type: 'integer', minimum: 0, maximum: 8 },
    precision: { type: 'integer', minimum: 1, maximum: 1000 },
    scale: { type: 'integer', minimum: 0, maximum: 1000 },
    targetLength: { type: 'integer', minimum: 1 },
    targetType: { enum: targetTypes },
    constant: { type: ['string', 'number', 'boolean', 'null'] },
    compute: {},
    reference,
    mask,
  },
} as const;

const table = {
  type: 'object',
  additionalProperties: false,
  properties: {
    module: identifier,
    app: identifier,
    entity: identifier,
    table: identifier,
    schema: identifier,
  },
} as const;

const entity = {
  type: 'object',
  required: ['source', 'target', 'key', 'attributes'],
  additionalProperties: false,
  properties: {
    ...conversionProperties,
    name: identifier,
    source: table,
    target: table,
    key: { type: 'array', items: identifier, minItems: 1, uniqueItems: true },
    identity: { enum: ['preserve', 'remap'] },
    include: { type: 'array', items: identifier, uniqueItems: true },
    exclude: { type: 'array', items: identifier, uniqueItems: true },
    attributes: { type: 'object', minProperties: 1, additionalProperties: attribute },
    filter: { type: 'object' },
    filterFn: {},
  },
} as const;

/** The mapping spec's JSON Schema. */
export const mappingJsonSchema = {
  $id: 'https://ferry.dev/schemas/mapping-v1.json',
  type: 'object',
  required: ['version', 'entities'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    version: { const: 1 },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...conversionProperties,
        identity: { enum: ['preserve', 'remap'] },
        naming: { enum: ['snake_case', 'as-is'] },
      },
    },
    users: {
      type: 'object',
      additionalProperties: false,
      properties: {
        match: { enum: ['email', 'username'] },
        usernamePrefix: { type: 'string' },
        unmatched: { enum: ['null', 'empty-guid', 'reject', 'fail'] },
        mask: { type: 'boolean' },
      },
    },
    masking: {
      type: 'object',
      additionalProperties: false,
      properties: { keyEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
    },
    entities: { type: 'array', items: entity },
  },
} as const;
