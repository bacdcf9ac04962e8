// The reference graph between mapped entities. Tarjan's algorithm finds the strongly connected
// components: a reference inside one (a self reference, or a cycle A → B → C → A) cannot be loaded in
// one pass, so it loads as NULL first and is set by a deferred second pass after the whole cycle.

import { entityName, mappedAttributes } from './spec-names.js';
import type { MappingSpec } from './spec-types.js';

/** Dependencies between the entities of a mapping. */
export interface EntityGraph {
  /** Entity → the mapped entities it references (outside its own cycle): they load first. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
  /** Components with a cycle (more than one entity, or one that references itself), each sorted. */
  readonly cycles: readonly (readonly string[])[];
  /** Entity → its attributes that reference into its own cycle: NULL in pass 1, set in pass 2. */
  readonly deferred: ReadonlyMap<string, ReadonlySet<string>>;
  /** Entity → the members of its cycle (only for entities in one). */
  readonly cycleOf: ReadonlyMap<string, readonly string[]>;
}

function edgesOf(spec: MappingSpec): Map<string, Map<string, string[]>> {
  const names = new Set(spec.entities.map(entityName));
  const edges = new Map<string, Map<string, string[]>>();
  for (const entity of spec.entities) {
    const out = new Map<string, string[]>();
    for (const [attribute, spec] of mappedAttributes(entity)) {
      const reference = spec.reference;
      if (reference === undefined || reference.kind === 'user' || !names.has(reference.entity)) continue;
      out.set(reference.entity, [...(out.get(reference.entity) ?? []), attribute]);
    }
    edges.set(entityName(entity), out);
  }
  return edges;
}

/** Tarjan's strongly connected components, iterative-free but bounded by entity count (thousands). */
function components(nodes: readonly string[], edges: Map<string, Map<string, string[]>>): string[][] {
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

/** Builds the dependency graph of a (valid) mapping. */
export function buildEntityGraph(spec: MappingSpec): EntityGraph {
  const edges = edgesOf(spec);
  const nodes = spec.entities.map(entityName);
  const componentOf = new Map<string, readonly string[]>();
  const cycles: string[][] = [];
  for (const component of components(nodes, edges)) {
    for (const member of component) componentOf.set(member, component);
    const only = component[0]!;
    if (component.length > 1 || edges.get(only)?.has(only) === true) cycles.push(component);
  }
  const dependsOn = new Map<string, readonly string[]>();
  const deferred = new Map<string, ReadonlySet<string>>();
  const cycleOf = new Map<string, readonly string[]>();
  for (const cycle of cycles) for (const member of cycle) cycleOf.set(member, cycle);
  for (const node of nodes) {
    const own = componentOf.get(node) ?? [node];
    const inside = new Set<string>();
    const outside: string[] = [];
    for (const [target, attributes] of edges.get(node) ?? []) {
      if (own.includes(target) && cycleOf.has(node)) attributes.forEach((a) => inside.add(a));
      else outside.push(target);
    }
    dependsOn.set(node, outside.sort());
    if (inside.size > 0) deferred.set(node, inside);
  }
  return { dependsOn, cycles, deferred, cycleOf };
}
