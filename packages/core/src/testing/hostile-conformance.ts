// Hostile values and identifiers for the conformance suites: the text that breaks hand-written escaping
// (COPY's `\N` and `\.`, backslashes, tabs, line ends, the empty string that is not NULL, surrogate
// pairs) and names that break hand-written quoting (a `"`, a space, a reserved word, mixed case).

import { CONFORMANCE_FIRST_ID, type ConformanceRow } from './conformance-rows.js';

/** Table and column names a sink must quote, not pass through. */
export interface ConformanceNames {
  readonly table: string;
  readonly columns: { readonly [K in keyof ConformanceRow]: string };
}

/** A table name with a `"`, a space and a reserved word; columns in mixed case, with `"`, space, `select`. */
export const HOSTILE_NAMES: ConformanceNames = {
  table: 'Conf "Table" select',
  columns: { id: 'Id', name: 'Na"me', amount: 'Amount Due', day: 'select', flag: 'Flag "b"' },
};

/**
 * Texts that must come back exactly as written: `''` is not NULL, `\N` is not NULL, `\.` does not end
 * COPY data, and tab, CR and LF stay inside their field.
 */
export const HOSTILE_TEXTS: readonly string[] = [
  '',
  ' ',
  '\\',
  '\\N',
  '\\.',
  '\\\\N',
  'a\\b\\',
  'tab\there',
  'cr\rhere',
  'lf\nhere',
  'crlf\r\n',
  '\t\n\r\\',
  'NULL',
  `"double", 'single'`,
  'emoji 😀👍🏽, surrogate pair 𝄞 (U+1D11E)',
  'e\u0301 combining, \u00a0 no-break space',
];

/** One row per {@link HOSTILE_TEXTS} entry (in `name`), ids from `from` above the plain rows. */
export function hostileRows(from = 2000): ConformanceRow[] {
  return HOSTILE_TEXTS.map((name, k) => ({
    id: String(CONFORMANCE_FIRST_ID + BigInt(from + k)),
    name,
    amount: k % 2 === 0 ? null : `${k}.00000001`,
    day: '2024-02-29',
    flag: k % 3 === 0 ? null : k % 2 === 0,
  }));
}

/** A row whose text holds U+0000, for sinks whose storage allows it (PostgreSQL text does not). */
export function nulRow(from = 3000): ConformanceRow {
  return {
    id: String(CONFORMANCE_FIRST_ID + BigInt(from)),
    name: 'a\u0000b',
    amount: null,
    day: null,
    flag: null,
  };
}

/** Rename a row's conformance columns to `names` (other keys stay). */
export function renameColumns<R extends Record<string, unknown>>(row: R, names: ConformanceNames): R {
  const out: Record<string, unknown> = {};
  const columns = names.columns as Record<string, string>;
  for (const [key, value] of Object.entries(row)) out[columns[key] ?? key] = value;
  return out as R;
}

/** The inverse of {@link renameColumns}. */
export function restoreColumns<R extends Record<string, unknown>>(row: R, names: ConformanceNames): R {
  const back = new Map(Object.entries(names.columns).map(([key, name]) => [name, key]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[back.get(key) ?? key] = value;
  return out as R;
}
