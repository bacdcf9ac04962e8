// A source login that connects but may not read an O11 metadata table (issue 16 review, item 5), on
// MariaDB and PostgreSQL: `ferry discover` says which table to grant (FERRY_PERMISSION_DENIED, exit 7),
// not "connection failed" (exit 5), and prints neither the login's URL nor a password.

import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  ferry,
  MARIADB_URL,
  openFixture,
  PG_URL,
  suffix,
  type Fixture,
  type SourceEngine,
} from './cli-harness.js';

const PASSWORD = `pw-${suffix()}`;

describe.each<SourceEngine>(['mariadb', 'postgres'])('a restricted login, %s', (engine) => {
  let fixture: Fixture;
  let url: string;
  const login = `ferry_perm_${suffix()}`;
  const mysql = engine === 'mariadb';
  const admin = () =>
    knexFactory({ client: mysql ? 'mysql2' : 'pg', connection: mysql ? MARIADB_URL : PG_URL });

  beforeAll(async () => {
    fixture = await openFixture(10, {}, {}, undefined, engine);
    const source = fixture.source;
    await source.schema.createTable('OSSYS_DBCATALOG', (t) => {
      t.integer('ID');
      t.string('NAME', 100);
    });
    const db = admin();
    // PostgreSQL takes no bind parameter in CREATE ROLE: the password is a plain generated literal.
    await db.raw(
      mysql
        ? `CREATE USER ??@'%' IDENTIFIED BY '${PASSWORD}'`
        : `CREATE ROLE ?? LOGIN PASSWORD '${PASSWORD}'`,
      [login],
    );
    await db.destroy();
    const target = new URL(fixture.env['FERRY_TEST_SOURCE']!);
    const database = target.pathname.slice(1);
    if (!mysql) await source.raw('GRANT USAGE ON SCHEMA public TO ??', [login]);
    const tables = (await source('information_schema.tables')
      .where({ table_schema: mysql ? database : 'public' })
      .pluck('table_name')) as string[];
    for (const name of tables.filter((t) => t !== 'OSSYS_DBCATALOG'))
      await source.raw(mysql ? `GRANT SELECT ON ??.?? TO ??@'%'` : 'GRANT SELECT ON ?? TO ??', [
        ...(mysql ? [database, name] : [name]),
        login,
      ]);
    target.username = login;
    target.password = PASSWORD;
    url = target.toString();
  }, 120_000);
  afterAll(async () => {
    const db = admin();
    if (!mysql) await fixture.source.raw('DROP OWNED BY ??', [login]).catch(() => undefined);
    await fixture.drop();
    await db.raw(mysql ? `DROP USER IF EXISTS ??@'%'` : 'DROP ROLE IF EXISTS ??', [login]);
    await db.destroy();
  });

  it('names the table it may not read, exit 7, no secret', async () => {
    // The login itself works: it reads the entity metadata, and the database refuses OSSYS_DBCATALOG.
    const blind = knexFactory({ client: mysql ? 'mysql2' : 'pg', connection: url });
    await expect(blind('OSSYS_ENTITY').select('ID')).resolves.not.toHaveLength(0);
    await expect(blind('OSSYS_DBCATALOG').select('ID')).rejects.toThrow(/denied/);
    await blind.destroy();
    const result = await ferry(['discover'], {
      cwd: fixture.dir,
      env: { ...fixture.env, FERRY_TEST_SOURCE: url },
    });
    expect(result.code, result.stderr).toBe(ExitCode.permission);
    expect(result.stderr).toContain('may not read OSSYS_DBCATALOG: grant it SELECT on OSSYS_DBCATALOG');
    expect(result.stderr).toContain('[FERRY_PERMISSION_DENIED]');
    expect(result.stderr).toContain('env FERRY_TEST_SOURCE');
    for (const secret of [PASSWORD, login, url]) {
      expect(result.stderr).not.toContain(secret);
      expect(result.stdout).not.toContain(secret);
    }
  }, 120_000);
});
