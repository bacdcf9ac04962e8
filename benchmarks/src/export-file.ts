// Exports the source once to a COPY text file for the `\copy` baseline (not timed). The file name
// carries the source's shape version and row count, so a file from another shape is never reused.

import mysql from 'mysql2';
import { once } from 'node:events';
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { SHAPE_VERSION, SOURCE_TABLE } from './bench-shape.js';
import { MYSQL_READ_OPTIONS, copyLine, selectAll } from './copy-text.js';

/** Path of the export for a source database (shape version and row count in the name). */
export function exportPath(workDir: string, database: string, rows: number): string {
  return join(workDir, `${database}-v${SHAPE_VERSION}-${rows}.copy`);
}

/** Write the export unless an export of the same shape and size exists; returns its path. */
export async function ensureExport(
  sourceUrl: string,
  workDir: string,
  database: string,
  rows: number,
): Promise<string> {
  const path = exportPath(workDir, database, rows);
  if (existsSync(path)) return path;
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const conn = mysql.createConnection({ uri: sourceUrl, ...MYSQL_READ_OPTIONS });
  try {
    const stream = conn
      .query({ sql: selectAll(SOURCE_TABLE), rowsAsArray: true })
      .stream({ highWaterMark: 1000 });
    let chunk = '';
    let count = 0;
    for await (const row of stream as AsyncIterable<unknown[]>) {
      chunk += copyLine(row);
      if (++count % 1000 === 0) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await finished(out);
  } finally {
    conn.end();
  }
  renameSync(partial, path);
  return path;
}
