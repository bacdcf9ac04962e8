// The reference graph between mapped entities. Tarjan's algorithm finds the strongly connected
// components: a cycle (a self reference, or A → B → C → A) cannot be loaded in one pass, so the
// smallest set of its optional references loads as NULL first and is set by a second pass after the
// whole cycle; its mandatory references load in pass 1, in dependency order inside the cycle.

import { FerryError } from '@ferry/core';
import { breakCycle, type CycleEdge } from './cycle-break.js';
import { entityName, mappedAttributes } from './spec-names.js';
import type { MappingSpec } from './spec-types.js';

/** Dependencies between the entities of a mapping. */
export interface EntityGraph {
  /** Entity → the mapped entities whose pass 1 it waits for (all but its deferred references). */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
  /** Components with a cycle (more than one entity, or one that references itself), each sorted. */
  readonly cycles: readonly (readonly string[])[];
  /** Entity → its optional references that break its cycle: NULL in pass 1, set in pass 2. */
  readonly deferred: ReadonlyMap<string, ReadonlySet<string>>;
  /** Entity → the members of its cycle (only for entities in one). */
  readonly cycleOf: ReadonlyMap<string, readonly string[]>;
}

interface Reference {
  readonly attribute: string;
  readonly mandatory: boolean;
}

function edgesOf(spec: MappingSpec): Map<string, Map<string, Reference[]>> {
  const names = new Set(spec.entities.map(entityName));
  const edges = new Map<string, Map<string, Reference[]>>();
  for (const entity of spec.entities) {
    const out = new Map<string, Reference[]>();
    for (const [attribute, spec] of mappedAttributes(entity)) {
      const reference = spec.reference;
      if (reference === undefined || reference.kind === 'user' || !names.has(reference.entity)) continue;
      const entry = { attribute, mandatory: spec.mandatory === true };
      out.set(reference.entity, [...(out.get(reference.entity) ?? []), entry]);
    }
    edges.set(entityName(entity), out);
  }
  return edges;
}

function cycleEdges(cycle: readonly string[], edges: Map<string, Map<string, Reference[]>>): CycleEdge[] {
  const result: CycleEdge[] = [];
  for (const from of cycle) {
    for (const [to, references] of edges.get(from) ?? []) {
      if (!cycle.includes(to)) continue;
      const attributes = references.map((r) => r.attribute);
      result.push({ from, to, attributes, mandatory: references.some((r) => r.mandatory) });
    }
  }
  return result;
}

/** The error for a cycle of mandatory references: it names each reference and what to change. */
export function mandatoryCycleError(cycle: readonly CycleEdge[]): FerryError {
  const path = cycle.map((e) => `${e.from}.${e.attributes.join('/')} → ${e.to}`).join(', ');
  return new FerryError(
    `the mandatory references ${path} form a cycle: no row of it can be written first with every ` +
      'mandatory reference set. Make one of these attributes optional in the mapping ' +
      '("mandatory": false: it loads NULL, then a second pass sets it; the target column must allow ' +
      'NULL) or exclude it',
    { code: 'FERRY_MANDATORY_CYCLE', reason: 'invalid-config', entity: cycle[0]?.from, operation: 'plan' },
  );
}

/** Tarjan's strongly connected components, iterative-free but bounded by entity count (thousands). */
function components(nodes: readonly string[], edges: Map<string, Map<string, unknown>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      result.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return result;
}

/**
 * Builds the dependency graph of a (valid) mapping. Throws a {@link FerryError} (`invalid-config`,
 * `FERRY_MANDATORY_CYCLE`) when mandatory references alone form a cycle.
 */
export function buildEntityGraph(spec: MappingSpec): EntityGraph {
  const edges = edgesOf(spec);
  const nodes = spec.entities.map(entityName);
  const cycles: string[][] = [];
  for (const component of components(nodes, edges)) {
    const only = component[0]!;
    if (component.length > 1 || edges.get(only)?.has(only) === true) cycles.push(component);
  }
  const cycleOf = new Map<string, readonly string[]>();
  const deferredEdges = new Set<string>();
  for (const cycle of cycles) {
    for (const member of cycle) cycleOf.set(member, cycle);
    const broken = breakCycle(cycleEdges(cycle, edges));
    if (!broken.ok) throw mandatoryCycleError(broken.mandatoryCycle);
    for (const edge of broken.deferred) deferredEdges.add(`${edge.from}\u0000${edge.to}`);
  }
  const dependsOn = new Map<string, readonly string[]>();
  const deferred = new Map<string, ReadonlySet<string>>();
  for (const node of nodes) {
    const later = new Set<string>();
    const first: string[] = [];
    for (const [target, references] of edges.get(node) ?? []) {
      if (deferredEdges.has(`${node}\u0000${target}`)) references.forEach((r) => later.add(r.attribute));
      else first.push(target);
    }
    dependsOn.set(node, first.sort());
    if (later.size > 0) deferred.set(node, later);
  }
  return { dependsOn, cycles, deferred, cycleOf };
}
