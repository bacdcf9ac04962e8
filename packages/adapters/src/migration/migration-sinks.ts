// The PostgreSQL sinks of a migration: pass 1 loads rows (COPY, upsert or INSERT), pass 2 sets the
// cyclic references by key. A PostgresCheckpointStore on the target pool is wired into both, so rows
// and checkpoint commit in one transaction; COPY and INSERT are refused without it, because a resumed
// run would then re-write rows that committed after the last saved checkpoint.

import { FerryError } from '@ferry/core';
import type { CheckpointStore, Row, Sink } from '@ferry/core';
import type { CompiledEntity } from '@ferry/mapping';
import { PostgresCheckpointStore } from '../postgres/postgres-checkpoint-store.js';
import { postgresSink } from '../postgres/postgres-sink.js';
import { postgresUpdateSink } from '../postgres/postgres-update-sink.js';
import type { MigrationTarget } from './migration-options.js';

/** The checkpoint store to commit inside the sinks' transactions, if the given one can be. */
export function sameTransactionStore(
  target: MigrationTarget,
  checkpoints: CheckpointStore | undefined,
): PostgresCheckpointStore | undefined {
  const mode = target.mode ?? 'copy';
  if (checkpoints instanceof PostgresCheckpointStore && checkpoints.pool === target.pool) return checkpoints;
  if (mode === 'upsert') return undefined;
  throw new FerryError(
    `target mode "${mode}" needs the PostgresCheckpointStore on the target pool (rows and checkpoint in one transaction): pass it as checkpoints, or use mode "upsert" with another store`,
    { code: 'FERRY_MIGRATION_CHECKPOINTS', reason: 'invalid-config' },
  );
}

/** The sink of an entity's pass. */
export function migrationSink(
  target: MigrationTarget,
  store: PostgresCheckpointStore | undefined,
  entity: CompiledEntity,
  pass: 1 | 2,
): Sink<Row> {
  const checkpoints = store === undefined ? {} : { checkpoints: store };
  if (pass === 2) {
    return postgresUpdateSink({
      pool: target.pool,
      table: entity.table,
      columns: entity.deferred.map((attribute) => attribute.target),
      ...checkpoints,
    });
  }
  return postgresSink({
    pool: target.pool,
    table: entity.table,
    mode: target.mode ?? 'copy',
    ...checkpoints,
  });
}
