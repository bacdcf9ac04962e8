// The fixture of the duplicate-key CLI tests: the sample O11 database with Sales.PriceRow (one key held
// by two source rows), discovered, and PRICE_ROW_MAPPING added to the mapping by hand as a user would.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { duplicateKeyShape, PRICE_ROW_MAPPING } from '@ferry/adapters/o11';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, type Fixture } from './cli-harness.js';

/** Opens the fixture (`rowsPerEntity` rows, config patched by `config`) and maps Sales.PriceRow. */
export async function openDuplicateKeyFixture(
  rowsPerEntity: number,
  config: Record<string, unknown>,
): Promise<Fixture> {
  const fixture = await openFixture(rowsPerEntity, config, { extra: duplicateKeyShape });
  expect((await ferry(['discover'], { cwd: fixture.dir, env: fixture.env })).code).toBe(ExitCode.ok);
  const path = join(fixture.dir, 'ferry.mapping.json');
  const mapping = JSON.parse(await readFile(path, 'utf8')) as { entities: unknown[] };
  mapping.entities.push(PRICE_ROW_MAPPING);
  await writeFile(path, JSON.stringify(mapping, null, 2));
  return fixture;
}
