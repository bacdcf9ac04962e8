// The child process of the kill-and-resume test: runs (or resumes) the sales migration against the fake
// ODC app at FERRY_TEST_ODC_URL with file-backed checkpoints and id map in FERRY_TEST_DIR, printing one
// line per durable batch so the parent knows when to SIGKILL it.

import { join } from 'node:path';
import { FileCheckpointStore, run } from '@ferry/core';
import { JsonlIdMapStore } from '@ferry/adapters/http';
import { salesData, salesPlan } from './sales-migration.js';
import { RESUME_SIZES } from './resume-sizes.js';

const url = process.env.FERRY_TEST_ODC_URL;
const dir = process.env.FERRY_TEST_DIR;
if (url === undefined || dir === undefined)
  throw new Error('FERRY_TEST_ODC_URL and FERRY_TEST_DIR are required');

const idMap = await JsonlIdMapStore.open(join(dir, 'ids.jsonl'));
const plan = salesPlan(salesData(...RESUME_SIZES), {
  baseUrl: url,
  idMap,
  batchSize: 20,
  delayMs: 15,
  sink: { maxRows: 10, retry: { retries: 8, minDelayMs: 5, maxDelayMs: 50 }, timeoutMs: 2000 },
});
const result = await run(plan, {
  runId: 'sales-resume',
  checkpoints: new FileCheckpointStore(join(dir, 'checkpoints')),
  maxInFlight: 3,
  onEvent: (event) => {
    if (event.type === 'batch:durable') process.stdout.write(`durable ${event.entity} ${event.sequence}\n`);
  },
});
await idMap.close();
process.stdout.write(`done ${result.status}\n`);
process.exitCode = result.status === 'completed' ? 0 : 1;
