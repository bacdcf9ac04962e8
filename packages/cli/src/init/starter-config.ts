// What `ferry init` writes: a starter config for one source and one target kind, as data (which the
// config schema validates) plus the comments that explain each key and the keys left commented out.
// init-render.ts turns it into a commented ferry.config.ts, or plain JSON.

import type { FerryConfig } from '../config/config-types.js';
import { kinds } from '../kinds/kinds.js';

/** The O11 databases `ferry init` knows. */
export const INIT_SOURCES = ['mariadb', 'postgres', 'mssql', 'sqlite'] as const;
/** The targets `ferry init` knows: the target kinds with a starter (kinds/kinds.ts order). */
export const INIT_TARGETS: readonly string[] = kinds.targets
  .filter((k) => k.starter !== undefined)
  .map((k) => k.kind);
/** One of {@link INIT_SOURCES}. */
export type InitSource = (typeof INIT_SOURCES)[number];
/** One of {@link INIT_TARGETS}. */
export type InitTarget = string;

/** A config and its comments: `notes` by JSON path (`/source/connection`), `extras` commented-out lines. */
export interface StarterConfig {
  readonly config: FerryConfig;
  /** Comment lines written above the key at this path ('' is the file's top). */
  readonly notes: Readonly<Record<string, readonly string[]>>;
  /** Commented-out lines written at the end of the object at this path. */
  readonly extras: Readonly<Record<string, readonly string[]>>;
  /** The environment variables the config names, with what each must hold. */
  readonly env: readonly { readonly name: string; readonly holds: string }[];
}

const SOURCES: Record<InitSource, { source: FerryConfig['source']; notes: string[]; env?: string }> = {
  mariadb: {
    source: { kind: 'o11-sql', client: 'mysql2', connection: { env: 'O11_URL' } },
    notes: ['An O11 database copied to MariaDB/MySQL: O11_URL is mysql://user:password@host:3306/database.'],
    env: 'a mysql:// URL of the O11 database',
  },
  postgres: {
    source: { kind: 'o11-sql', client: 'pg', connection: { env: 'O11_URL' } },
    notes: ['An O11 database copied to PostgreSQL: O11_URL is postgres://user:password@host:5432/database.'],
    env: 'a postgres:// URL of the O11 database',
  },
  mssql: {
    source: { kind: 'o11-sql', client: 'mssql', connection: { env: 'O11_URL' } },
    notes: [
      'O11 on SQL Server (needs `npm install mssql tedious`). O11_URL is a URL',
      '(mssql://user:password@host:1433/database?encrypt=true) or the ADO.NET string O11 administrators',
      'hold (Server=host;Database=...;User Id=...;Password=...). Add isolation: "snapshot" to read each',
      'table in one snapshot while O11 is live (`ferry assess` says whether the database allows it).',
    ],
    env: 'a mssql:// URL or an ADO.NET connection string of the O11 database',
  },
  sqlite: {
    source: { kind: 'o11-sql', client: 'better-sqlite3', filename: 'o11.sqlite' },
    notes: ['An O11 database copied to a SQLite file, relative to this config file.'],
  },
};

/** The starter config for a source and target kind. */
export function starterConfig(sourceKind: InitSource, targetKind: InitTarget): StarterConfig {
  const source = SOURCES[sourceKind];
  const kind = kinds.targets.find((k) => k.kind === targetKind);
  const target = kind?.starter;
  if (kind === undefined || target === undefined)
    throw new TypeError(`no starter for target kind "${targetKind}"`);
  // A target that is a PostgreSQL database keeps the checkpoints with the rows.
  const onPostgres = kind.pool !== undefined;
  const config: FerryConfig = {
    runId: 'migration',
    source: source.source,
    target: target.config as FerryConfig['target'],
    state: onPostgres ? { kind: 'postgres' } : { kind: 'file', dir: '.ferry/state' },
    users: { unmatched: 'empty-guid' },
  };
  const env = [
    ...(source.env === undefined ? [] : [{ name: 'O11_URL', holds: source.env }]),
    ...(target.env === undefined ? [] : [{ name: target.env[0], holds: target.env[1] }]),
  ];
  return { config, notes: notes(source.notes, target.notes, onPostgres), extras: EXTRAS, env };
}

function notes(
  source: readonly string[],
  target: readonly string[],
  onPostgres: boolean,
): Record<string, string[]> {
  return {
    '/runId': ['The run id: running again with the same id resumes; a new id starts over.'],
    '/source': ['Where O11 data is read.', ...source],
    '/target': ['Where the mapped rows go.', ...target],
    '/state': onPostgres
      ? ['Checkpoints in the target database (schema ferry), committed with the rows.']
      : ['Checkpoints (and ids the target assigns) in files under this folder.'],
    '/users': [
      'O11 user references: matched to ODC users by e-mail from `ferry users --apply` or odcUsersFile;',
      'unmatched ones become the empty GUID (the Migration Kit\'s choice; or "null", "reject", "fail").',
    ],
  };
}

const EXTRAS: Record<string, string[]> = {
  '/source': ["modules: ['Sales'], // only these O11 modules (default: every module)"],
  '/users': [
    "odcUsersFile: 'odc-users.json', // ODC users: a JSON array or NDJSON of { id, email, username }",
  ],
  '': [
    '// `ferry discover` writes ferry.mapping.json (a mapping to edit); name it here to use it,',
    '// else the mapping is generated from the O11 catalog at every command:',
    "mapping: 'ferry.mapping.json',",
    "entities: ['Sales.Order'], // only these entities (mapping names)",
    'batchSize: 1000, // rows per source page',
    'commitEvery: 50000, // source rows per target transaction',
    'concurrency: 2, // entities at once',
  ],
};
