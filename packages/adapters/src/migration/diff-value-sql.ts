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

/** How each canonical kind is written from a column expression `c` (not NULL), in one dialect. */
type Writers = Readonly<Record<CanonicalKind, (c: string) => string>>;

const clock = (format: string, value: string) => `rtrim(rtrim(to_char(${value}, '${format}'), '0'), '.')`;

const POSTGRES: Writers = {
  integer: (c) => `CAST(${c} AS text)`,
  text: (c) => `CAST(${c} AS text)`,
  uuid: (c) => `CAST(${c} AS text)`,
  decimal: (c) => `CAST(trim_scale(CAST(${c} AS numeric)) AS text)`,
  boolean: (c) => `CASE WHEN CAST(${c} AS text) IN ('0', 'false', 'f') THEN 'f' ELSE 't' END`,
  date: (c) => `to_char(${c}, 'YYYY-MM-DD')`,
  time: (c) => clock('HH24:MI:SS.US', `DATE '1900-01-01' + CAST(${c} AS time)`),
  timestamp: (c) => clock('YYYY-MM-DD HH24:MI:SS.US', c),
  binary: (c) => `encode(${c}, 'hex')`,
};

/** What MariaDB/MySQL, SQLite and SQL Server write alike: text as it is, 0 as false. */
const plain = (dialect: KnexDialect) => ({
  integer: (c: string) => integerText(dialect, c),
  text: (c: string) => c,
  uuid: (c: string) => c,
  boolean: (c: string) => `CASE WHEN ${c} = 0 THEN 'f' ELSE 't' END`,
});

const trimmed = (format: string) => (c: string) =>
  `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM DATE_FORMAT(${c}, '${format}')))`;

const MYSQL: Writers = {
  ...plain('mysql'),
  decimal: (c) => trimFraction('mysql', `CAST(${c} AS CHAR)`),
  date: (c) => `DATE_FORMAT(${c}, '%Y-%m-%d')`,
  time: trimmed('%H:%i:%s.%f'),
  timestamp: trimmed('%Y-%m-%d %H:%i:%s.%f'),
  binary: (c) => `LOWER(HEX(${c}))`,
};

// SQLite keeps O11 dates as text ('YYYY-MM-DD HH:MM:SS[.fff]', or a bare date or time) and decimals
// as text (the sample's TEXT affinity), so the canonical forms are cut from that text.
const clockOf = (c: string) =>
  `CASE WHEN length(${c}) > 10 THEN substr(${c}, 12) WHEN length(${c}) = 10 THEN '00:00:00' ELSE ${c} END`;

const SQLITE: Writers = {
  ...plain('sqlite'),
  decimal: (c) => trimFraction('sqlite', `CAST(${c} AS TEXT)`),
  date: (c) => `substr(${c}, 1, 10)`,
  time: (c) => trimFraction('sqlite', `(${clockOf(c)})`),
  timestamp: (c) => trimFraction('sqlite', `(substr(${c}, 1, 10) || ' ' || ${clockOf(c)})`),
  binary: (c) => `lower(hex(${c}))`,
};

const MSSQL: Writers = {
  ...plain('mssql'),
  decimal: (c) => trimFraction('mssql', `CAST(${c} AS varchar(64))`),
  date: (c) => `CONVERT(char(10), ${c}, 23)`,
  time: (c) => trimFraction('mssql', `CONVERT(varchar(15), CAST(${c} AS time(6)))`),
  timestamp: (c) => trimFraction('mssql', `CONVERT(varchar(26), CAST(${c} AS datetime2(6)), 121)`),
  binary: (c) => `LOWER(CONVERT(varchar(max), ${c}, 2))`,
};

/** The canonical text of column expression `c` (not NULL) as `kind`. */
export function valueSql(dialect: KnexDialect, kind: CanonicalKind, c: string): string {
  const writers =
    dialect === 'mysql' ? MYSQL : dialect === 'sqlite' ? SQLITE : dialect === 'mssql' ? MSSQL : POSTGRES;
  return writers[kind](c);
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
