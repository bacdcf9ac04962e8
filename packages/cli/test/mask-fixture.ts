// Helpers of the masking integration test: a source login that may not read some columns (to show
// that redacted and nulled columns are never selected: the database itself would refuse), columns
// read as text by SQL on either side (independent of the mapping code), and per-table checksums.

import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import type pg from 'pg';
import { MARIADB_URL, PG_URL, suffix, type Fixture, type SourceEngine } from './cli-harness.js';

/** A login on the fixture's source database that can read every table but `hidden` columns of `table`. */
export async function restrictedSource(
  engine: SourceEngine,
  fixture: Fixture,
  entity: string,
  hidden: readonly string[],
): Promise<{ url: string; drop: () => Promise<void> }> {
  const login = `ferry_mask_${suffix()}`;
  const source = fixture.source;
  const url = new URL(fixture.env['FERRY_TEST_SOURCE']!);
  const database = url.pathname.slice(1);
  const [table] = (await source('OSSYS_ENTITY')
    .where({ NAME: entity, IS_ACTIVE: 1 })
    .pluck('PHYSICAL_TABLE_NAME')) as string[];
  const mysql = engine === 'mariadb';
  // MariaDB answers "denied", not "missing", for a table the login may not see: give it the (empty)
  // catalog table every real O11 has, which discovery probes for.
  if (!(await source.schema.hasTable('OSSYS_DBCATALOG')))
    await source.schema.createTable('OSSYS_DBCATALOG', (t) => {
      t.integer('ID');
      t.string('NAME', 100);
    });
  const admin = mysql
    ? knexFactory({ client: 'mysql2', connection: MARIADB_URL })
    : knexFactory({ client: 'pg', connection: PG_URL });
  await admin.raw(mysql ? `CREATE USER ??@'%'` : 'CREATE ROLE ?? LOGIN', [login]);
  if (!mysql) await source.raw('GRANT USAGE ON SCHEMA public TO ??', [login]);
  const schema = mysql ? database : 'public';
  const tables = (await source('information_schema.tables')
    .where({ table_schema: schema })
    .pluck('table_name')) as string[];
  for (const name of tables) {
    const on = mysql ? `??.??` : '??';
    const ids = mysql ? [database, name] : [name];
    const to = mysql ? `??@'%'` : '??';
    if (name !== table) {
      await source.raw(`GRANT SELECT ON ${on} TO ${to}`, [...ids, login]);
      continue;
    }
    const columns = (
      (await source('information_schema.columns')
        .where({ table_schema: schema, table_name: name })
        .pluck('column_name')) as string[]
    ).filter((c) => !hidden.includes(c.toUpperCase()));
    await source.raw(`GRANT SELECT (${columns.map(() => '??').join(', ')}) ON ${on} TO ${to}`, [
      ...columns,
      ...ids,
      login,
    ]);
  }
  url.username = login;
  url.password = '';
  return {
    url: url.toString(),
    async drop() {
      if (!mysql) await source.raw('DROP OWNED BY ??', [login]);
      await admin.raw(mysql ? `DROP USER ??@'%'` : 'DROP ROLE ??', [login]);
      await admin.destroy();
    },
  };
}

/** Columns of a source table as text, by ID (SQL casts: MariaDB `CAST AS CHAR`, PostgreSQL `::text`). */
export async function sourceTexts(
  engine: SourceEngine,
  db: Knex,
  table: string,
  columns: readonly string[],
): Promise<Map<string, Record<string, string | null>>> {
  const cast = engine === 'mariadb' ? 'CAST(?? AS CHAR) AS ??' : 'CAST(?? AS TEXT) AS ??';
  const names = ['ID', ...columns];
  const rows = await db(table).select<Record<string, string | null>[]>(
    names.map((c) => db.raw(cast, [c, c])),
  );
  return new Map(rows.map((r) => [String(r['ID']), r]));
}

/** Columns of a target table as PostgreSQL text, by id. */
export async function targetTexts(
  pool: pg.Pool,
  schema: string,
  table: string,
  columns: readonly string[],
): Promise<Map<string, Record<string, string | null>>> {
  const list = ['id', ...columns].map((c) => `"${c}"::text AS "${c}"`).join(', ');
  const { rows } = await pool.query<Record<string, string | null>>(
    `SELECT ${list} FROM "${schema}"."${table}"`,
  );
  return new Map(rows.map((r) => [String(r['id']), r]));
}

/** md5 of every row's text, in text order, per table of a schema. */
export async function tableChecksums(pool: pg.Pool, schema: string): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  const out: Record<string, string> = {};
  for (const { table_name: name } of tables) {
    const { rows } = await pool.query<{ sum: string }>(
      `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) || ':' || count(*) AS sum FROM "${schema}"."${name}" t`,
    );
    out[name] = rows[0]!.sum;
  }
  return out;
}

/** The largest Long Integer the sample's SerialNo holds (and, negated, the smallest). */
export const SERIAL_MAX = 9_223_372_036_854_775_800n;

/**
 * Adds a non-key Long Integer attribute `SerialNo` to an entity of the sample (column and active
 * OSSYS_ENTITY_ATTR row): ±SERIAL_MAX at ids 1 and 2, 0 (the O11 empty value) at every tenth id, the
 * rest distinct values past 2^53, negative at ids divisible by 3. Computed by SQL on the source.
 */
export async function addSerialNumber(source: Knex, entity: string, table: string): Promise<void> {
  await source.schema.alterTable(table, (t) => {
    t.bigInteger('SERIALNO').notNullable().defaultTo(0);
  });
  const big = `(${SERIAL_MAX} - :id: * 3000000000000001)`;
  await source(table).update({
    SERIALNO: source.raw(
      `CASE WHEN :id: = 1 THEN ${SERIAL_MAX} WHEN :id: = 2 THEN -${SERIAL_MAX} WHEN MOD(:id:, 10) = 0 THEN 0
            WHEN MOD(:id:, 3) = 0 THEN -${big} ELSE ${big} END`,
      { id: 'ID' },
    ),
  });
  const [owner] = await source('OSSYS_ENTITY')
    .where({ NAME: entity, IS_ACTIVE: 1 })
    .select<{ ID: number }[]>('ID');
  const [last] = await source('OSSYS_ENTITY_ATTR').max<{ max: number }[]>('ID as max');
  await source('OSSYS_ENTITY_ATTR').insert({
    ID: Number(last!.max) + 1,
    ENTITY_ID: owner!.ID,
    NAME: 'SerialNo',
    SS_KEY: randomUUID(),
    TYPE: 'rtLongInteger',
    LENGTH: 0,
    DECIMALS: 0,
    IS_MANDATORY: 0,
    IS_AUTONUMBER: 0,
    DELETE_RULE: '',
    IS_ACTIVE: 1,
  });
}
