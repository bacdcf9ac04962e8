// `reset` starts a new record of the run: the report, the rejects file and the recorded verification of
// the run before it are kept, renamed with the time of the reset, so the next `run` writes a new report
// (its processes and totals are then the new run's alone) instead of adding to the old one.

import { rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunFiles } from './run-files.js';

/**
 * `name.ext` → `name.<stamp>.ext` (the last extension kept, so `x.report.json` becomes
 * `x.report.2026-11-30T08-40-00-000Z.json`); `stamp` is an ISO time with `:` and `.` as `-`.
 */
export function archivedName(path: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  const renamed = dot > 0 ? `${name.slice(0, dot)}.${stamp}${name.slice(dot)}` : `${name}.${stamp}`;
  return join(dirname(path), renamed);
}

/**
 * Renames the run's report, rejects file and recorded verification (those that exist) to
 * {@link archivedName}. Resolves with the new paths of the renamed files, in that order.
 *
 * @throws the file system's error for anything but a missing file (e.g. `EACCES`).
 */
export async function archiveRunFiles(files: RunFiles, at: Date = new Date()): Promise<string[]> {
  const kept: string[] = [];
  for (const path of [files.report, files.rejects, files.verify]) {
    const target = archivedName(path, at);
    try {
      await rename(path, target);
      kept.push(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return kept;
}
