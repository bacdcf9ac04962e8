// Where a run's files live, in one place for `run`, `verify` and `report`: the JSON report, the reject
// file, the recorded verification and the HTML page, all beside the config unless it names others.

import { dirname, join } from 'node:path';
import type { CliSession } from '../session/cli-session.js';

/** Absolute paths of one run's files. */
export interface RunFiles {
  /** The JSON run report (`report` in the config, default `.ferry/<runId>.report.json`). */
  readonly report: string;
  /** Rejected rows, NDJSON (`rejects.file`, default `.ferry/<runId>.rejects.ndjson`). */
  readonly rejects: string;
  /** The last `ferry verify` of the run, beside the report: `<runId>.verify.json`. */
  readonly verify: string;
  /** The default page of `ferry report`, beside the report: `<runId>.report.html`. */
  readonly html: string;
}

/** The files of run `runId` of the session's config. */
export function runFiles(session: CliSession, runId: string): RunFiles {
  const { config } = session.loaded;
  const report = session.path(config.report ?? `.ferry/${runId}.report.json`);
  return {
    report,
    rejects: session.path(config.rejects?.file ?? `.ferry/${runId}.rejects.ndjson`),
    verify: join(dirname(report), `${runId}.verify.json`),
    html: join(dirname(report), `${runId}.report.html`),
  };
}
