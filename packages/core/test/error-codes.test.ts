import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FerryError, errorCodes, isFerryErrorCode } from '@ferry/core';
import { ERROR_CODES_DOC, renderErrorCodes } from '../../../scripts/error-codes-doc.js';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

/** Every `.ts` file under packages/<pkg>/src, read independently of the list under test. */
function sourceFiles(): string[] {
  return readdirSync(PACKAGES).flatMap((pkg) =>
    readdirSync(join(PACKAGES, pkg, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(PACKAGES, pkg, 'src', file)),
  );
}

describe('error codes', () => {
  it('docs/error-codes.md is what scripts/error-codes-doc.ts renders (run `pnpm docs:error-codes`)', () => {
    expect(readFileSync(ERROR_CODES_DOC, 'utf8')).toBe(renderErrorCodes());
  });

  it('the doc has one row per listed code, plus FERRY_HTTP_<status>', () => {
    const rows = readFileSync(ERROR_CODES_DOC, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => /^\| `([^`]+)`/.exec(line)?.[1]);
    expect(rows).toEqual([...Object.keys(errorCodes), 'FERRY_HTTP_<status>'].sort());
  });

  it('is sorted, and every meaning is one non-empty line ending in a full stop', () => {
    const codes = Object.keys(errorCodes);
    expect(codes).toEqual([...codes].sort());
    for (const meaning of Object.values(errorCodes)) expect(meaning).toMatch(/^[^\n]+\.$/);
  });

  it('lists only codes some source file uses (no stale entry)', () => {
    const text = sourceFiles()
      .filter((file) => !file.endsWith('error-codes.ts'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = Object.keys(errorCodes).filter((code) => !text.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('isFerryErrorCode accepts listed and HTTP status codes only', () => {
    expect(isFerryErrorCode('FERRY_SOURCE_READ')).toBe(true);
    expect(isFerryErrorCode('FERRY_HTTP_409')).toBe(true);
    expect(isFerryErrorCode('FERRY_HTTP_4090')).toBe(false);
    expect(isFerryErrorCode('FERRY_SOURCE_RED')).toBe(false);
    expect(isFerryErrorCode('toString')).toBe(false);
  });

  it('a free string does not type-check as a code', () => {
    // @ts-expect-error -- not in errorCodes: `tsc -p packages/core/test` fails if this compiles.
    const error = new FerryError('x', { code: 'FERRY_NOT_A_CODE', reason: 'unknown' });
    expect(error.code).toBe('FERRY_NOT_A_CODE');
    const http = new FerryError('x', { code: 'FERRY_HTTP_503', reason: 'timeout' });
    expect(http.retryable).toBe(true);
  });
});
