// Unit tests of SQL Server connection settings without a server: URLs and the ADO.NET strings O11
// administrators hold, `Encrypt` in every spelling (the regression: "True" parsed to false), named
// instances, domain and Azure AD logins, timeouts, and errors that never quote the secret.

import { describe, expect, test } from 'vitest';
import { mssqlConfig, parseEncrypt, parseMssqlConnection } from '@ferry/adapters/mssql';

describe('parseEncrypt', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['yes', true],
    ['1', true],
    ['Mandatory', true],
    ['false', false],
    ['False', false],
    ['no', false],
    ['0', false],
    ['Optional', false],
    ['strict', 'strict'],
    ['Strict', 'strict'],
    [' true ', true],
  ] as const)('%s', (text, expected) => {
    expect(parseEncrypt(text)).toBe(expected);
  });

  test('absent means the default (encrypt), an unknown spelling is an error', () => {
    expect(parseEncrypt(undefined)).toBeUndefined();
    expect(parseEncrypt('')).toBeUndefined();
    expect(() => parseEncrypt('maybe')).toThrow(/Encrypt must be/);
  });
});

describe('URL form', () => {
  test('regression: encrypt=True (capitalised) encrypts', () => {
    expect(mssqlConfig('mssql://sa:x@h/db?encrypt=True').options.encrypt).toBe(true);
    expect(mssqlConfig('mssql://sa:x@h/db?encrypt=strict').options.encrypt).toBe('strict');
    expect(mssqlConfig('mssql://sa:x@h/db?encrypt=false').options.encrypt).toBe(false);
    expect(mssqlConfig('mssql://sa:x@h/db').options.encrypt).toBe(true);
  });

  test('every part, timeouts and an instance', () => {
    expect(
      mssqlConfig(
        'mssql://sa:p%40ss@db.example:1444/o11?trustServerCertificate=true&connectTimeout=5000&requestTimeout=120000&instanceName=SQL2019',
      ),
    ).toEqual({
      server: 'db.example',
      port: 1444,
      database: 'o11',
      user: 'sa',
      password: 'p@ss',
      connectionTimeout: 5000,
      requestTimeout: 120_000,
      options: { encrypt: true, trustServerCertificate: true, instanceName: 'SQL2019', useUTC: true },
    });
  });

  test('Azure AD authentication type passes through', () => {
    const config = mssqlConfig(
      'sqlserver://u%40tenant.com:pw@x.database.windows.net/o11?authentication=azure-active-directory-password',
    );
    expect(config.authentication_type).toBe('azure-active-directory-password');
    expect(config.user).toBe('u@tenant.com');
  });

  test('defaults from parts', () => {
    expect(mssqlConfig({ server: 'h' })).toEqual({
      server: 'h',
      connectionTimeout: 15_000,
      requestTimeout: 60_000,
      options: { encrypt: true, trustServerCertificate: false, useUTC: true },
    });
  });
});

describe('ADO.NET form', () => {
  test('the string an O11 administrator holds', () => {
    expect(
      mssqlConfig(
        'Server=tcp:o11.database.windows.net,1433;Initial Catalog=OUTSYSTEMS;Persist Security Info=False;' +
          'User ID=ferry_ro;Password="p;w=d";MultipleActiveResultSets=False;Encrypt=True;' +
          'TrustServerCertificate=False;Connection Timeout=30;',
      ),
    ).toEqual({
      server: 'o11.database.windows.net',
      port: 1433,
      database: 'OUTSYSTEMS',
      user: 'ferry_ro',
      password: 'p;w=d',
      connectionTimeout: 30_000,
      requestTimeout: 60_000,
      options: { encrypt: true, trustServerCertificate: false, useUTC: true },
    });
  });

  test.each([
    ['Encrypt=True', true],
    ['Encrypt=true', true],
    ['Encrypt=yes', true],
    ['Encrypt=Mandatory', true],
    ['Encrypt=False', false],
    ['Encrypt=no', false],
    ['Encrypt=Optional', false],
    ['Encrypt=Strict', 'strict'],
    ['', true],
  ] as const)('%s', (part, expected) => {
    expect(mssqlConfig(`Server=h;Database=d;User Id=u;Password=p;${part}`).options.encrypt).toBe(expected);
  });

  test('a named instance, a domain user (NTLM) and a request timeout', () => {
    const config = mssqlConfig(
      'Data Source=sqlhost\\OUTSYSTEMS;Database=OSDB;User Id=CORP\\svc_ferry;Password=x;Request Timeout=90000',
    );
    expect(config).toMatchObject({
      server: 'sqlhost',
      database: 'OSDB',
      user: 'svc_ferry',
      domain: 'CORP',
      requestTimeout: 90_000,
      options: { instanceName: 'OUTSYSTEMS' },
    });
  });

  test('Azure AD: password and service principal', () => {
    expect(
      mssqlConfig(
        'Server=a.database.windows.net;Authentication=Active Directory Password;User Id=u@x;Password=p',
      ).authentication_type,
    ).toBe('azure-active-directory-password');
    expect(
      mssqlConfig(
        'Server=a;Authentication=Active Directory Integrated;Client Id=c;Client Secret=s;Tenant Id=t',
      ),
    ).toMatchObject({
      authentication_type: 'azure-active-directory-service-principal-secret',
      clientId: 'c',
      clientSecret: 's',
      tenantId: 't',
    });
  });

  test('a string without a server, or with a bad Encrypt, fails without quoting the secret', () => {
    for (const bad of [
      'Database=d;Password=hunter2',
      'Server=h;Password=hunter2;Encrypt=perhaps',
      'mssql://u:hunter2@[bad',
    ]) {
      let message = '';
      try {
        mssqlConfig(bad);
      } catch (error) {
        message = (error as Error).message;
        expect(error).toMatchObject({ code: 'FERRY_CONFIG_INVALID', reason: 'invalid-config' });
      }
      expect(message).toMatch(/^SQL Server connection string: /);
      expect(message).not.toContain('hunter2');
    }
  });

  test('URL and ADO.NET are told apart by the scheme', () => {
    expect(parseMssqlConnection('mssql://h/d').server).toBe('h');
    expect(parseMssqlConnection('Server=h').server).toBe('h');
  });
});

describe('encrypt in every spelling, in both forms', () => {
  // The same spellings through the URL query and the ADO.NET `Encrypt` keyword (any key case):
  // `True`/`Mandatory` encrypt, `Strict` is TDS 8, `False`/`Optional` do not, absent encrypts.
  const spellings = [
    ['True', true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['1', true],
    ['Mandatory', true],
    ['Strict', 'strict'],
    ['strict', 'strict'],
    ['False', false],
    ['false', false],
    ['no', false],
    ['0', false],
    ['Optional', false],
  ] as const;

  test.each(spellings)('URL encrypt=%s', (text, expected) => {
    expect(mssqlConfig(`mssql://sa:x@h/db?encrypt=${text}`).options.encrypt).toBe(expected);
    expect(
      mssqlConfig(`sqlserver://sa:x@h:1433/db?encrypt=${text}&trustServerCertificate=true`),
    ).toMatchObject({
      options: { encrypt: expected, trustServerCertificate: true },
    });
  });

  test.each(spellings)('ADO.NET Encrypt=%s, keyword in any case', (text, expected) => {
    for (const key of ['Encrypt', 'encrypt', 'ENCRYPT']) {
      expect(
        mssqlConfig(`Server=tcp:h,1433;Database=d;User Id=u;Password=p;${key}=${text}`).options.encrypt,
      ).toBe(expected);
    }
  });

  test('an unknown spelling fails in both forms, naming the keyword and not the password', () => {
    for (const bad of [
      'mssql://sa:hunter2@h/db?encrypt=perhaps',
      'Server=h;Password=hunter2;Encrypt=perhaps',
    ]) {
      expect(() => mssqlConfig(bad)).toThrow(/Encrypt/);
      expect(() => mssqlConfig(bad)).not.toThrow(/hunter2/);
    }
  });
});
