// The OSSYS metadata that describes the benchmark entity, so Ferry reaches it the way it reaches a
// real O11 database: discovery over OSSYS_ESPACE / OSSYS_ENTITY / OSSYS_ENTITY_ATTR, then a generated
// mapping. Two modules: the system ServiceCenter (its User entity is OSSYS_USER) and `Bench`.

import type mysql from 'mysql2/promise';
import { BENCH_COLUMNS, BENCH_USERS, SOURCE_TABLE } from './bench-shape.js';

const SC_MODULE_KEY = 'bench-sc-0000-0000-000000000001';
const USER_ENTITY_KEY = 'bench-user-000-0000-000000000001';
const BENCH_MODULE_KEY = 'bench-mod-0000-0000-000000000001';
const ORDER_ENTITY_KEY = 'bench-ord-0000-0000-000000000001';

// Same columns and defaults as the sample O11 database of @ferry/adapters/o11 (o11-sample-schema.ts),
// so discovery reads both alike. Its DDL functions are not exported from the package entry point.
const DDL: readonly string[] = [
  `CREATE TABLE OSSYS_TENANT (ID INT NOT NULL PRIMARY KEY, NAME VARCHAR(50) NOT NULL DEFAULT '',
    ESPACE_ID INT NOT NULL DEFAULT 0, IS_ACTIVE TINYINT(1) NOT NULL DEFAULT 0)`,
  `CREATE TABLE OSSYS_ESPACE (ID INT NOT NULL PRIMARY KEY, NAME VARCHAR(50) NOT NULL DEFAULT '',
    SS_KEY VARCHAR(36) NOT NULL DEFAULT '', IS_ACTIVE TINYINT(1) NOT NULL DEFAULT 0,
    IS_SYSTEM TINYINT(1) NOT NULL DEFAULT 0)`,
  `CREATE TABLE OSSYS_ENTITY (ID INT NOT NULL PRIMARY KEY, NAME VARCHAR(50) NOT NULL DEFAULT '',
    PHYSICAL_TABLE_NAME VARCHAR(128) NOT NULL DEFAULT '', ESPACE_ID INT NOT NULL DEFAULT 0,
    SS_KEY VARCHAR(36) NOT NULL DEFAULT '', PRIMARYKEY_SS_KEY VARCHAR(36) NULL,
    IS_ACTIVE TINYINT(1) NOT NULL DEFAULT 0, IS_SYSTEM TINYINT(1) NOT NULL DEFAULT 0,
    DATA_KIND VARCHAR(30) NOT NULL DEFAULT 'entity')`,
  `CREATE TABLE OSSYS_ENTITY_ATTR (ID INT NOT NULL PRIMARY KEY, ENTITY_ID INT NOT NULL DEFAULT 0,
    NAME VARCHAR(50) NOT NULL DEFAULT '', SS_KEY VARCHAR(36) NOT NULL DEFAULT '',
    TYPE VARCHAR(100) NOT NULL DEFAULT '', LENGTH INT NOT NULL DEFAULT 0, DECIMALS INT NOT NULL DEFAULT 0,
    IS_MANDATORY TINYINT(1) NOT NULL DEFAULT 0, IS_AUTONUMBER TINYINT(1) NOT NULL DEFAULT 0,
    DELETE_RULE VARCHAR(10) NOT NULL DEFAULT '', IS_ACTIVE TINYINT(1) NOT NULL DEFAULT 0)`,
  `CREATE TABLE OSSYS_ENTITY_RECORD (ID INT NOT NULL PRIMARY KEY, DATA_ID VARCHAR(50) NOT NULL DEFAULT '',
    NAME VARCHAR(50) NOT NULL DEFAULT '', SS_KEY VARCHAR(36) NOT NULL DEFAULT '',
    ENTITY_SS_KEY VARCHAR(36) NOT NULL DEFAULT '', ESPACE_ID INT NOT NULL DEFAULT 0,
    IS_ACTIVE TINYINT(1) NOT NULL DEFAULT 0)`,
  `CREATE TABLE OSSYS_USER (ID INT NOT NULL AUTO_INCREMENT PRIMARY KEY, TENANT_ID INT NOT NULL DEFAULT 0,
    NAME VARCHAR(256) NOT NULL DEFAULT '', USERNAME VARCHAR(250) NOT NULL DEFAULT '',
    PASSWORD VARCHAR(256) NOT NULL DEFAULT '', EMAIL VARCHAR(250) NOT NULL DEFAULT '',
    MOBILEPHONE VARCHAR(20) NOT NULL DEFAULT '', EXTERNAL_ID VARCHAR(36) NOT NULL DEFAULT '',
    CREATION_DATE DATETIME NOT NULL DEFAULT '1900-01-01 00:00:00',
    LAST_LOGIN DATETIME NOT NULL DEFAULT '1900-01-01 00:00:00', IS_ACTIVE TINYINT(1) NOT NULL DEFAULT 0)
    DEFAULT CHARSET=utf8mb4`,
];

/** ServiceCenter's User attributes: name, type, length (as in the sample model). */
const USER_ATTRIBUTES: readonly (readonly [string, string, number])[] = [
  ['Id', 'rtInteger', 0],
  ['Tenant_Id', 'rtInteger', 0],
  ['Name', 'rtText', 256],
  ['Username', 'rtText', 250],
  ['Password', 'rtText', 256],
  ['Email', 'rtEmail', 250],
  ['MobilePhone', 'rtPhoneNumber', 20],
  ['External_Id', 'rtText', 36],
  ['Creation_Date', 'rtDateTime', 0],
  ['Last_Login', 'rtDateTime', 0],
  ['Is_Active', 'rtBoolean', 0],
];

/** Create and fill the OSSYS tables for the benchmark entity (on the connection's current database). */
export async function writeO11Metadata(conn: mysql.Connection): Promise<void> {
  for (const statement of DDL) await conn.query(statement);
  await conn.query(`INSERT INTO OSSYS_TENANT (ID, NAME, ESPACE_ID, IS_ACTIVE) VALUES (1, 'Users', 1, 1)`);
  await conn.query(`INSERT INTO OSSYS_ESPACE VALUES (1, 'ServiceCenter', ?, 1, 1), (2, 'Bench', ?, 1, 0)`, [
    SC_MODULE_KEY,
    BENCH_MODULE_KEY,
  ]);
  await conn.query(
    `INSERT INTO OSSYS_ENTITY VALUES
      (1, 'User', 'OSSYS_USER', 1, ?, 'bench-user-id', 1, 1, 'entity'),
      (2, 'OrderRow', ?, 2, ?, 'bench-attr-1', 1, 0, 'entity')`,
    [USER_ENTITY_KEY, SOURCE_TABLE, ORDER_ENTITY_KEY],
  );
  const userAttrs = USER_ATTRIBUTES.map(([name, type, length], i) => [
    i + 1,
    1,
    name,
    i === 0 ? 'bench-user-id' : `bench-user-${i + 1}`,
    type,
    length,
    0,
    i <= 1 ? 1 : 0,
    i === 0 ? 1 : 0,
    '',
    1,
  ]);
  await conn.query('INSERT INTO OSSYS_ENTITY_ATTR VALUES ?', [userAttrs]);
  const attrs = BENCH_COLUMNS.map((c, i) => [
    100 + i,
    2,
    c.attribute,
    `bench-attr-${i + 1}`,
    c.o11Type === 'user' ? `bt${SC_MODULE_KEY}*${USER_ENTITY_KEY}` : c.o11Type,
    c.length ?? 0,
    c.decimals ?? 0,
    i === 0 ? 1 : 0,
    i === 0 ? 1 : 0,
    c.o11Type === 'user' ? 'Ignore' : '',
    1,
  ]);
  await conn.query('INSERT INTO OSSYS_ENTITY_ATTR VALUES ?', [attrs]);
  const users = Array.from({ length: BENCH_USERS }, (_, i) => [
    i + 1,
    1,
    `User ${i + 1}`,
    `user${i + 1}`,
    '',
    `user${i + 1}@example.com`,
    '',
    '',
    '2020-01-01 00:00:00',
    '2020-01-01 00:00:00',
    1,
  ]);
  await conn.query('INSERT INTO OSSYS_USER VALUES ?', [users]);
}
