// Driver settings that keep values exact when a knex source reads columns without a `kind`: mysql2
// returns BIGINT, DECIMAL and DATETIME as text, pg returns dates and timestamps as their text.
// Columns with a kind are cast in SQL and do not need this.

import { createRequire } from 'node:module';
import type { Knex } from 'knex';

const MYSQL_EXACT = {
  supportBigNumbers: true,
  bigNumberStrings: true,
  dateStrings: true,
  decimalNumbers: false,
};

// date, time, timestamp, timestamptz, timetz, int8, numeric: keep the server's text.
const PG_TEXT_OIDS = new Set([1082, 1083, 1114, 1184, 1266, 20, 1700]);

interface PgTypes {
  getTypeParser(oid: number, format?: string): unknown;
}

function pgExactTypes(): PgTypes {
  // `pg` is a peer dependency, loaded only when a pg connection asks for it.
  const pg = createRequire(import.meta.url)('pg') as { types: PgTypes };
  return {
    getTypeParser: (oid: number, format?: string) =>
      PG_TEXT_OIDS.has(oid) && format !== 'binary'
        ? (text: string) => text
        : pg.types.getTypeParser(oid, format),
  };
}

function mergeConnection(connection: unknown, extra: Record<string, unknown>): unknown {
  if (typeof connection === 'string') {
    const url = new URL(connection);
    for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, String(value));
    return url.toString();
  }
  if (typeof connection === 'object' && connection !== null) return { ...connection, ...extra };
  return connection;
}

/**
 * Returns a copy of a knex config whose driver returns 64-bit integers, decimals and datetimes
 * exactly, as text in source time: mysql2 gets `supportBigNumbers`, `bigNumberStrings`, `dateStrings`;
 * pg gets type parsers that keep `date`, `time`, `timestamp`, `int8` and `numeric` as text. Other
 * clients are returned unchanged (better-sqlite3 returns what SQLite stores; see the README).
 *
 * @example
 * ```ts
 * const db = knex(withExactTypes({ client: 'mysql2', connection: process.env.MARIADB_URL }));
 * ```
 */
export function withExactTypes(config: Knex.Config): Knex.Config {
  const client = typeof config.client === 'string' ? config.client : '';
  if (client === 'mysql' || client === 'mysql2') {
    return {
      ...config,
      connection: mergeConnection(config.connection, MYSQL_EXACT) as NonNullable<Knex.Config['connection']>,
    };
  }
  if (client === 'pg' || client === 'postgres' || client === 'postgresql') {
    const connection =
      typeof config.connection === 'string' ? { connectionString: config.connection } : config.connection;
    return {
      ...config,
      connection: mergeConnection(connection, { types: pgExactTypes() }) as NonNullable<
        Knex.Config['connection']
      >,
    };
  }
  return config;
}
