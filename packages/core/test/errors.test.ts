import { describe, expect, it } from 'vitest';
import { FerryError, isRetryable } from '@ferry/core';

describe('FerryError', () => {
  it('derives retryable from the reason and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const transient = new FerryError('lost the connection', {
      code: 'FERRY_PG_ERROR',
      reason: 'connection',
      cause,
    });
    const permanent = new FerryError('duplicate key', { code: 'FERRY_PG_ERROR', reason: 'unique-violation' });
    expect(transient.retryable).toBe(true);
    expect(transient.cause).toBe(cause);
    expect(isRetryable(permanent)).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
  });
});
