// One value's canonical text written in SQL, per dialect, so that a database computes exactly what
// `canonicalValue` computes in Node for the target column type: `12.5` for 12.50, `t`/`f`, dates as
// `YYYY-MM-DD`, times and date-times without trailing fraction zeros, binary as lower-case hex.

import type { TargetType } from '@ferry/mapping';
import type { KnexDialect } from '../knex/knex-dialect.js';
import { byteLengthText, concatText, integerText } from './diff-sql-dialect.js';

/** The canonical forms a value can take (a target column type, text types folded together). */
export type CanonicalKind =
  'integer' | 'decimal' | 'text' | 'boolean' | 'date' | 'time' | 'timestamp' | 'binary' | 'uuid';

/** The canonical kind of a target column type. */
export function canonicalKindOf(type: TargetType): CanonicalKind {
  switch (type) {
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'numeric':
      return 'decimal';
    case 'text':
    case 'varchar':
      return 'text';
    case 'bytea':
      return 'binary';
    default:
      return type;
  }
}

/** Trailing fraction zeros and then a bare point removed, when the text holds a point. */
function trimFraction(dialect: KnexDialect, text: string): string {
  switch (dialect) {
    case 'mysql':
      return `CASE WHEN INSTR(${text}, '.') > 0 THEN TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM ${text})) ELSE ${text} END`;
    case 'mssql': {
      const zeros = `LEFT(${text}, LEN(${text}) - PATINDEX('%[^0]%', REVERSE(${text})) + 1)`;
      const point = `CASE WHEN RIGHT(${zeros}, 1) = '.' THEN LEFT(${zeros}, LEN(${zeros}) - 1) ELSE ${zeros} END`;
      return `CASE WHEN CHARINDEX('.', ${text}) > 0 THEN ${point} ELSE ${text} END`;
    }
    default:
      return `CASE WHEN instr(${text}, '.') > 0 THEN rtrim(rtrim(${text}, '0'), '.') ELSE ${text} END`;
  }
}

function postgresValue(kind: CanonicalKind, c: string): string {
  const clock = (format: string, value: string) => `rtrim(rtrim(to_char(${value}, '${format}'), '0'), '.')`;
  switch (kind) {
    case 'integer':
    case 'text':
    case 'uuid':
      return `CAST(${c} AS text)`;
    case 'decimal':
      return `CAST(trim_scale(CAST(${c} AS numeric)) AS text)`;
    case 'boolean':
      return `CASE WHEN CAST(${c} AS text) IN ('0', 'false', 'f') THEN 'f' ELSE 't' END`;
    case 'date':
      return `to_char(${c}, 'YYYY-MM-DD')`;
    case 'time':
      return clock('HH24:MI:SS.US', `DATE '1900-01-01' + CAST(${c} AS time)`);
    case 'timestamp':
      return clock('YYYY-MM-DD HH24:MI:SS.US', c);
    case 'binary':
      return `encode(${c}, 'hex')`;
  }
}

function mysqlValue(kind: CanonicalKind, c: string): string {
  switch (kind) {
    case 'integer':
      return integerText('mysql', c);
    case 'decimal':
      return trimFraction('mysql', `CAST(${c} AS CHAR)`);
    case 'text':
    case 'uuid':
      return c;
    case 'boolean':
      return `CASE WHEN ${c} = 0 THEN 'f' ELSE 't' END`;
    case 'date':
      return `DATE_FORMAT(${c}, '%Y-%m-%d')`;
    case 'time':
      return `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM DATE_FORMAT(${c}, '%H:%i:%s.%f')))`;
    case 'timestamp':
      return `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM DATE_FORMAT(${c}, '%Y-%m-%d %H:%i:%s.%f')))`;
    case 'binary':
      return `LOWER(HEX(${c}))`;
  }
}

// SQLite keeps O11 dates as text ('YYYY-MM-DD HH:MM:SS[.fff]', or a bare date or time) and decimals
// as text (the sample's TEXT affinity), so the canonical forms are cut from that text.
function sqliteValue(kind: CanonicalKind, c: string): string {
  const clockOf = `CASE WHEN length(${c}) > 10 THEN substr(${c}, 12) WHEN length(${c}) = 10 THEN '00:00:00' ELSE ${c} END`;
  switch (kind) {
    case 'integer':
      return integerText('sqlite', c);
    case 'decimal':
      return trimFraction('sqlite', `CAST(${c} AS TEXT)`);
    case 'text':
    case 'uuid':
      return c;
    case 'boolean':
      return `CASE WHEN ${c} = 0 THEN 'f' ELSE 't' END`;
    case 'date':
      return `substr(${c}, 1, 10)`;
    case 'time':
      return trimFraction('sqlite', `(${clockOf})`);
    case 'timestamp':
      return trimFraction('sqlite', `(substr(${c}, 1, 10) || ' ' || ${clockOf})`);
    case 'binary':
      return `lower(hex(${c}))`;
  }
}

function mssqlValue(kind: CanonicalKind, c: string): string {
  switch (kind) {
    case 'integer':
      return integerText('mssql', c);
    case 'decimal':
      return trimFraction('mssql', `CAST(${c} AS varchar(64))`);
    case 'text':
    case 'uuid':
      return c;
    case 'boolean':
      return `CASE WHEN ${c} = 0 THEN 'f' ELSE 't' END`;
    case 'date':
      return `CONVERT(char(10), ${c}, 23)`;
    case 'time':
      return trimFraction('mssql', `CONVERT(varchar(15), CAST(${c} AS time(6)))`);
    case 'timestamp':
      return trimFraction('mssql', `CONVERT(varchar(26), CAST(${c} AS datetime2(6)), 121)`);
    case 'binary':
      return `LOWER(CONVERT(varchar(max), ${c}, 2))`;
  }
}

/** The canonical text of column expression `c` (not NULL) as `kind`. */
export function valueSql(dialect: KnexDialect, kind: CanonicalKind, c: string): string {
  switch (dialect) {
    case 'mysql':
      return mysqlValue(kind, c);
    case 'sqlite':
      return sqliteValue(kind, c);
    case 'mssql':
      return mssqlValue(kind, c);
    default:
      return postgresValue(kind, c);
  }
}

/**
 * One column's piece of the row text, never NULL: `~` for NULL; text as `<UTF-8 bytes>:<text>`; any
 * other value (which never holds `|`) followed by `|`. So the row text is unambiguous: see
 * {@link rowText} in diff-hash.ts, its Node twin.
 */
export function pieceSql(dialect: KnexDialect, kind: CanonicalKind, c: string): string {
  const value = valueSql(dialect, kind, c);
  const piece =
    kind === 'text'
      ? concatText(dialect, [byteLengthText(dialect, value), "':'", value])
      : concatText(dialect, [value, "'|'"]);
  return `CASE WHEN ${c} IS NULL THEN '~' ELSE ${piece} END`;
}
