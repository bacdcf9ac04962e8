// The shape of a benchmark case: prepare a fresh target (not timed), execute the load (timed), and say
// where the rows landed so the harness can verify them against the source.

import type pg from 'pg';
import type { BenchConnections, BenchOptions, CaseName } from '../bench-config.js';
import type { VerifyTarget } from '../load-verify.js';

/** Everything a case needs to run once. */
export interface CaseContext {
  readonly options: BenchOptions;
  readonly connections: BenchConnections;
  /** Rows in the source. */
  readonly rows: number;
  /** MariaDB database of this size. */
  readonly sourceDatabase: string;
  /** The COPY text export of the source (for `\copy`). */
  readonly exportFile: string | undefined;
  /** An admin connection to the benchmark database on PostgreSQL. */
  readonly pg: pg.Client;
  readonly round: number;
}

/** What the load itself reported. */
export interface CaseOutcome {
  /** Rows this load wrote (for the resume case, only the resumed part). */
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssKb: number;
  readonly cpuProcessS: number;
  /** Set when the load failed (exit code, timeout, heap exhaustion): a result, not a crash. */
  readonly error?: string;
  readonly details?: Record<string, unknown>;
}

/** One case of the benchmark. */
export interface BenchCase {
  readonly name: CaseName;
  /** One line saying what it is, for the table and README. */
  readonly description: string;
  prepare(context: CaseContext): Promise<void>;
  execute(context: CaseContext): Promise<CaseOutcome>;
  target(context: CaseContext): VerifyTarget;
}
