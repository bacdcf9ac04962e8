// Pieces of the config's JSON Schema that kinds' schemas share.

/** `{ "env": "NAME" }`: a secret is never a literal in the config, only an environment reference. */
export const envRefSchema = {
  type: 'object',
  required: ['env'],
  additionalProperties: false,
  properties: { env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
} as const;

/** A PostgreSQL identifier Ferry writes unquoted-safe: lower case, at most 63 characters. */
export const identifierSchema = { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' } as const;
