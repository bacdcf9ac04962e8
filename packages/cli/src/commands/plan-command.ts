// `ferry plan`: what `run` would do, writing nothing: entities in dependency order, deferred passes
// for cycles, target tables (or files, or ODC entities) and source row estimates (table statistics where
// the engine keeps them; none for JSON files). User references without a users source, and references
// ambiguous among entities whose identifier types differ, are listed as findings after the plan
// (exit 3), as `check` lists them and `run` refuses on them.

import type { Row, Sink, Source } from '@ferry/core';
import { MemoryIdMapStore, orderPlan } from '@ferry/core';
import { o11KnexSource } from '@ferry/adapters/o11';
import { UserMap, planFromMapping, staticMapsFromCatalog } from '@ferry/mapping';
import type { CompiledEntity, StaticRecordMap } from '@ferry/mapping';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { formatCount, textTable } from '../output/text-table.js';
import type { CliSession } from '../session/cli-session.js';
import { ambiguousReferences } from '../check/ambiguous-reference.js';
import { printFindings } from '../check/check-findings.js';
import { userSourceFindings } from '../check/user-source.js';

/** Options of `ferry plan`. */
export interface PlanOptions {
  readonly entity?: readonly string[];
}

/** One step of the printed plan. */
export interface PlanStep {
  readonly step: number;
  readonly entity: string;
  readonly pass: number;
  readonly dependsOn: readonly string[];
  readonly target: string;
  readonly estimatedRows: number | undefined;
}

// Placeholders: the plan is only ordered, never run, so nothing is read or written.
const idle = (name: string): Source<Row> & Sink<Row> => ({
  name,
  read: () => ({
    [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }),
  }),
  write: () => Promise.resolve(),
  close: () => Promise.resolve(),
});

/** Prints the ordered plan. */
export const planCommand: CommandHandler<PlanOptions> = async (context, options) => {
  const session = await context.session();
  const compiled = await session.compiled();
  const entities = await session.entityNames(options.entity);
  // The stages are built (they check their services) but never run: an empty user map will do.
  const catalog = session.hasCatalog ? await session.catalog() : undefined;
  const runtime = {
    users: UserMap.build([], []),
    statics: catalog === undefined ? new Map<string, StaticRecordMap>() : staticMapsFromCatalog(catalog),
    idMap: new MemoryIdMapStore(),
  };
  const plan = planFromMapping(compiled, {
    source: (e) => idle(e.name),
    sink: (e) => idle(e.name),
    entities,
    runtime,
  });
  const target = session.loaded.config.target;
  const kind = session.targetKind;
  // What `run` would refuse (cycles into files or ODC), `plan` refuses too.
  kind.refuse?.(
    target,
    compiled.entities.filter((e) => entities.includes(e.name)),
  );
  const ordered = orderPlan(plan);
  const estimates = await estimateRows(
    session.sourceKind.database === undefined ? undefined : session,
    compiled.entities,
  );
  const steps: PlanStep[] = ordered.map((pipeline, index) => {
    const entity = compiled.entities.find(
      (e) => pipeline.entity === e.name || pipeline.entity.startsWith(`${e.name}#`),
    )!;
    return {
      step: index + 1,
      entity: pipeline.entity,
      pass: pipeline.pass ?? 1,
      dependsOn: pipeline.dependsOn ?? [],
      target: kind.label(target, entity),
      estimatedRows: estimates.get(entity.name),
    };
  });
  const chosen = compiled.entities.filter((e) => entities.includes(e.name));
  const findings = [
    ...(catalog === undefined ? [] : ambiguousReferences(chosen, catalog)),
    ...(await userSourceFindings(session, chosen, compiled.spec)),
  ];
  const { out } = context;
  out.json({ command: 'plan', runId: session.runId, steps, findings });
  out.line(`Plan for run ${session.runId} (${steps.length} step(s); nothing is written):`);
  out.line(
    textTable(
      ['#', 'entity', 'pass', 'after', 'target', 'rows (est.)'],
      steps.map((s) => [
        s.step,
        s.entity,
        s.pass,
        s.dependsOn.join(', ') || '-',
        s.target,
        s.estimatedRows === undefined ? '?' : formatCount(s.estimatedRows),
      ]),
      new Set([0, 2, 5]),
    ),
  );
  if (findings.length === 0) return ExitCode.ok;
  printFindings(out, findings);
  return ExitCode.findings;
};

async function estimateRows(
  session: CliSession | undefined,
  entities: readonly CompiledEntity[],
): Promise<Map<string, number | undefined>> {
  const estimates = new Map<string, number | undefined>();
  if (session === undefined) return estimates;
  const [catalog, db] = await Promise.all([session.catalog(), session.source()]);
  for (const entity of entities) {
    const source = entity.spec.source;
    const o11 =
      'module' in source
        ? catalog.entities.find((e) => e.module === source.module && e.name === source.entity)
        : undefined;
    if (o11 === undefined) continue;
    const key = entity.key.map((k) => k.column);
    estimates.set(entity.name, await o11KnexSource(db, o11, { key }).count?.({}));
  }
  return estimates;
}
