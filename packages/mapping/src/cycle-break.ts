// Breaking a reference cycle: the references set in a second pass (NULL first) must be optional ones,
// because a mandatory reference is NOT NULL on an ODC target. Among the optional references of a
// cycle, the smallest set whose removal leaves no cycle is deferred; the rest load in dependency order.

/** One edge of a cycle: `from` references `to` through these attributes. */
export interface CycleEdge {
  readonly from: string;
  readonly to: string;
  readonly attributes: readonly string[];
  /** True when at least one of the attributes is mandatory: the edge can never be deferred. */
  readonly mandatory: boolean;
}

/** How one strongly connected component is broken. */
export type CycleBreak =
  | { readonly ok: true; readonly deferred: readonly CycleEdge[] }
  | { readonly ok: false; readonly mandatoryCycle: readonly CycleEdge[] };

// Exact search over subsets up to this many optional edges (2^12 subsets); a greedy minimal set above.
const EXACT_LIMIT = 12;

/** A cycle among `edges` (as the edges walked), or undefined when they form none. */
export function findEdgeCycle(edges: readonly CycleEdge[]): CycleEdge[] | undefined {
  const out = new Map<string, CycleEdge[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const state = new Map<string, 'open' | 'done'>();
  const path: CycleEdge[] = [];
  const visit = (node: string): CycleEdge[] | undefined => {
    state.set(node, 'open');
    for (const edge of out.get(node) ?? []) {
      const seen = state.get(edge.to);
      if (seen === 'open') {
        const start = path.findIndex((e) => e.from === edge.to);
        return [...(start === -1 ? [] : path.slice(start)), edge];
      }
      if (seen === 'done') continue;
      path.push(edge);
      const found = visit(edge.to);
      if (found !== undefined) return found;
      path.pop();
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const edge of edges) {
    if (state.has(edge.from)) continue;
    const found = visit(edge.from);
    if (found !== undefined) return found;
  }
  return undefined;
}

const weight = (edges: readonly CycleEdge[]): number => edges.reduce((n, e) => n + e.attributes.length, 0);

/**
 * The smallest set of optional edges (fewest attributes) whose removal leaves the component acyclic,
 * or the cycle of mandatory references that no such set breaks.
 */
export function breakCycle(edges: readonly CycleEdge[]): CycleBreak {
  const fixed = edges.filter((e) => e.mandatory);
  const optional = edges.filter((e) => !e.mandatory);
  const mandatoryCycle = findEdgeCycle(fixed);
  if (mandatoryCycle !== undefined) return { ok: false, mandatoryCycle };
  const acyclicWithout = (removed: ReadonlySet<CycleEdge>): boolean =>
    findEdgeCycle(edges.filter((e) => !removed.has(e))) === undefined;
  if (optional.length <= EXACT_LIMIT) {
    let best: CycleEdge[] = optional;
    for (let mask = 0; mask < 1 << optional.length; mask++) {
      const removed = optional.filter((_, i) => (mask & (1 << i)) !== 0);
      if (weight(removed) < weight(best) && acyclicWithout(new Set(removed))) best = removed;
    }
    return { ok: true, deferred: best };
  }
  // Greedy: start with every optional edge deferred and put back each one that creates no cycle.
  const removed = new Set(optional);
  for (const edge of [...optional].sort((a, b) => b.attributes.length - a.attributes.length)) {
    removed.delete(edge);
    if (!acyclicWithout(removed)) removed.add(edge);
  }
  return { ok: true, deferred: optional.filter((e) => removed.has(e)) };
}
