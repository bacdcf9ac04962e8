// The settings of a distributed run (the config's `distributed` block), resolved to their defaults and
// checked once, so every process of a run derives the same job expiry, retries and polling.

import { FerryError } from '@ferry/core';

/** How a run's jobs behave on pg-boss. Every field is optional. */
export interface DistributedOptions {
  /** Schema of pg-boss's tables in the state database (letters, digits, `_`). Default `ferry_jobs`. */
  readonly schema?: string;
  /**
   * Seconds a running job may go without its worker's heartbeat before pg-boss expires it and retries
   * it on another worker (a killed worker's job is taken over after about this long). A live worker
   * renews its job every third of it. Default 30, at least 3.
   */
  readonly expireSeconds?: number;
  /** Times pg-boss retries a failed or expired job before it fails for good. Default 10. */
  readonly retryLimit?: number;
  /** Seconds before a failed job is offered again. Default 2. */
  readonly retryDelaySeconds?: number;
  /** Seconds between an idle worker's requests for a job, and between a coordinator's progress reads. Default 1. */
  readonly pollSeconds?: number;
}

/** {@link DistributedOptions} with every default applied. */
export type ResolvedDistributedOptions = Required<DistributedOptions>;

const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,49}$/;

/** Applies the defaults and checks the values; throws `FERRY_DISTRIBUTED_OPTIONS` naming the setting. */
export function resolveDistributedOptions(options: DistributedOptions = {}): ResolvedDistributedOptions {
  const resolved = {
    schema: options.schema ?? 'ferry_jobs',
    expireSeconds: options.expireSeconds ?? 30,
    retryLimit: options.retryLimit ?? 10,
    retryDelaySeconds: options.retryDelaySeconds ?? 2,
    pollSeconds: options.pollSeconds ?? 1,
  };
  if (!SCHEMA.test(resolved.schema))
    invalid('schema', 'letters, digits and _ (at most 50), not starting with a digit');
  whole(resolved.expireSeconds, 'expireSeconds', 3);
  whole(resolved.retryLimit, 'retryLimit', 0);
  whole(resolved.retryDelaySeconds, 'retryDelaySeconds', 0);
  if (!(resolved.pollSeconds > 0 && resolved.pollSeconds <= 60))
    invalid('pollSeconds', 'a number of seconds in (0, 60]');
  return resolved;
}

function whole(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min) invalid(name, `an integer >= ${min}`);
}

function invalid(name: string, what: string): never {
  throw new FerryError(`distributed.${name} must be ${what}`, {
    code: 'FERRY_DISTRIBUTED_OPTIONS',
    reason: 'invalid-config',
    operation: 'distributed',
  });
}
