import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FerryError } from '@ferry/core';
import {
  backoffDelay,
  classifyStatus,
  encodeValue,
  odcAuthFromEnv,
  parseRetryAfter,
} from '@ferry/adapters/http';
import { AuthHeader } from '../src/http/http-auth.js';
import { bodyValues } from '../src/http/http-call.js';
import { serverMessage, MAX_SERVER_MESSAGE } from '../src/http/http-error.js';
import { DEFAULT_HTTP_RETRY } from '../src/http/http-retry.js';
import { parseIdResponse } from '../src/http/id-response.js';
import { checkBaseUrl } from '../src/http/odc-rest-options.js';
import { encodeRecord } from '../src/http/record-encode.js';
import { cutRequests } from '../src/http/request-cut.js';

const where = { entity: 'Order', endpoint: 'https://x/UpsertOrder' };

describe('Retry-After and backoff', () => {
  it('parses seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('keeps full-jitter delays within [0, min(max, base * 2^n))', () => {
    const policy = { ...DEFAULT_HTTP_RETRY, minDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(400);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 10, () => 0)).toBe(0);
  });
});

describe('status classification', () => {
  it.each([
    [408, 'timeout', true],
    [429, 'rate-limit', true],
    [500, 'connection', true],
    [503, 'connection', true],
    [504, 'timeout', true],
    [400, 'invalid-data', false],
    [401, 'authentication', false],
    [403, 'authentication', false],
    [404, 'not-found', false],
    [413, 'invalid-data', false],
    [418, 'unknown', false],
  ] as const)('%i → %s (retryable %s)', (status, reason, retryable) => {
    expect(classifyStatus(status)).toEqual({ reason, retryable });
  });

  it('extracts, scrubs and truncates server messages', () => {
    const body = JSON.stringify({ Errors: ['Email alice@example.com is invalid', 'x'], StatusCode: 400 });
    expect(serverMessage(body, ['alice@example.com'])).toBe('Email ‹redacted› is invalid; x');
    expect(serverMessage('<html><b>Bad</b>\n gateway</html>', [])).toBe('Bad gateway');
    expect(serverMessage('y'.repeat(1000), [])).toHaveLength(MAX_SERVER_MESSAGE + 1);
  });

  it('lists request values for redaction, but not source keys or the entity', () => {
    const values = bodyValues('{"entity":"Order","records":[{"sourceKey":"7","Name":"Bob","Qty":12}]}');
    expect(values).toEqual(['Bob', '12']);
  });
});

describe('encoding', () => {
  it('keeps decimals, 64-bit integers, binary and dates exact', () => {
    const at = { entity: 'E', attribute: 'A' };
    expect(encodeValue('12345678901234567890.12345678', at)).toBe('12345678901234567890.12345678');
    expect(encodeValue(2n ** 63n - 1n, at)).toBe('9223372036854775807');
    expect(encodeValue(new Uint8Array([0, 1, 254, 255]), at)).toBe('AAH+/w==');
    expect(encodeValue(new Date(Date.UTC(3000, 11, 31, 23, 59, 59)), at)).toBe('3000-12-31T23:59:59.000Z');
    expect(encodeValue(42, at)).toBe(42);
    expect(() => encodeValue(0.1, at)).toThrow(FerryError);
    expect(() => encodeValue(2 ** 60, at)).toThrow(/decimals must flow as strings/);
  });

  it('builds { sourceKey, ...attributes } without the key attribute', () => {
    const shape = { entity: 'Order', key: ['Id'] };
    expect(encodeRecord({ Id: 9007199254740993n, Name: 'x' }, shape)).toEqual({
      sourceKey: '9007199254740993',
      json: '{"sourceKey":"9007199254740993","Name":"x"}',
    });
    expect(encodeRecord({ A: 1, B: 'k', V: null }, { entity: 'L', key: ['A', 'B'] }).sourceKey).toBe(
      '["1","k"]',
    );
    expect(() => encodeRecord({ Id: null }, shape)).toThrow(/key attribute Order.Id/);
  });

  it('cuts by rows and bytes and never exceeds maxBytes', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({
      sourceKey: String(i),
      json: `{"sourceKey":"${i}","T":"${'é'.repeat(i)}"}`,
    }));
    const bodies = cutRequests(records, { entity: 'T', maxRows: 7, maxBytes: 300 });
    expect(bodies.flatMap((b) => b.sourceKeys)).toEqual(records.map((r) => r.sourceKey));
    for (const body of bodies) {
      expect(Buffer.byteLength(body.body)).toBe(body.bytes);
      expect(body.bytes).toBeLessThanOrEqual(300);
      expect(body.sourceKeys.length).toBeLessThanOrEqual(7);
      expect((JSON.parse(body.body) as { records: unknown[] }).records).toHaveLength(body.sourceKeys.length);
    }
  });
});

describe('id responses', () => {
  it('reads integer ids past 2^53 digit for digit', () => {
    const text = '[{"sourceKey":"1","id":9007199254740993},{ "sourceKey" : 2 , "id" : "b0a"}]';
    expect(parseIdResponse(text, ['1', '2'], where)).toEqual([
      ['1', '9007199254740993'],
      ['2', 'b0a'],
    ]);
  });

  it('refuses an answer that misses a sent key', () => {
    expect(() => parseIdResponse('[{"sourceKey":"1","id":5}]', ['1', '2'], where)).toThrow(
      /no id for 1 of 2 Order records/,
    );
    expect(() => parseIdResponse('{"ok":true}', ['1'], where)).toThrow(FerryError);
    expect(() => parseIdResponse('not json', ['1'], where)).toThrow(/is not JSON/);
  });
});

describe('auth', () => {
  it('reads a bearer token or an API key header from the environment', () => {
    expect(odcAuthFromEnv({ FERRY_ODC_TOKEN: 't' })).toEqual({ bearerToken: 't' });
    expect(odcAuthFromEnv({ FERRY_ODC_API_KEY_HEADER: 'X-Key', FERRY_ODC_API_KEY: 'v' })).toEqual({
      header: 'X-Key',
      value: 'v',
    });
    expect(() => odcAuthFromEnv({})).toThrow(/set FERRY_ODC_TOKEN/);
  });

  it('never shows the secret when printed', () => {
    const header = new AuthHeader({ bearerToken: 'super-secret-token' });
    expect(header.apply({})).toEqual({ authorization: 'Bearer super-secret-token' });
    const printed = `${inspect(header)} ${JSON.stringify({ header })} ${String(header)}`;
    expect(printed).not.toContain('super-secret');
  });

  it('requires https except to loopback and refuses credentials in the URL', () => {
    expect(checkBaseUrl('https://a.outsystems.app/App/rest/Api/')).toBe(
      'https://a.outsystems.app/App/rest/Api',
    );
    expect(checkBaseUrl('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080/x');
    expect(() => checkBaseUrl('http://a.outsystems.app/x')).toThrow(/https/);
    expect(() => checkBaseUrl('https://u:p@a.outsystems.app/x')).toThrow(/credentials/);
  });
});
