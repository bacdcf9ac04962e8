// Counters the mapping keeps beside the run's own (rows read, written, rejected, filtered): references
// to deleted static records set to NULL, unmatched users, missing remapped ids. For the run report.

/** One counter: what happened how often, where. */
export interface MappingCount {
  readonly entity: string;
  readonly attribute: string;
  /** e.g. `deleted-static-record`, `unmatched-user`, `missing-remapped-id`. */
  readonly event: string;
  readonly count: number;
}

/** Mapping counters for a run; share one instance across the stages of a plan. */
export class MappingStats {
  readonly #counts = new Map<string, number>();

  /** Adds `n` to a counter. */
  add(entity: string, attribute: string, event: string, n = 1): void {
    const key = JSON.stringify([entity, attribute, event]);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + n);
  }

  /** The count of one event, optionally for one attribute. */
  get(entity: string, event: string, attribute?: string): number {
    return this.snapshot()
      .filter(
        (c) =>
          c.entity === entity && c.event === event && (attribute === undefined || c.attribute === attribute),
      )
      .reduce((sum, c) => sum + c.count, 0);
  }

  /** Every counter, sorted. */
  snapshot(): readonly MappingCount[] {
    return [...this.#counts.entries()]
      .map(([key, count]) => {
        const [entity, attribute, event] = JSON.parse(key) as [string, string, string];
        return { entity, attribute, event, count };
      })
      .sort((a, b) =>
        `${a.entity} ${a.attribute} ${a.event}`.localeCompare(`${b.entity} ${b.attribute} ${b.event}`),
      );
  }
}
