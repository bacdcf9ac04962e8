// Builds the MariaDB source: the O11 entity table filled in SQL from the SEQUENCE engine (INSERT ...
// SELECT in 1M-row chunks, never row by row from Node) plus the OSSYS metadata describing it. A marker
// table records shape version and row count, so an unchanged source is reused instead of rebuilt.

import mysql from 'mysql2/promise';
import { BENCH_COLUMNS, SHAPE_VERSION, SOURCE_TABLE, generatorSelect } from './bench-shape.js';
import { writeO11Metadata } from './o11-metadata.js';

const MARKER = 'FERRY_BENCH_INFO';
const CHUNK = 1_000_000;

/** What setup did. */
export interface SourceSetup {
  readonly database: string;
  readonly rows: number;
  readonly reused: boolean;
  readonly seconds: number;
}

/** Make sure `database` holds the benchmark entity with exactly `rows` rows; rebuild when it does not. */
export async function ensureSource(serverUrl: string, database: string, rows: number): Promise<SourceSetup> {
  const started = performance.now();
  const conn = await mysql.createConnection({
    uri: serverUrl,
    multipleStatements: false,
    charset: 'utf8mb4',
  });
  try {
    if (await isCurrent(conn, database, rows)) {
      return { database, rows, reused: true, seconds: (performance.now() - started) / 1000 };
    }
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`USE \`${database}\``);
    await createEntityTable(conn);
    await fill(conn, rows);
    await writeO11Metadata(conn);
    await conn.query(`CREATE TABLE ${MARKER} (SHAPE_VERSION INT NOT NULL, ROW_COUNT BIGINT NOT NULL)`);
    await conn.query(`INSERT INTO ${MARKER} VALUES (?, ?)`, [SHAPE_VERSION, rows]);
    return { database, rows, reused: false, seconds: (performance.now() - started) / 1000 };
  } finally {
    await conn.end();
  }
}

async function isCurrent(conn: mysql.Connection, database: string, rows: number): Promise<boolean> {
  const [found] = await conn.query<mysql.RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [database, MARKER],
  );
  if (Number(found[0]?.['n']) === 0) return false;
  const [marker] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT SHAPE_VERSION AS v, ROW_COUNT AS n FROM \`${database}\`.${MARKER}`,
  );
  return Number(marker[0]?.['v']) === SHAPE_VERSION && Number(marker[0]?.['n']) === rows;
}

async function createEntityTable(conn: mysql.Connection): Promise<void> {
  const columns = BENCH_COLUMNS.map((c) => `\`${c.column}\` ${c.mariadb}`).join(',\n  ');
  await conn.query(
    `CREATE TABLE ${SOURCE_TABLE} (\n  ${columns},\n  PRIMARY KEY (ID)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
}

async function fill(conn: mysql.Connection, rows: number): Promise<void> {
  const names = BENCH_COLUMNS.map((c) => `\`${c.column}\``).join(', ');
  for (let from = 1; from <= rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK - 1);
    await conn.query(`INSERT INTO ${SOURCE_TABLE} (${names}) ${generatorSelect(from, to)}`);
  }
  await conn.query(`ANALYZE TABLE ${SOURCE_TABLE}`);
}
