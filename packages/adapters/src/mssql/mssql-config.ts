// Connection settings for `new sql.ConnectionPool(config)`: from a URL, an ADO.NET connection string
// (what O11 administrators hold) or parts. TLS is on unless switched off in a spelling we recognise,
// and useUTC stays on, so zone-less datetimes come back as Dates whose UTC fields are the stored time.

import { createRequire } from 'node:module';
import { FerryError } from '@ferry/core';
import { parseEncrypt } from './mssql-encrypt.js';
import type { MssqlEncrypt } from './mssql-encrypt.js';

/** Parts of a SQL Server connection. The password is never logged by Ferry. */
export interface MssqlConnectionOptions {
  readonly server: string;
  readonly port?: number | undefined;
  /** A named instance (`Server=host\INSTANCE`), found through the SQL Browser when no port is given. */
  readonly instanceName?: string | undefined;
  readonly database?: string | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** Windows domain of the user (`User Id=DOMAIN\user`): NTLM login. */
  readonly domain?: string | undefined;
  /** A tedious authentication type (`azure-active-directory-default`, `...-password`, ...). */
  readonly authentication?: string | undefined;
  /** TLS on the wire: `true` (default; Azure SQL requires it), `false`, or `'strict'` (TDS 8). */
  readonly encrypt?: MssqlEncrypt | undefined;
  /** Accept a self-signed server certificate (test servers only). Default false. */
  readonly trustServerCertificate?: boolean | undefined;
  /** Login timeout in ms. Default 15000. */
  readonly connectTimeout?: number | undefined;
  /** Query timeout in ms. Default 60000. */
  readonly requestTimeout?: number | undefined;
  /** Azure AD service principal / managed identity fields, passed through. */
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  readonly tenantId?: string | undefined;
}

/** The config object `mssql` expects. */
export interface MssqlPoolConfig {
  readonly server: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  readonly domain?: string;
  /** Read by mssql's tedious pool as the authentication type. */
  readonly authentication_type?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly tenantId?: string;
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly options: {
    readonly encrypt: MssqlEncrypt;
    readonly trustServerCertificate: boolean;
    readonly instanceName?: string;
    readonly useUTC: true;
  };
}

const invalid = (why: string): FerryError =>
  new FerryError(`SQL Server connection string: ${why}`, {
    code: 'FERRY_CONFIG_INVALID',
    reason: 'invalid-config',
    operation: 'config.resolve',
  });

const bool = (value: string | null | undefined, fallback: boolean): boolean =>
  value === null || value === undefined ? fallback : /^(true|yes|1)$/i.test(value.trim());

const num = (value: string | null | undefined): number | undefined => {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw invalid('timeouts and ports must be whole numbers');
  return n;
};

const text = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : value;

/**
 * Parses `mssql://user:password@host:1433/database?encrypt=true&trustServerCertificate=false`, also
 * `instanceName`, `authentication`, `connectTimeout` and `requestTimeout` (ms). `sqlserver://` works too.
 */
export function parseMssqlUrl(url: string): MssqlConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('not a valid URL (expected mssql://user:password@host:1433/database)');
  }
  const q = parsed.searchParams;
  return {
    server: parsed.hostname,
    port: num(parsed.port),
    instanceName: text(q.get('instanceName')),
    database: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : undefined,
    user: text(decodeURIComponent(parsed.username)),
    password: text(decodeURIComponent(parsed.password)),
    authentication: text(q.get('authentication')),
    encrypt: parseEncrypt(q.get('encrypt')),
    trustServerCertificate: bool(q.get('trustServerCertificate'), false),
    connectTimeout: num(q.get('connectTimeout')),
    requestTimeout: num(q.get('requestTimeout')),
  };
}

interface MssqlParsed {
  server?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  domain?: string;
  authentication_type?: string;
  clientId?: string;
  clientSecret?: string;
  tenantId?: string;
  connectionTimeout?: number;
  requestTimeout?: number;
  options: { instanceName?: string; trustServerCertificate?: boolean };
}

/**
 * The raw value of `key` in an ADO.NET string, through the parser `mssql` itself uses (resolved from
 * mssql's own folder), because mssql coerces Encrypt to a boolean.
 */
function adoValue(connection: string, key: string): string | undefined {
  const fromMssql = createRequire(createRequire(import.meta.url).resolve('mssql'));
  const parser = fromMssql('@tediousjs/connection-string') as {
    parse: (s: string) => { get: (k: string) => string | undefined };
  };
  return parser.parse(connection).get(key);
}

/**
 * Parses an ADO.NET connection string (`Server=tcp:host,1433;Database=...;User Id=...;Password=...;
 * Encrypt=True`) with the installed `mssql`'s own parser: named instances (`host\INSTANCE`), domain
 * users (NTLM), `Authentication=Active Directory ...`, `Connect Timeout` and `Request Timeout`.
 */
export function parseMssqlConnectionString(connection: string): MssqlConnectionOptions {
  const require = createRequire(import.meta.url);
  const sql = require('mssql') as { ConnectionPool: { parseConnectionString(s: string): MssqlParsed } };
  let p: MssqlParsed;
  try {
    p = sql.ConnectionPool.parseConnectionString(connection);
  } catch {
    throw invalid('not a valid ADO.NET connection string (Server=...;Database=...;User Id=...)');
  }
  return {
    server: p.server ?? '',
    port: p.port,
    instanceName: p.options.instanceName,
    database: p.database,
    user: p.user,
    password: p.password,
    domain: p.domain,
    authentication: p.authentication_type,
    encrypt: parseEncrypt(adoValue(connection, 'encrypt')),
    trustServerCertificate: p.options.trustServerCertificate ?? false,
    connectTimeout: p.connectionTimeout,
    requestTimeout: p.requestTimeout,
    clientId: p.clientId,
    clientSecret: p.clientSecret,
    tenantId: p.tenantId,
  };
}

/** A URL (`mssql://`, `sqlserver://`) or an ADO.NET connection string, told apart by the scheme. */
export function parseMssqlConnection(connection: string): MssqlConnectionOptions {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(connection.trim())
    ? parseMssqlUrl(connection.trim())
    : parseMssqlConnectionString(connection);
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

const defined = <T extends object>(entries: T): Defined<T> =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as Defined<T>;

/**
 * A `ConnectionPool` config from a URL, an ADO.NET string or parts.
 *
 * @example
 * ```ts
 * const pool = await new sql.ConnectionPool(mssqlConfig(process.env.MSSQL_URL!)).connect();
 * const same = mssqlConfig('Server=tcp:db.example.net,1433;Database=OUTSYSTEMS;User Id=ro;Password=...;Encrypt=True');
 * ```
 */
export function mssqlConfig(source: string | MssqlConnectionOptions): MssqlPoolConfig {
  const o = typeof source === 'string' ? parseMssqlConnection(source) : source;
  if (o.server === '') throw invalid('no server (Server=host or mssql://host)');
  return {
    server: o.server,
    ...defined({
      port: o.port,
      database: o.database,
      user: o.user,
      password: o.password,
      domain: o.domain,
      authentication_type: o.authentication,
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      tenantId: o.tenantId,
    }),
    connectionTimeout: o.connectTimeout ?? 15_000,
    requestTimeout: o.requestTimeout ?? 60_000,
    options: {
      encrypt: o.encrypt ?? true,
      trustServerCertificate: o.trustServerCertificate ?? false,
      ...(o.instanceName === undefined ? {} : { instanceName: o.instanceName }),
      useUTC: true,
    },
  };
}
