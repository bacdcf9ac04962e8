// `ferry report`: one self-contained HTML page of a run from the files the run and `ferry verify`
// left beside the config (run report, reject file, recorded verification). It opens no database, so
// it works after the target is gone (the demo's) and on a machine that only has the files.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FerryError } from '@ferry/core';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { renderHtmlReport } from '../report/html-report.js';
import { summariseRejects } from '../report/reject-summary.js';
import { runFiles } from '../report/run-files.js';
import { readPreviousReport } from '../report/run-record.js';
import type { RunReport } from '../report/run-report.js';
import { readVerify } from '../report/verify-record.js';

/** Options of `ferry report`. */
export interface ReportOptions {
  /** Run id; default the config's. */
  readonly run?: string;
  /** The HTML file; default `<report folder>/<runId>.report.html`. */
  readonly out?: string;
}

/** `ferry report`. */
export const reportCommand: CommandHandler<ReportOptions> = async (context, options) => {
  const session = await context.session();
  const runId = options.run ?? session.runId;
  const files = runFiles(session, runId);
  const report = await readPreviousReport<RunReport>(files.report, runId);
  if (report === undefined || report.entities === undefined) {
    throw new FerryError(`no run report of run ${runId} in ${files.report}: run \`ferry run\` first`, {
      code: 'FERRY_REPORT_MISSING',
      reason: 'not-found',
      operation: 'report',
    });
  }
  const verify = await readVerify(files.verify, runId);
  const page = renderHtmlReport({
    report,
    rejects: await summariseRejects(report.rejectsFile ?? files.rejects),
    ...(verify === undefined ? {} : { verify }),
    generatedAt: new Date().toISOString(),
  });
  const out = options.out === undefined ? files.html : resolve(context.cwd, options.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, page);
  context.out.json({ command: 'report', runId, file: out });
  context.out.line(`Wrote ${out} (run ${runId}, ${report.entities.length} entities).`);
  return ExitCode.ok;
};
