// JSON export files → an ODC app's REST endpoint, through Ferry's library API: one streaming source
// per file, Order's CustomerId remapped to the ids ODC issued for customers, resumable from a file
// checkpoint store and a JSON Lines id map. Run: `node --conditions=source --import tsx migrate.ts`.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileCheckpointStore, run } from '@ferry/core';
import type { Plan, RunResult } from '@ferry/core';
import { jsonEntitySource } from '@ferry/adapters/json';
import { JsonlIdMapStore, odcAuthFromEnv, odcRestSink, remapReferences } from '@ferry/adapters/http';
import type { OdcAuth } from '@ferry/adapters/http';

/** Options of {@link migrateJsonToOdc}. */
export interface JsonToOdcOptions {
  /** Folder with `Customer.json` (array) and `Order.ndjson`. */
  readonly dataDir: string;
  /** The ODC app's REST base URL, e.g. `https://<tenant>.outsystems.app/MyApp/rest/FerryImport`. */
  readonly baseUrl: string;
  /** Where checkpoints and the id map live between runs. */
  readonly stateDir: string;
  readonly auth?: OdcAuth;
  readonly runId?: string;
  readonly signal?: AbortSignal;
}

/** Builds the plan: Customer first, then Order with CustomerId on ODC's customer ids. */
function plan(options: JsonToOdcOptions, idMap: JsonlIdMapStore): Plan {
  const sink = (entity: string) =>
    odcRestSink({
      baseUrl: options.baseUrl,
      entity,
      idMap,
      ...(options.auth === undefined ? {} : { auth: options.auth }),
    });
  return {
    entities: [
      {
        entity: 'Customer',
        source: jsonEntitySource({ dir: options.dataDir, entity: 'Customer' }),
        sink: sink('Customer'),
      },
      {
        entity: 'Order',
        dependsOn: ['Customer'],
        source: jsonEntitySource({ dir: options.dataDir, entity: 'Order' }),
        stages: [remapReferences({ idMap, attributes: { CustomerId: 'Customer' } })],
        sink: sink('Order'),
      },
    ],
  };
}

/** Runs (or resumes) the migration; the same `runId` and `stateDir` continue an interrupted run. */
export async function migrateJsonToOdc(options: JsonToOdcOptions): Promise<RunResult> {
  const idMap = await JsonlIdMapStore.open(join(options.stateDir, 'ids.jsonl'));
  try {
    return await run(plan(options, idMap), {
      runId: options.runId ?? 'json-to-odc',
      checkpoints: new FileCheckpointStore(join(options.stateDir, 'checkpoints')),
      batchSize: 500,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } finally {
    await idMap.close();
  }
}

// Command line: ODC_BASE_URL, FERRY_ODC_TOKEN (or FERRY_ODC_API_KEY_HEADER + FERRY_ODC_API_KEY).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const baseUrl = process.env.ODC_BASE_URL;
  if (baseUrl === undefined) throw new Error("set ODC_BASE_URL to the app's REST base URL");
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const result = await migrateJsonToOdc({
    dataDir: process.env.DATA_DIR ?? join(import.meta.dirname, 'data'),
    baseUrl,
    stateDir: process.env.STATE_DIR ?? '.ferry/json-to-odc',
    auth: odcAuthFromEnv(),
    signal: controller.signal,
  });
  for (const e of result.entities)
    console.log(`${e.entity}: ${e.status}, ${e.rowsWritten} written, ${e.rowsRejected} rejected`);
  process.exitCode = result.status === 'completed' || result.status === 'already-completed' ? 0 : 1;
}
