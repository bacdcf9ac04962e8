// What `ferry run` advises after a failure (issue 14): a run whose entity had every row rejected is
// reset, not resumed (the FERRY_REJECT_ALL message and the last line agree), and every command named
// carries `--run <id>` when the run is not the config's own.

import { describe, expect, it } from 'vitest';
import { duplicateKeyHint, failedLine } from '../src/output/run-advice.js';

const rejectAll = { entities: [{}, { error: { code: 'FERRY_REJECT_ALL' } }] };
const other = { entities: [{ error: { code: 'FERRY_PG_CONNECTION' } }] };

describe('run advice', () => {
  it('regression (reject-all says reset, last line said resume): FERRY_REJECT_ALL ends with a reset, not "resumes"', () => {
    const line = failedLine(rejectAll, 'default', 'default');
    expect(line).toContain('`ferry reset --yes`');
    expect(line).not.toContain('resumes');
  });

  it('any other failure is resumed with `ferry run`', () => {
    expect(failedLine(other, 'default', 'default')).toBe(
      'Failed. Fix the cause, then `ferry run` resumes run default.',
    );
  });

  it('regression (duplicate keys: the last line said only "resumes" under the start-over hint): both ways are named', () => {
    const duplicate = { entities: [{ error: { code: 'FERRY_PG_ERROR', reason: 'unique-violation' } }] };
    const line = failedLine(duplicate, 'night', 'default');
    expect(line).toContain('start over as above');
    expect(line).toContain('`ferry run --run night` resumes run night');
  });

  it("regression (duplicate-key hint without --run): a run that is not the config's is named in every command", () => {
    expect(duplicateKeyHint('night', 'default')).toContain('`ferry reset --truncate --yes --run night`');
    expect(duplicateKeyHint('default', 'default')).toContain('`ferry reset --truncate --yes`');
    expect(failedLine(other, 'night', 'default')).toContain('`ferry run --run night` resumes run night');
    const reset = failedLine(rejectAll, 'night', 'default');
    expect(reset).toContain('`ferry reset --yes --run night`');
    expect(reset).toContain('`ferry run --run night`');
  });
});
