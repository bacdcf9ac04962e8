// Notes: named counters a stage attaches to a batch (e.g. the mapping's "references to deleted static
// records set to NULL"), summed into the entity's checkpoint when the batch is durable, so each row
// counts once however often it is read again (retries, resumes).

/**
 * Counters by label, e.g. `{ "Owner unmatched-user": 3 }`. Labels are the attaching stage's business;
 * core only adds them up. Counts are whole numbers ≥ 0.
 */
export type Notes = Readonly<Record<string, number>>;

/** `a + b` label by label; `undefined` when both are empty or absent. */
export function addNotes(a: Notes | undefined, b: Notes | undefined): Notes | undefined {
  if (b === undefined || Object.keys(b).length === 0) return a;
  if (a === undefined || Object.keys(a).length === 0) return b;
  const sum: Record<string, number> = { ...a };
  for (const [label, count] of Object.entries(b)) sum[label] = (sum[label] ?? 0) + count;
  return sum;
}
