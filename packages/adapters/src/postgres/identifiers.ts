// Identifier validation and quoting. Table, schema and column names come from mappings and configs,
// so every one is checked (printable, at most 63 bytes as PostgreSQL truncates beyond) and quoted.

import { FerryError } from '@ferry/core';
import type { TargetTable } from '@ferry/mapping';

const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quote one identifier for SQL, after checking it: non-empty, at most 63 bytes, no NUL or control
 * characters. Throws a `FerryError` (`invalid-config`) otherwise.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw invalidIdentifier(name, 'must be 1 to 63 bytes long');
  }
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) < 32 || name.charCodeAt(i) === 127) {
      throw invalidIdentifier(name, 'contains a control character');
    }
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"` (or `"table"` when the table has no schema), validated and quoted. */
export function qualifiedTableName(table: Pick<TargetTable, 'schema' | 'table'>): string {
  const name = quoteIdentifier(table.table);
  return table.schema === undefined ? name : `${quoteIdentifier(table.schema)}.${name}`;
}

/** A label for messages: `schema.table`, unquoted. */
export function tableLabel(table: Pick<TargetTable, 'schema' | 'table'>): string {
  return table.schema === undefined ? table.table : `${table.schema}.${table.table}`;
}

function invalidIdentifier(name: string, why: string): FerryError {
  // The name is configuration, not row data, so it may appear (printably) in the message.
  return new FerryError(`identifier ${JSON.stringify(name.slice(0, 80))} ${why}: fix the mapping`, {
    code: 'FERRY_PG_IDENTIFIER',
    reason: 'invalid-config',
  });
}
