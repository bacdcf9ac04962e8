// Plan validation and dependency order. A plan is refused before anything runs when names repeat, a
// dependency is unknown or dependencies form a cycle; the cycle message names every entity in it, so
// the mapping can break it with a deferred pass.

import { FerryError } from '../errors.js';
import type { EntityPipeline, Plan } from '../plan.js';

/**
 * Validate a plan and return its entities in dependency order (stable: plan order where free).
 * Throws a {@link FerryError} with reason `invalid-config` on duplicate names, unknown dependencies,
 * bad batch settings or cycles.
 */
export function orderPlan(plan: Plan): readonly EntityPipeline[] {
  const byName = new Map<string, EntityPipeline>();
  for (const pipeline of plan.entities) {
    if (pipeline.entity.length === 0) throw invalid('an entity pipeline has an empty name');
    if (byName.has(pipeline.entity)) throw invalid(`entity "${pipeline.entity}" appears twice in the plan`);
    byName.set(pipeline.entity, pipeline);
    checkPositive(pipeline, 'batchSize', pipeline.batchSize);
    checkPositive(pipeline, 'maxInFlight', pipeline.maxInFlight);
  }
  for (const pipeline of plan.entities) {
    for (const dep of pipeline.dependsOn ?? []) {
      if (!byName.has(dep)) {
        throw invalid(`entity "${pipeline.entity}" depends on "${dep}", which is not in the plan`);
      }
    }
  }
  const cycles = findCycles(plan.entities);
  if (cycles.length > 0) {
    const text = cycles.map((cycle) => cycle.map((name) => `"${name}"`).join(' -> ')).join('; ');
    throw invalid(
      `the plan's dependencies form a cycle: ${text}. Break it with a deferred pass ` +
        '(load the rows with the cyclic references NULL, then a second pipeline that sets them)',
    );
  }
  return topologicalOrder(plan.entities);
}

function topologicalOrder(entities: readonly EntityPipeline[]): EntityPipeline[] {
  const done = new Set<string>();
  const order: EntityPipeline[] = [];
  while (order.length < entities.length) {
    for (const pipeline of entities) {
      if (done.has(pipeline.entity)) continue;
      if ((pipeline.dependsOn ?? []).every((dep) => done.has(dep))) {
        done.add(pipeline.entity);
        order.push(pipeline);
      }
    }
  }
  return order;
}

/** Strongly connected components with more than one entity, or one that depends on itself (Tarjan). */
function findCycles(entities: readonly EntityPipeline[]): string[][] {
  const deps = new Map(entities.map((p) => [p.entity, p.dependsOn ?? []] as const));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (name: string): void => {
    index.set(name, counter);
    low.set(name, counter);
    counter += 1;
    stack.push(name);
    onStack.add(name);
    for (const dep of deps.get(name) ?? []) {
      if (!index.has(dep)) {
        visit(dep);
        low.set(name, Math.min(low.get(name)!, low.get(dep)!));
      } else if (onStack.has(dep)) {
        low.set(name, Math.min(low.get(name)!, index.get(dep)!));
      }
    }
    if (low.get(name) !== index.get(name)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== name);
    if (component.length > 1 || (deps.get(name) ?? []).includes(name)) cycles.push(component.reverse());
  };
  for (const pipeline of entities) if (!index.has(pipeline.entity)) visit(pipeline.entity);
  return cycles;
}

function checkPositive(pipeline: EntityPipeline, field: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw invalid(`entity "${pipeline.entity}": ${field} must be an integer >= 1`);
  }
}

function invalid(message: string): FerryError {
  return new FerryError(message, { code: 'FERRY_PLAN_INVALID', reason: 'invalid-config', operation: 'plan' });
}
