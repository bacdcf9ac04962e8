// The target side of the masking test's leak search: a real `pg_dump --data-only -n <schema>` of the
// target, parsed into fields (table, column, row id, text) so that every occurrence of a source value
// can be attributed to the row and column that hold it, and a coincidence proven rather than assumed.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** One table of the dump: its name, its columns and its rows as COPY text (NULL as null). */
export interface DumpTable {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly (string | null)[][];
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** COPY text format: `\N` is NULL, backslash escapes (the dump writes no octal/hex escapes for UTF-8). */
function unescape(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/gsu, (_, c: string) => ESCAPES[c] ?? c);
}

/** Splits a plain-format data-only dump into its tables' rows. */
export function parseDump(dump: string): DumpTable[] {
  const tables: DumpTable[] = [];
  const lines = dump.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^COPY (\S+) \((.*)\) FROM stdin;$/.exec(lines[i]!);
    if (head === null) continue;
    const rows: (string | null)[][] = [];
    for (i += 1; lines[i] !== '\\.'; i++) rows.push(lines[i]!.split('\t').map(unescape));
    tables.push({
      table: head[1]!.split('.').pop()!.replaceAll('"', ''),
      columns: head[2]!.split(', ').map((c) => c.replaceAll('"', '')),
      rows,
    });
  }
  return tables;
}

/** `pg_dump --data-only -n schema` of the database at `url` (plain text, as a user would take it). */
export async function dumpSchema(url: string, schema: string): Promise<DumpTable[]> {
  const { stdout } = await promisify(execFile)(
    'pg_dump',
    ['--data-only', '--no-owner', '-n', schema, '-d', url],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  return parseDump(stdout);
}
