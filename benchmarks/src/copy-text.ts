// PostgreSQL COPY text-format encoding of a source row as mysql2 returns it (rowsAsArray, dateStrings,
// big numbers as strings). Used to export the `\copy` file and by the hand-written COPY baseline, so
// both push exactly the bytes a careful hand-written script would.

import { BENCH_COLUMNS, type ColumnKind } from './bench-shape.js';

const KINDS: readonly ColumnKind[] = BENCH_COLUMNS.map((c) => c.kind);
const SPECIAL = /[\\\n\r\t]/;

/** Escape a text value for COPY text format (backslash, newline, carriage return, tab). */
export function escapeCopyText(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\n\r\t]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '\\t',
  );
}

/** One COPY text line (with its newline) for a row of {@link BENCH_COLUMNS} values, in column order. */
export function copyLine(row: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < KINDS.length; i++) {
    if (i > 0) line += '\t';
    line += encodeValue(KINDS[i]!, row[i]);
  }
  return line + '\n';
}

function encodeValue(kind: ColumnKind, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (kind) {
    case 'text':
      return escapeCopyText(value as string);
    case 'bool':
      return Buffer.isBuffer(value) ? (value[0] === 1 ? 't' : 'f') : value ? 't' : 'f';
    case 'blob':
      return '\\\\x' + (value as Buffer).toString('hex');
    default:
      return (value as string | number | bigint).toString();
  }
}

/** The mysql2 options every baseline reads with: exact decimals and bigints, dates as strings. */
export const MYSQL_READ_OPTIONS = {
  supportBigNumbers: true,
  bigNumberStrings: true,
  dateStrings: true,
  decimalNumbers: false,
  charset: 'utf8mb4',
} as const;

/** The source SELECT in column order. */
export function selectAll(table: string): string {
  return `SELECT ${BENCH_COLUMNS.map((c) => `\`${c.column}\``).join(', ')} FROM ${table} ORDER BY ID`;
}
