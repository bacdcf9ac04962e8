// Partitioned entities in status and reports: the pipelines `Sales.Order[1/4]` … `[4/4]` shown as one
// line for `Sales.Order` (counts summed, the least finished status) with the partitions as details.
// The persisted range layouts (`Sales.Order[partitions]`) are bookkeeping and are left out.

import { isPartitionLayoutId, parsePartitionId } from '@ferry/core';

/** What a status or report line counts. */
export interface CountedLine {
  readonly entity: string;
  readonly status: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly rowsFiltered: number;
}

/** A line, and for a partitioned entity its partitions' lines. */
export type GroupedLine<T extends CountedLine> = T & { readonly partitions?: readonly T[] };

/** The least finished status of the partitions: failed, aborted, running, else skipped or completed. */
function mergedStatus(statuses: readonly string[]): string {
  for (const status of ['failed', 'aborted', 'running']) if (statuses.includes(status)) return status;
  return statuses.every((status) => status === 'skipped') ? 'skipped' : 'completed';
}

/**
 * Lines in their order with each partitioned entity's partitions folded into one line at the place of
 * its first partition. `merge` builds that line from the partitions (counts and status are set here).
 */
export function groupPartitions<T extends CountedLine>(
  lines: readonly T[],
  merge: (entity: string, partitions: readonly T[]) => T,
): GroupedLine<T>[] {
  const groups = new Map<string, T[]>();
  const order: (T | string)[] = [];
  for (const line of lines) {
    if (isPartitionLayoutId(line.entity)) continue;
    const of = parsePartitionId(line.entity)?.of;
    if (of === undefined) {
      order.push(line);
      continue;
    }
    const group = groups.get(of);
    if (group === undefined) {
      groups.set(of, [line]);
      order.push(of);
    } else group.push(line);
  }
  return order.map((item) => {
    if (typeof item !== 'string') return item;
    const partitions = groups.get(item)!;
    const sum = (pick: (line: T) => number): number => partitions.reduce((n, line) => n + pick(line), 0);
    return {
      ...merge(item, partitions),
      entity: item,
      // Partitions without a line yet (not started) keep the entity running.
      status: mergedStatus([
        ...partitions.map((line) => line.status),
        ...(partitions.length < parsePartitionId(partitions[0]!.entity)!.count ? ['running'] : []),
      ]),
      rowsRead: sum((line) => line.rowsRead),
      rowsWritten: sum((line) => line.rowsWritten),
      rowsRejected: sum((line) => line.rowsRejected),
      rowsFiltered: sum((line) => line.rowsFiltered),
      partitions,
    };
  });
}

/** Table rows: each line, then its partitions indented under it. */
export function withPartitionRows<T extends CountedLine>(
  lines: readonly GroupedLine<T>[],
  row: (line: T, depth: 0 | 1) => (string | number)[],
): (string | number)[][] {
  return lines.flatMap((line) => [row(line, 0), ...(line.partitions ?? []).map((p) => row(p, 1))]);
}
