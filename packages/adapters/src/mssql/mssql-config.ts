// Connection settings for `new sql.ConnectionPool(config)`: from a URL or parts, with the TLS options
// passed through (encrypt, trustServerCertificate) and useUTC kept on, so zone-less datetimes come back
// as Dates whose UTC fields are the stored wall-clock time.

/** Parts of a SQL Server connection. The password is never logged by Ferry. */
export interface MssqlConnectionOptions {
  readonly server: string;
  readonly port?: number | undefined;
  readonly database?: string | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** TLS on the wire. Default true (Azure SQL requires it). */
  readonly encrypt?: boolean | undefined;
  /** Accept a self-signed server certificate (test servers only). Default false. */
  readonly trustServerCertificate?: boolean | undefined;
  /** Query timeout in ms. Default 60000. */
  readonly requestTimeout?: number | undefined;
}

/** The config object `mssql` expects. */
export interface MssqlPoolConfig {
  readonly server: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  readonly requestTimeout: number;
  readonly options: {
    readonly encrypt: boolean;
    readonly trustServerCertificate: boolean;
    readonly useUTC: true;
  };
}

const bool = (value: string | null, fallback: boolean): boolean =>
  value === null ? fallback : value === 'true' || value === '1' || value === 'yes';

/** Parses `mssql://user:password@host:1433/database?encrypt=true&trustServerCertificate=false`. */
export function parseMssqlUrl(url: string): MssqlConnectionOptions {
  const parsed = new URL(url);
  const q = parsed.searchParams;
  return {
    server: parsed.hostname,
    port: parsed.port === '' ? undefined : Number(parsed.port),
    database: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : undefined,
    user: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    encrypt: bool(q.get('encrypt'), true),
    trustServerCertificate: bool(q.get('trustServerCertificate'), false),
  };
}

/**
 * A `ConnectionPool` config from a URL or parts.
 *
 * @example
 * ```ts
 * const pool = await new sql.ConnectionPool(mssqlConfig(process.env.MSSQL_URL!)).connect();
 * ```
 */
export function mssqlConfig(source: string | MssqlConnectionOptions): MssqlPoolConfig {
  const o = typeof source === 'string' ? parseMssqlUrl(source) : source;
  return {
    server: o.server,
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.database === undefined ? {} : { database: o.database }),
    ...(o.user === undefined ? {} : { user: o.user }),
    ...(o.password === undefined ? {} : { password: o.password }),
    requestTimeout: o.requestTimeout ?? 60_000,
    options: {
      encrypt: o.encrypt ?? true,
      trustServerCertificate: o.trustServerCertificate ?? false,
      useUTC: true,
    },
  };
}
