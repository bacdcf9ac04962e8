import { describe, expect, it } from 'vitest';
import { FerryError } from '@ferry/core';
import { classifyPostgresError, copyErrorColumn, copyErrorLine } from '@ferry/adapters/postgres';

/** A pg DatabaseError look-alike. */
function pgError(code: string, message = 'server says no', extra: Record<string, string> = {}) {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('classifyPostgresError', () => {
  it.each([
    ['08006', 'connection', true],
    ['08001', 'connection', true],
    ['28P01', 'authentication', false],
    ['28000', 'authentication', false],
    ['42501', 'permission', false],
    ['23505', 'unique-violation', false],
    ['23503', 'constraint', false],
    ['23502', 'constraint', false],
    ['23514', 'constraint', false],
    ['40P01', 'deadlock', true],
    ['40001', 'serialization', true],
    ['57014', 'timeout', true],
    ['55P03', 'timeout', true],
    ['57P01', 'connection', true],
    ['53300', 'connection', true],
    ['42P01', 'not-found', false],
    ['3F000', 'not-found', false],
    ['42703', 'not-found', false],
    ['22P02', 'invalid-data', false],
    ['22003', 'invalid-data', false],
    ['22021', 'invalid-data', false],
    ['42601', 'unknown', false],
    ['XX000', 'unknown', false],
    ['ECONNREFUSED', 'connection', true],
    ['ECONNRESET', 'connection', true],
    ['ETIMEDOUT', 'timeout', true],
  ] as const)('%s → %s (retryable %s)', (code, reason, retryable) => {
    const error = classifyPostgresError(pgError(code), {
      entity: 'Customer',
      table: 'app.customer',
      operation: 'write',
    });
    expect(error).toBeInstanceOf(FerryError);
    expect(error.reason).toBe(reason);
    expect(error.retryable).toBe(retryable);
    expect(error.entity).toBe('Customer');
    expect(error.message).toContain('app.customer');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('classifies pg errors without a code by their message', () => {
    expect(classifyPostgresError(new Error('Connection terminated unexpectedly')).reason).toBe('connection');
    expect(classifyPostgresError(new Error('timeout exceeded when trying to connect')).reason).toBe(
      'timeout',
    );
    expect(classifyPostgresError(new Error('something odd')).reason).toBe('unknown');
    expect(classifyPostgresError('not even an error').reason).toBe('unknown');
  });

  it('keeps constraint and column names but drops messages that quote values', () => {
    const error = classifyPostgresError(
      pgError('23505', 'duplicate key value violates unique constraint "customer_pkey"', {
        constraint: 'customer_pkey',
        detail: 'Key ("Id")=(4242) already exists.',
      }),
      { table: 'app.customer' },
    );
    expect(error.message).toContain('customer_pkey');
    expect(error.message).toContain('23505');
    expect(error.message).not.toContain('4242');
    const data = classifyPostgresError(pgError('22P02', 'invalid input syntax for type integer: "s3cr3t"'));
    expect(data.message).not.toContain('s3cr3t');
  });

  it('never repeats a connection string or password from a driver message', () => {
    const error = classifyPostgresError(
      pgError('08001', 'could not connect to postgres://admin:hunter2@db.example:5432/app password=hunter2'),
    );
    expect(error.message).not.toContain('hunter2');
    expect(error.reason).toBe('connection');
  });

  it('passes a FerryError through and maps AbortError to aborted', () => {
    const original = new FerryError('x', { code: 'FERRY_PG_ENCODE', reason: 'invalid-data' });
    expect(classifyPostgresError(original)).toBe(original);
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    expect(classifyPostgresError(abort).reason).toBe('aborted');
  });

  it('names the column of a COPY error from its context line, never the value after it', () => {
    const error = classifyPostgresError(
      pgError('22001', 'value too long for type character varying(20)', {
        where: 'COPY contact, line 7, column email: "secret.person@example.com"',
      }),
      { table: 'app.contact', key: ['7'], keyColumns: ['id'] },
    );
    expect(error.message).toContain('column "email"');
    expect(error.message).toContain('first failing row: key (id) = (7)');
    expect(error.message).not.toContain('secret.person');
    expect(error.attribute).toBe('email');
    expect(error.key).toEqual(['7']);
    expect(copyErrorLine('COPY contact, line 7, column email: "x"')).toBe(7);
    expect(copyErrorColumn('COPY "odd, name", line 12, column first name')).toBe('first name');
    expect(copyErrorLine('PL/pgSQL function f() line 3')).toBeUndefined();
  });
});
