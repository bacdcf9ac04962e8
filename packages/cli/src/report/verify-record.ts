// What `ferry verify` keeps of its result, so `ferry report` can show it later without a database:
// per entity the verdict and the row counts (no checksums' inputs, no keys, no values), written
// atomically beside the run report.

import { readFile } from 'node:fs/promises';
import type { VerifyReport } from '@ferry/adapters/migration';
import { replaceReport } from './run-record.js';

/** One recorded verification of a run. */
export interface VerifyRecord {
  readonly runId: string;
  /** When `ferry verify` finished (ISO 8601). */
  readonly verifiedAt: string;
  readonly ok: boolean;
  readonly entities: readonly {
    readonly entity: string;
    /** `schema.table` of the target. */
    readonly table: string;
    readonly ok: boolean;
    /** Mapped source rows (rejected and filtered ones excluded). */
    readonly sourceRows: number;
    readonly targetRows: number;
  }[];
}

/** Writes the verification of `runId` to `path` (replacing an earlier one). */
export async function recordVerify(path: string, runId: string, report: VerifyReport): Promise<void> {
  const record: VerifyRecord = {
    runId,
    verifiedAt: new Date().toISOString(),
    ok: report.ok,
    entities: report.entities.map((e) => ({
      entity: e.entity,
      table: e.table,
      ok: e.ok,
      sourceRows: e.source.rows,
      targetRows: e.target.rows,
    })),
  };
  await replaceReport(path, record);
}

/** The recorded verification of `runId`, or undefined when there is none (or it is of another run). */
export async function readVerify(path: string, runId: string): Promise<VerifyRecord | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const record = JSON.parse(text) as VerifyRecord;
  return record.runId === runId ? record : undefined;
}
