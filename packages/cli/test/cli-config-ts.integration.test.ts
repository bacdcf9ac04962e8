// A `ferry.config.ts` is loaded through tsx: the same validated config object plus code hooks. Here a
// custom stage from the config upper-cases Catalog.Tag labels, and the target shows it was applied;
// a TS config with an invalid field is refused with its JSON path like a JSON one.

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, type Fixture } from './cli-harness.js';

let fixture: Fixture;

beforeAll(async () => {
  fixture = await openFixture(20);
  await rm(join(fixture.dir, 'ferry.config.json'));
});
afterAll(async () => fixture.drop());

function tsConfig(config: Record<string, unknown>): string {
  return `// A TypeScript config: types are stripped by tsx.
interface Batch { readonly rows: readonly Record<string, unknown>[] }
const upperLabels = async function* (input: AsyncIterable<Batch>): AsyncIterable<Batch> {
  for await (const batch of input) {
    yield { ...batch, rows: batch.rows.map((row) => ({ ...row, label: String(row['label']).toUpperCase() })) };
  }
};
const config = ${JSON.stringify({ ...config, mapping: undefined })};
export default { ...config, hooks: { stages: { 'Catalog.Tag': [upperLabels] } } };
`;
}

describe('ferry.config.ts', () => {
  it('is found by default and its stage hook runs after the mapping stage', async () => {
    await writeFile(join(fixture.dir, 'ferry.config.ts'), tsConfig(fixture.config));
    const result = await ferry(['run', '--entity', 'Catalog.Tag'], { cwd: fixture.dir, env: fixture.env });
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const { rows } = await fixture.target.query<{ id: number; label: string }>(
      `SELECT id, label FROM ${fixture.targetSchema}.tag ORDER BY id`,
    );
    const table = await fixture
      .source('OSSYS_ENTITY')
      .where({ NAME: 'Tag' })
      .first<{ PHYSICAL_TABLE_NAME: string }>('PHYSICAL_TABLE_NAME');
    const source = (await fixture.source(table.PHYSICAL_TABLE_NAME).select('ID', 'LABEL').orderBy('ID')) as {
      ID: number;
      LABEL: string;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => [Number(r.id), r.label])).toEqual(
      source.map((r) => [Number(r.ID), r.LABEL.toUpperCase()]),
    );
    expect(rows.some((r, i) => r.label !== source[i]!.LABEL)).toBe(true);
  });

  it('is validated like JSON', async () => {
    await writeFile(join(fixture.dir, 'ferry.config.ts'), tsConfig({ ...fixture.config, batchSize: -5 }));
    const result = await ferry(['plan'], { cwd: fixture.dir, env: fixture.env });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('config module ferry.config.ts is invalid');
    expect(result.stderr).toContain('/batchSize: must be >= 1');
  });
});
