// Counters the mapping keeps beside the run's own (rows read, written, rejected, filtered): references
// to deleted static records set to NULL, unmatched users, missing remapped ids. For the run report.
// The mapping stage also counts each batch apart and attaches the counts to it as notes, which the
// runner keeps in the checkpoint once the batch is durable: counts of distinct rows across resumes.

import type { Notes } from '@ferry/core';

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

/** The note label of an attribute's event: `<attribute> <event>` (attribute names hold no space). */
export function noteLabel(attribute: string, event: string): string {
  return `${attribute} ${event}`;
}

/** The counters of one entity's notes (e.g. from its checkpoint), for the report. */
export function countsFromNotes(entity: string, notes: Notes | undefined): MappingCount[] {
  return Object.entries(notes ?? {}).map(([label, count]) => {
    const space = label.indexOf(' ');
    return { entity, attribute: label.slice(0, space), event: label.slice(space + 1), count };
  });
}

/**
 * The counters of one batch, also added to the run's shared counters (`also`): the mapping stage
 * takes them as the batch's notes after mapping it.
 */
export class BatchMappingStats extends MappingStats {
  readonly #also: MappingStats | undefined;
  #notes: Record<string, number> = {};

  constructor(also: MappingStats | undefined) {
    super();
    this.#also = also;
  }

  override add(entity: string, attribute: string, event: string, n = 1): void {
    this.#also?.add(entity, attribute, event, n);
    const label = noteLabel(attribute, event);
    this.#notes[label] = (this.#notes[label] ?? 0) + n;
  }

  /** The counts since the last call, as notes (`undefined` when none), and start again. */
  take(): Notes | undefined {
    const notes = this.#notes;
    this.#notes = {};
    return Object.keys(notes).length === 0 ? undefined : notes;
  }
}
