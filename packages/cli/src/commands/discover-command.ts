// `ferry discover`: reads the O11 catalog and writes a starter mapping file, the first step of
// "discover, edit, run". It never overwrites an edited mapping unless told to.

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { FerryError } from '@ferry/core';
import { generateMapping, suggestMasks, type MaskSuggestion } from '@ferry/mapping';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import { textTable } from '../output/text-table.js';
import { kinds } from '../kinds/kinds.js';

/** Options of `ferry discover`. */
export interface DiscoverOptions {
  readonly out?: string;
  readonly force?: boolean;
  readonly includeStatic?: boolean;
  /** Propose masks for personal-looking attributes (`suggestMasks`), written into the mapping. */
  readonly suggestMasks?: boolean;
}

/** Writes the generated mapping and prints what discovery found. */
export const discoverCommand: CommandHandler<DiscoverOptions> = async (context, options) => {
  const session = await context.session();
  const source = session.loaded.config.source;
  const kind = kinds.sourceFor('discover', source);
  const catalog = await session.catalog();
  const warnings: string[] = [];
  const modules = kind.modules?.(source);
  const generated = generateMapping(catalog, {
    ...(modules === undefined ? {} : { modules }),
    ...(options.includeStatic === true ? { includeStaticEntities: true } : {}),
    onWarning: (message) => warnings.push(message),
  });
  const { spec: mapping, suggestions } =
    options.suggestMasks === true ? suggestMasks(generated) : { spec: generated, suggestions: [] };
  const file = session.path(options.out ?? session.loaded.config.mapping ?? 'ferry.mapping.json');
  if (existsSync(file) && options.force !== true) {
    throw new FerryError(
      `mapping file ${file} exists: pass --force to overwrite it or --out to write elsewhere`,
      {
        code: 'FERRY_MAPPING_EXISTS',
        reason: 'invalid-config',
        operation: 'discover',
      },
    );
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(mapping, null, 2)}\n`, 'utf8');
  const entities = catalog.entities.filter((e) => e.isActive);
  const { out } = context;
  out.json({
    command: 'discover',
    mappingFile: file,
    modules: catalog.modules.map((m) => m.name),
    entities: entities.map((e) => ({
      name: e.qualifiedName,
      table: e.physicalTable,
      kind: e.dataKind,
      attributes: e.attributes.filter((a) => a.isActive).length,
      mapped: mapping.entities.some((m) => m.name === e.qualifiedName),
    })),
    warnings,
    ...(options.suggestMasks === true ? { maskSuggestions: suggestions } : {}),
  });
  out.line(
    `Discovered ${catalog.modules.length} module(s), ${entities.length} entit${entities.length === 1 ? 'y' : 'ies'}.`,
  );
  out.line(
    textTable(
      ['entity', 'kind', 'table', 'attributes', 'mapped'],
      entities.map((e) => [
        e.qualifiedName,
        e.dataKind,
        e.physicalTable,
        e.attributes.filter((a) => a.isActive).length,
        mapping.entities.some((m) => m.name === e.qualifiedName) ? 'yes' : 'no',
      ]),
      new Set([3]),
    ),
  );
  for (const warning of warnings) out.note(`warning: ${warning}`);
  if (options.suggestMasks === true) printSuggestions(context.out, suggestions);
  out.line(`Wrote ${mapping.entities.length} entity mapping(s) to ${file}.`);
  // A config without `mapping` generates the mapping at every command: edits to this file would be
  // silently ignored, so say how to use it (a `ferry init` config leaves `mapping` commented out).
  if (session.loaded.config.mapping === undefined)
    out.note(
      `note: the config names no mapping file, so commands generate the mapping each time; to use this file (and your edits), set "mapping": "${relative(session.loaded.baseDir, file)}" in ${basename(session.loaded.path)}.`,
    );
  return ExitCode.ok;
};

function printSuggestions(
  out: Parameters<CommandHandler<DiscoverOptions>>[0]['out'],
  list: readonly MaskSuggestion[],
): void {
  if (list.length === 0) {
    out.line('No attribute looks personal by its name or type: review the mapping by hand.');
    return;
  }
  out.line(`Proposed ${list.length} mask(s), written into the mapping for review (key: env FERRY_MASK_KEY):`);
  out.line(
    textTable(
      ['entity', 'attribute', 'mask', 'why'],
      list.map((s) => [
        s.entity,
        s.attribute,
        s.mask.as === undefined ? s.mask.kind : `${s.mask.kind} ${s.mask.as}`,
        s.reason,
      ]),
    ),
  );
}
