// What the demo says between its steps, so a first-time user knows what each command showed: fixed
// words for what a command does, and for the run a reconciliation computed from the sample and the
// run report (which sample rows were not migrated as data and why; what `#pass2` is; why read,
// written and the sample's own row count differ).

import type { SampleO11Database, SampleO11Entity } from '@ferry/adapters/o11';
import type { O11Catalog } from '@ferry/mapping';
import type { CliOutput } from '../output/cli-output.js';
import { formatCount } from '../output/text-table.js';
import type { RunReport } from '../report/run-report.js';

/** What each step is for, printed under its heading. */
export const STEP_NOTES: Readonly<Record<string, string>> = {
  discover:
    'Reads the OSSYS_* metadata: each entity, its physical OSUSR_* table (resolved, never guessed), attributes and references; writes a mapping to edit.',
  assess:
    'Counts the O11 data patterns that block or change a migration (the sample holds some on purpose). Counts and names only, never values; the demo goes on whatever it finds.',
  check:
    'Compares the mapping with the target tables (created here from the mapping, as publishing the ODC app would): types, lengths, mandatory, foreign keys.',
  plan: 'The load order: parents before children. Catalog.Category references itself (ParentId, optional): pass 1 loads it as NULL, then Catalog.Category#pass2 sets it once every category is in.',
  run: 'Moves the rows; each batch and its checkpoint commit together, so Ctrl-C and `ferry run` again resume with nothing lost or doubled.',
  verify: 'Count and order-independent checksum of the mapped source against the target, per entity.',
};

/** Why a sample entity is not migrated as data, from what the sample and discovery know of it. */
function why(sample: SampleO11Entity, entity: O11Catalog['entities'][number] | undefined): string {
  if (!sample.isActive)
    return 'deleted in O11 (IS_ACTIVE = 0): its table and rows stay, but it is not in the live model';
  if (sample.table.startsWith('OSEVT_'))
    return 'a BPT event table (OSEVT_*): platform bookkeeping, never migrated';
  if (sample.table === 'OSSYS_USER')
    return 'the end users: `ferry users` moves them to ODC; User Identifier references map by e-mail (odc-users.json here)';
  if (entity?.dataKind === 'staticEntity')
    return 'a static entity: the ODC app has its records; references keep their ids; a deleted record becomes NULL, or rejects the row where the reference is mandatory';
  return 'not in the mapping';
}

/** After the run: how the sample's row count, rows read and rows written fit together. */
export function explainTotals(
  out: CliOutput,
  sample: SampleO11Database,
  catalog: O11Catalog,
  report: RunReport,
): void {
  const migrated = new Set(report.entities.map((e) => e.entity));
  const moved = sample.entities.filter((e) => migrated.has(e.qualifiedName));
  const movedRows = moved.reduce((sum, e) => sum + e.rows, 0);
  const lines = [
    `Why the totals differ: the sample holds ${formatCount(sample.totalRows)} rows; ${formatCount(movedRows)} of them are in the ${moved.length} entities migrated as data. The others:`,
  ];
  for (const e of sample.entities.filter((s) => !migrated.has(s.qualifiedName))) {
    const entity = catalog.entities.find((c) => c.qualifiedName === e.qualifiedName);
    lines.push(`  ${e.qualifiedName} (${formatCount(e.rows)} rows): ${why(e, entity)}.`);
  }
  for (const pass of report.entities.filter((e) => e.entity.endsWith('#pass2'))) {
    const base = pass.entity.slice(0, -'#pass2'.length);
    lines.push(
      `${pass.entity} is the second pass of ${base}'s reference cycle: it reads ${base} again (${formatCount(pass.rowsRead)} rows) and updates only the deferred reference, so "read" counts those rows twice. ` +
        `Its ${formatCount(pass.rowsFiltered)} filtered rows have no reference to set (no parent) or were not written by pass 1, and its "written" rows are updates, not new rows.`,
    );
  }
  const t = report.totals;
  lines.push(
    `Every row read is written, rejected or filtered: ${formatCount(t.rowsRead)} = ${formatCount(t.rowsWritten)} + ${formatCount(t.rowsRejected)} + ${formatCount(t.rowsFiltered)}.`,
  );
  for (const note of report.mapping)
    if (note.event === 'deleted-static-record')
      lines.push(
        `${note.entity}.${note.attribute}: ${formatCount(note.count)} rows referenced a deleted static record; as the Migration Kit does, those references are NULL.`,
      );
  for (const line of lines) out.line(out.paint('dim', line));
}
