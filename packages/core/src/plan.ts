// A plan: the entity pipelines of a migration and the order between them. An entity starts once every
// entity it depends on is complete; cycles are refused (a mapping breaks them with a deferred pass:
// rows load with the cyclic references NULL, then a second pipeline that depends on the whole cycle
// sets them).

import type { PartitionInfo } from './partition.js';
import type { Row } from './row.js';
import type { Sink } from './sink.js';
import type { Source } from './source.js';
import type { Stage } from './stage.js';

/** One entity's pipeline: source, stages, sink. */
export interface EntityPipeline {
  /** Unique name within the plan, used in checkpoints, events and errors (e.g. `Sales.Order`). */
  readonly entity: string;
  /** Entities that must be complete before this one starts (references, earlier passes). */
  readonly dependsOn?: readonly string[];
  readonly source: Source<Row>;
  readonly stages?: readonly Stage<Row, Row>[];
  readonly sink: Sink<Row>;
  /** Rows per source batch; defaults to the run's batch size. */
  readonly batchSize?: number;
  /** Batches written but not yet durable, at most; defaults to the run's setting. */
  readonly maxInFlight?: number;
  /**
   * Source rows per transaction for a sink with `transactions` (the runner commits once a transaction
   * covers this many rows, and at the end); defaults to the run's setting.
   */
  readonly commitEvery?: number;
  /** A deferred pass (e.g. `2` for the pass that sets cyclic references). Informational. */
  readonly pass?: number;
  /** Set on the pipelines `partitionPlan` made: which key range of which entity this one reads. */
  readonly partition?: PartitionInfo;
}

/** An ordered set of entity pipelines. */
export interface Plan {
  readonly entities: readonly EntityPipeline[];
}
