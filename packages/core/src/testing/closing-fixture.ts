// Every sink a conformance case opens is closed before the target is dropped, also when the case
// failed half-way. A failed write used to leave its sink open: its connection stayed out of the pool
// (a few failed cases exhausted it) or sat in an open transaction holding locks, and the teardown's
// DROP then waited forever -- one wrong value hung the whole suite instead of failing one case.

import type { Row } from '../row.js';
import type { Sink } from '../sink.js';
import type { SinkConformanceFixture } from './sink-conformance.js';

/** A fixture whose sinks are remembered until closed; `closeOpenSinks` closes the others. */
export interface ClosingFixture extends SinkConformanceFixture {
  /** Close (outcome `failed`) every sink made by this fixture and not closed yet; errors are ignored. */
  closeOpenSinks(): Promise<void>;
}

/** Wrap `fixture` so that the sinks it makes can be closed after a failed case. */
export function closingFixture(fixture: SinkConformanceFixture): ClosingFixture {
  const open = new Set<Sink<Row>>();
  return {
    ...fixture,
    async sink() {
      const sink = await fixture.sink();
      // Patched on the instance, not wrapped: the case must see the sink's own object and capabilities.
      const close = sink.close.bind(sink);
      sink.close = (outcome) => {
        open.delete(sink);
        return close(outcome);
      };
      open.add(sink);
      return sink;
    },
    async closeOpenSinks() {
      for (const sink of [...open]) await sink.close('failed').catch(() => undefined);
    },
  };
}
