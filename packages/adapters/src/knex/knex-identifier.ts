// Identifier checks shared by the SQL sources. Table, schema and column names come from configs and
// from O11 metadata; they are validated here and then quoted by the query builder, never concatenated.

import { FerryError } from '@ferry/core';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$#]{0,127}$/;

/**
 * Returns `name` when it is a plain SQL identifier (letters, digits, `_`, `$`, `#`, at most 128
 * characters, not starting with a digit); otherwise throws an `invalid-config` {@link FerryError}.
 * O11 physical names (`OSUSR_S2M_CUSTOMER`, `CREATEDBY`) always pass.
 */
export function validateIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new FerryError(
      `${what} ${JSON.stringify(name)} is not a plain SQL identifier: use letters, digits and _`,
      {
        code: 'FERRY_INVALID_IDENTIFIER',
        reason: 'invalid-config',
        operation: 'configure',
      },
    );
  }
  return name;
}
