// What `ferry assess` says about consistent reads on SQL Server: whether the database allows
// SNAPSHOT transactions (needed by `source.isolation: "snapshot"`) and whether READ_COMMITTED_SNAPSHOT
// is on. Read from sys.databases, which every login may query for its own database.

import type { Knex } from 'knex';

/** The sys.databases row of the current database. */
export const SNAPSHOT_STATE_SQL =
  'SELECT snapshot_isolation_state_desc AS snapshot, is_read_committed_snapshot_on AS rcsi ' +
  'FROM sys.databases WHERE name = DB_NAME()';

/** The note for a sys.databases row (`snapshot` is ON, OFF, IN_TRANSITION_TO_ON...). */
export function snapshotNote(row: { snapshot?: unknown; rcsi?: unknown } | undefined): string {
  if (row === undefined) return 'SQL Server: the snapshot isolation settings could not be read';
  const allowed = row.snapshot === 'ON';
  const rcsi = row.rcsi === true || row.rcsi === 1;
  return (
    `SQL Server: ALLOW_SNAPSHOT_ISOLATION is ${String(row.snapshot)}` +
    (allowed
      ? ' (source.isolation "snapshot" reads each table consistently)'
      : ' (source.isolation "snapshot" is not available: read a database snapshot or a restored copy, or freeze and use diff/sync)') +
    `; READ_COMMITTED_SNAPSHOT is ${rcsi ? 'ON' : 'OFF'}`
  );
}

/** Reads the settings and returns the note; a failure to read them is itself the note. */
export async function readSnapshotNote(knex: Knex): Promise<string> {
  try {
    const rows: { snapshot?: unknown; rcsi?: unknown }[] = await knex.raw(SNAPSHOT_STATE_SQL);
    return snapshotNote(rows[0]);
  } catch {
    return snapshotNote(undefined);
  }
}
