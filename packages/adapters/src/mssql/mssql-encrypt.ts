// The `Encrypt` setting of a SQL Server connection in every spelling administrators write: ADO.NET
// and Microsoft.Data.SqlClient (True/False, Yes/No, Mandatory/Optional, Strict) and URL query values.
// `mssql`'s own parser turns any text but false/no/0 into `true`, so "Strict" would lose TDS 8.

import { FerryError } from '@ferry/core';

/** What tedious accepts: `true` (TLS after prelogin), `false` (login only), or `'strict'` (TDS 8). */
export type MssqlEncrypt = boolean | 'strict';

const SPELLINGS: Readonly<Record<string, MssqlEncrypt>> = {
  true: true,
  yes: true,
  '1': true,
  mandatory: true,
  false: false,
  no: false,
  '0': false,
  optional: false,
  strict: 'strict',
};

/**
 * The encrypt setting from its text, case-insensitive; `undefined` when absent (Ferry then encrypts).
 * An unknown spelling is an error rather than a silent `false`.
 *
 * @example
 * ```ts
 * parseEncrypt('True') // true
 * parseEncrypt('Strict') // 'strict'
 * ```
 */
export function parseEncrypt(value: string | null | undefined): MssqlEncrypt | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const found = SPELLINGS[value.trim().toLowerCase()];
  if (found === undefined) {
    throw new FerryError(
      'SQL Server connection string: Encrypt must be true, false, yes, no, mandatory, optional or strict',
      { code: 'FERRY_CONFIG_INVALID', reason: 'invalid-config', operation: 'config.resolve' },
    );
  }
  return found;
}
