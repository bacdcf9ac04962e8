// Unit tests of the CLI's SQL Server connection without a server: optional drivers named when
// missing (oracledb is not installed here), ADO.NET strings accepted, errors that name the side and
// the environment variable but never the secret, and the settings handed to knex's mssql client.

import { describe, expect, test } from 'vitest';
import { FerryError } from '@ferry/core';
import { snapshotNote, SNAPSHOT_STATE_SQL } from '../src/assess/assess-snapshot.js';
import { requireDriver } from '../src/connect/driver-require.js';
import { knexMssqlConnection, sqlServerConfig } from '../src/connect/sqlserver-connect.js';

describe('optional drivers', () => {
  test('a missing oracledb is one line naming the package to install', () => {
    let error: unknown;
    try {
      requireDriver('oracledb');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FerryError);
    expect(error).toMatchObject({
      code: 'FERRY_DRIVER_MISSING',
      reason: 'invalid-config',
      message: 'source client oracledb needs the package oracledb: npm install oracledb',
    });
  });

  test('mssql needs mssql and tedious; both named when both are missing', () => {
    const none = (name: string): string => {
      throw new Error(`Cannot find module '${name}'`);
    };
    expect(() => requireDriver('mssql', none)).toThrow(
      'source client mssql needs the packages mssql and tedious: npm install mssql tedious',
    );
    expect(() => requireDriver('mssql')).not.toThrow();
  });
});

describe('SQL Server connection strings', () => {
  test('ADO.NET is accepted as well as URLs', async () => {
    const config = await sqlServerConfig(
      'Server=tcp:o11.example.net,1433;Database=OUTSYSTEMS;User Id=ro;Password=hunter2;Encrypt=True',
      'O11_DB',
    );
    expect(config).toMatchObject({
      server: 'o11.example.net',
      database: 'OUTSYSTEMS',
      options: { encrypt: true },
    });
    expect((await sqlServerConfig('mssql://ro:hunter2@h/db?encrypt=True', 'O11_DB')).options.encrypt).toBe(
      true,
    );
  });

  test('an unreadable string names side and env var, never the secret', async () => {
    const error = await sqlServerConfig('Password=hunter2;Encrypt=sometimes;Server=h', 'O11_DB').catch(
      (e: unknown) => e as FerryError,
    );
    expect(error).toMatchObject({ code: 'FERRY_CONFIG_INVALID', reason: 'invalid-config' });
    expect((error as FerryError).message).toMatch(
      /^source\.connection \(env O11_DB\): SQL Server connection string: /,
    );
    expect((error as FerryError).message).not.toContain('hunter2');
  });

  test("knex's mssql client gets the same settings, authentication as `type`", async () => {
    const config = await sqlServerConfig(
      'Server=a.database.windows.net;Authentication=Active Directory Password;User Id=u@x;Password=p;Encrypt=Strict',
      'O11_DB',
    );
    expect(knexMssqlConnection(config)).toMatchObject({
      server: 'a.database.windows.net',
      user: 'u@x',
      type: 'azure-active-directory-password',
      options: { encrypt: 'strict', useUTC: true },
    });
  });
});

describe('assess: snapshot isolation note', () => {
  test('on, off, unreadable', () => {
    expect(snapshotNote({ snapshot: 'ON', rcsi: true })).toBe(
      'SQL Server: ALLOW_SNAPSHOT_ISOLATION is ON (source.isolation "snapshot" reads each table consistently); READ_COMMITTED_SNAPSHOT is ON',
    );
    expect(snapshotNote({ snapshot: 'OFF', rcsi: false })).toMatch(
      /^SQL Server: ALLOW_SNAPSHOT_ISOLATION is OFF \(source.isolation "snapshot" is not available: .*READ_COMMITTED_SNAPSHOT is OFF$/,
    );
    expect(snapshotNote(undefined)).toBe('SQL Server: the snapshot isolation settings could not be read');
    expect(SNAPSHOT_STATE_SQL).toContain('FROM sys.databases WHERE name = DB_NAME()');
  });
});
