// Issue 19's hang, the harness side: a conformance case that fails half-way must not leave its sink
// open for the teardown to wait on. closingFixture remembers every sink a fixture made and closes,
// with outcome `failed`, exactly those the case did not close; a close that throws does not stop it.
import { expect, it } from 'vitest';
import type { Row, Sink, SinkOutcome } from '@ferry/core';
import { closingFixture } from '../src/testing/closing-fixture.js';

/** A sink that records its close calls; `failClose` makes close reject. */
function closeRecorder(name: string, closes: string[], failClose = false): Sink<Row> {
  return {
    name,
    write: () => Promise.resolve(),
    close: (outcome: SinkOutcome) => {
      closes.push(`${name}:${outcome}`);
      return failClose ? Promise.reject(new Error('close failed')) : Promise.resolve();
    },
  };
}

it('issue 19 hang: the sinks a failed case left open are closed (failed) once, the closed ones not again', async () => {
  const closes: string[] = [];
  const made = [
    closeRecorder('a', closes),
    closeRecorder('b', closes, true),
    closeRecorder('c', closes),
    closeRecorder('d', closes),
  ];
  let next = 0;
  const fixture = closingFixture({
    sink: () => made[next++]!,
    readAll: () => Promise.resolve([]),
    teardown: () => Promise.resolve(),
  });
  const [a, b, c, d] = [
    await fixture.sink(),
    await fixture.sink(),
    await fixture.sink(),
    await fixture.sink(),
  ];
  expect([a, b, c, d].every((sink, i) => sink === made[i])).toBe(true); // the sinks themselves, no wrappers
  await a.close('completed');
  await c.close('aborted');
  await fixture.closeOpenSinks();
  expect(closes).toEqual(['a:completed', 'c:aborted', 'b:failed', 'd:failed']);
  await fixture.closeOpenSinks(); // nothing is left open
  expect(closes).toHaveLength(4);
});
