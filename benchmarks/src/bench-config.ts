// Options of a benchmark session and where the databases are. Connection strings come from the
// environment (with this machine's defaults) and are never printed: reports show host and database only.

/** A case the harness can run. */
export type CaseName =
  | 'psql-copy'
  | 'pgloader-default'
  | 'pgloader-tuned'
  | 'naive-knex'
  | 'hand-copy'
  | 'ferry-copy'
  | 'ferry-copy-p2'
  | 'ferry-upsert'
  | 'ferry-resume'
  | 'ferry-workers-1'
  | 'ferry-workers-2'
  | 'ferry-workers-4';

/** Every case, in the order one round runs them (baselines interleaved with Ferry). */
export const ALL_CASES: readonly CaseName[] = [
  'psql-copy',
  'ferry-copy',
  'pgloader-default',
  'pgloader-tuned',
  'hand-copy',
  'ferry-upsert',
  'ferry-copy-p2',
  'naive-knex',
  'ferry-resume',
  'ferry-workers-1',
  'ferry-workers-2',
  'ferry-workers-4',
];

/** What one session measures. */
export interface BenchOptions {
  /** Source row counts, one session part each (e.g. `[1_000_000, 5_000_000]`). */
  readonly sizes: readonly number[];
  /** Rounds; each case runs once per round, cases interleaved. Median over rounds. */
  readonly runs: number;
  readonly cases: readonly CaseName[];
  /** Install pgloader with apt-get when missing. */
  readonly install: boolean;
  /** Directory for exported files and logs. */
  readonly workDir: string;
  /** Where the JSON result goes; `undefined` writes none. */
  readonly resultFile: string | undefined;
  /** Ferry's rows per batch and commit interval. */
  readonly batchSize: number;
  readonly commitEvery: number;
  /** Ferry's batches in flight (written, not yet durable); undefined keeps the runner's default. */
  readonly maxInFlight?: number;
  /** Ferry's key-range partitions of the table, all run at once; undefined reads it as one stream. */
  readonly partitions?: number;
  /** Print progress lines to stderr. */
  readonly verbose: boolean;
  /** Write a V8 CPU profile of every Node child (`--cpu-prof`) into this directory. */
  readonly profileDir?: string;
  /** PostgreSQL database of the targets; default `FERRY_BENCH_PG_DATABASE` or `ferry_bench`. */
  readonly pgDatabase?: string;
}

/** Connection settings of the two databases. */
export interface BenchConnections {
  /** PostgreSQL server URL without a database path, e.g. `postgres://postgres@127.0.0.1:5432`. */
  readonly pgServer: string;
  readonly pgDatabase: string;
  /** MariaDB server URL without a database path, e.g. `mysql://root@127.0.0.1:3306`. */
  readonly mariadbServer: string;
}

/** The connections, from `FERRY_BENCH_PG_URL` / `FERRY_BENCH_MARIADB_URL` or this machine's defaults. */
export function connectionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchConnections {
  return {
    pgServer: stripPath(env['FERRY_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432'),
    pgDatabase: env['FERRY_BENCH_PG_DATABASE'] ?? 'ferry_bench',
    mariadbServer: stripPath(env['FERRY_BENCH_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306'),
  };
}

/** The MariaDB database holding `rows` source rows: `ferry_bench` for 1M, a suffixed one otherwise. */
export function sourceDatabase(rows: number): string {
  return rows === 1_000_000 ? 'ferry_bench' : `ferry_bench_${rows}`;
}

/** `server` with `/database` appended. */
export function withDatabase(server: string, database: string): string {
  return `${server}/${database}`;
}

/** `host:port/database`, for reports (no user, no password). */
export function describeUrl(server: string, database: string): string {
  const url = new URL(server);
  return `${url.hostname}:${url.port}/${database}`;
}

function stripPath(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '';
  return parsed.toString().replace(/\/$/, '');
}
