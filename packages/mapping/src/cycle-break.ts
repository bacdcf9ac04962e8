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

/**
 * Sets of optional edges tried at most, smallest sets first: the search is exact unless a component
 * has many optional edges and no small set breaks it (e.g. 40 edges and no break of 4); a greedy
 * minimal set (no edge of it can be put back) is taken then.
 */
export const CYCLE_SEARCH_BUDGET = 20_000;

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
 * The smallest set of optional edges (fewest attributes) whose removal leaves the component acyclic
 * (exact within {@link CYCLE_SEARCH_BUDGET} sets tried, else a greedy minimal set), or the cycle of
 * mandatory references that no such set breaks.
 */
export function breakCycle(edges: readonly CycleEdge[]): CycleBreak {
  const fixed = edges.filter((e) => e.mandatory);
  const optional = edges.filter((e) => !e.mandatory);
  const mandatoryCycle = findEdgeCycle(fixed);
  if (mandatoryCycle !== undefined) return { ok: false, mandatoryCycle };
  const acyclicWithout = (removed: ReadonlySet<CycleEdge>): boolean =>
    findEdgeCycle(edges.filter((e) => !removed.has(e))) === undefined;
  // Sets of 0, 1, 2... edges; a set lighter than the best found has fewer edges than its weight.
  let best: CycleEdge[] | undefined;
  let tried = 0;
  for (let size = 0; size <= optional.length && (best === undefined || size < weight(best)); size++) {
    for (const picked of combinations(optional.length, size)) {
      if ((tried += 1) > CYCLE_SEARCH_BUDGET) return { ok: true, deferred: lighter(best, greedy()) };
      const removed = picked.map((i) => optional[i]!);
      if ((best === undefined || weight(removed) < weight(best)) && acyclicWithout(new Set(removed)))
        best = removed;
    }
  }
  return { ok: true, deferred: best ?? optional };

  // Start with every optional edge deferred and put back each one that creates no cycle.
  function greedy(): CycleEdge[] {
    const removed = new Set(optional);
    for (const edge of [...optional].sort((a, b) => b.attributes.length - a.attributes.length)) {
      removed.delete(edge);
      if (!acyclicWithout(removed)) removed.add(edge);
    }
    return optional.filter((e) => removed.has(e));
  }
}

const lighter = (a: CycleEdge[] | undefined, b: CycleEdge[]): CycleEdge[] =>
  a !== undefined && weight(a) <= weight(b) ? a : b;

/** Every set of `size` indices below `n`, in lexicographic order. */
function* combinations(n: number, size: number): Generator<number[]> {
  const picked = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    yield [...picked];
    let i = size - 1;
    while (i >= 0 && picked[i] === n - size + i) i--;
    if (i < 0) return;
    picked[i]! += 1;
    for (let j = i + 1; j < size; j++) picked[j] = picked[j - 1]! + 1;
  }
}
