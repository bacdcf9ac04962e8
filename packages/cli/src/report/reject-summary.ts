// Rejects by rule for the HTML report, read from the run's reject file line by line (memory bounded by
// the number of distinct entity/attribute/rule groups, not by rejects): a count and the first few
// distinct keys of each group. Keys only: the file holds no values, and nothing else is read from it.

import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { RejectRecord } from '@ferry/core';

/** One group of rejects. */
export interface RejectGroup {
  readonly entity: string;
  readonly attribute?: string;
  readonly rule: string;
  /** Records in the file (a batch re-read after a crash may list its rejects twice). */
  records: number;
  /** Up to `samples` distinct keys, each key columns joined by `/`. */
  readonly keys: string[];
}

/** Groups the reject file at `path` (absent file: no groups), at most `samples` keys per group. */
export async function summariseRejects(path: string, samples = 5): Promise<RejectGroup[]> {
  if (
    !(await access(path).then(
      () => true,
      () => false,
    ))
  )
    return [];
  const groups = new Map<string, RejectGroup>();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as RejectRecord;
    const id = JSON.stringify([record.entity, record.attribute ?? '', record.rule]);
    let group = groups.get(id);
    if (group === undefined) {
      group = {
        entity: record.entity,
        ...(record.attribute === undefined ? {} : { attribute: record.attribute }),
        rule: record.rule,
        records: 0,
        keys: [],
      };
      groups.set(id, group);
    }
    group.records += 1;
    const key = record.key.join('/');
    if (group.keys.length < samples && !group.keys.includes(key)) group.keys.push(key);
  }
  return [...groups.values()].sort((a, b) =>
    `${a.entity} ${a.rule} ${a.attribute ?? ''}`.localeCompare(`${b.entity} ${b.rule} ${b.attribute ?? ''}`),
  );
}
