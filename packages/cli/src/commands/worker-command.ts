// `ferry worker`: one of any number of processes, on any host with the same config and environment
// variables, that run a distributed run's jobs (`ferry run --distributed` sends them): each job is one
// pipeline (an entity, a key range of one, a second pass), run with the same runner, sinks and
// checkpoints as a local run. Exits 0 once the run is complete; 1 when jobs failed for good and
// nothing else is left; on Ctrl-C it rolls the job in hand back, gives it back to the queue, exits 4.

import { hostname } from 'node:os';
import { isFerryError, NdjsonFileRejectSink } from '@ferry/core';
import { unreachable } from '../connect/unreachable.js';
import type { WorkerEvent } from '@ferry/adapters/distributed';
import type { CommandHandler } from '../cli/command-context.js';
import type { CliOutput } from '../output/cli-output.js';
import { ExitCode } from '../output/exit-codes.js';
import { ProgressView } from '../report/progress-view.js';
import { runFiles } from '../report/run-files.js';
import { capYoungGeneration, letYoungGenerationGrow } from '../cli/young-generation.js';
import { distributedSettings, openRunQueue, processName } from '../session/distributed-session.js';
import { buildRunPlan } from '../session/run-plan.js';
import { sessionRunLock } from '../session/session-lock.js';
import { withHookStages } from './run-command.js';

const STATE_DATABASE = "state database (the target's PostgreSQL, which holds the jobs)";

/** Options of `ferry worker`. */
export interface WorkerCommandOptions {
  readonly run?: string;
}

/** Takes the run's jobs until the run is complete. */
export const workerCommand: CommandHandler<WorkerCommandOptions> = async (context, options) => {
  const session = await context.session();
  const { config, hooks } = session.loaded;
  const runId = options.run ?? session.runId;
  const { out } = context;
  const settings = await distributedSettings(session);
  const pool = await session.target();
  const name = processName('worker', hostname(), process.pid);
  const lock = await sessionRunLock(session, runId, { shared: true, applicationName: name });
  const rejects = new NdjsonFileRejectSink(runFiles(session, runId).rejects);
  const view = new ProgressView(out);
  try {
    const queue = await openRunQueue(session, runId, settings);
    try {
      const { workDistributed } = await import('@ferry/adapters/distributed');
      letYoungGenerationGrow();
      out.line(
        `${name}: run ${runId}, taking jobs (a job expires ${settings.expireSeconds} s after its worker's last heartbeat).`,
      );
      const result = await workDistributed({
        queue,
        pool,
        checkpoints: await session.checkpoints(),
        settings,
        signal: lock.lost === undefined ? context.signal : AbortSignal.any([context.signal, lock.lost]),
        plan: async (entities) => {
          const built = await buildRunPlan(session, entities ?? (await session.entityNames()), runId, 'none');
          return { plan: withHookStages(built.plan, hooks), close: () => built.close() };
        },
        run: {
          ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
          ...(config.batchBytes === undefined ? {} : { batchBytes: config.batchBytes }),
          ...(config.commitEvery === undefined ? {} : { commitEvery: config.commitEvery }),
          rejects,
          onEvent: (event) => {
            view.onEvent(event);
            capYoungGeneration();
          },
        },
        onJob: (event) => jobLine(out, event),
      }).catch((error: unknown) => {
        // Only the queue's own queries throw out of the loop: the state database stayed unreachable.
        throw isFerryError(error) ? error : unreachable(STATE_DATABASE, error);
      });
      view.stop();
      if (lock.lost?.aborted === true) throw lock.lost.reason;
      out.json({ command: 'worker', runId, worker: name, ...result });
      if (result.status === 'completed') {
        out.line(out.paint('green', `Run ${runId} is complete (this worker ran ${result.jobs} job(s)).`));
        return ExitCode.ok;
      }
      if (result.status === 'unreachable') {
        out.error(
          out.paint(
            'red',
            `${name}: stopped: three jobs in a row could not reach a database; the other workers take them.`,
          ),
        );
        if (result.error !== undefined) throw result.error;
        return ExitCode.unreachable;
      }
      if (result.status === 'aborted') {
        out.line(
          out.paint(
            'yellow',
            `Stopped: the job in hand (if any) was rolled back and given back to the queue.`,
          ),
        );
        return ExitCode.aborted;
      }
      for (const job of result.failed)
        out.error(
          out.paint(
            'red',
            `${job.pipeline}: ${job.error?.message ?? 'failed'} [${job.error?.code ?? 'FERRY_DISTRIBUTED_JOB'}]`,
          ),
        );
      out.error(
        `Run ${runId} cannot complete: the jobs above failed for good. Fix the cause, then \`ferry run --distributed\` offers them again.`,
      );
      return ExitCode.failed;
    } finally {
      await queue.close();
    }
  } finally {
    view.stop();
    await rejects.close?.();
    await lock.release();
  }
};

/** One line per job taken and ended; a failed job's error is the usual one line. */
function jobLine(out: CliOutput, event: WorkerEvent): void {
  const time = new Date().toISOString();
  if (event.type === 'job:start') out.note(`${time} job ${event.job.pipeline}: taken`);
  else if (event.type === 'job:end') {
    const { outcome, job } = event;
    if (outcome.status === 'completed') out.note(`${time} job ${job.pipeline}: completed`);
    else if (outcome.status === 'failed')
      out.error(
        out.paint(
          'red',
          `${time} job ${job.pipeline}: ${outcome.error.message} [${outcome.error.code}] (the job is retried)`,
        ),
      );
    else if (outcome.status === 'lost')
      out.note(`${time} job ${job.pipeline}: expired under this worker, left to the queue`);
    else out.note(`${time} job ${job.pipeline}: stopped, given back to the queue`);
  } else if (event.type === 'queue:error')
    out.error(`${time} ${unreachable(STATE_DATABASE, event.error).message} (trying again)`);
}
