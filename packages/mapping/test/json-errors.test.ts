// The pieces behind config and mapping messages: did-you-mean for keys and line/column for JSON text
// that does not parse (never quoting the text).

import { describe, expect, it } from 'vitest';
import { parseJsonText, suggestKey } from '../src/index.js';

describe('suggestKey', () => {
  it.each([
    ['batchsize', ['batchBytes', 'batchSize'], 'batchSize'],
    ['lenght', ['length', 'decimals'], 'length'],
    ['mdoe', ['mode', 'kind'], 'mode'],
    ['colour', ['batchSize', 'mode'], undefined],
    ['x', ['kind', 'dir'], undefined],
    ['dr', ['dir', 'kind'], 'dir'],
    ['dri', ['dir', 'kind'], undefined], // a swap is 2 edits: too far for 3 letters
  ])('%s among %j → %s', (name, allowed, expected) => {
    expect(suggestKey(name, allowed)).toBe(expected);
  });

  it('prefers the closest key', () => {
    expect(suggestKey('concurency', ['connections', 'concurrency'])).toBe('concurrency');
  });
});

describe('parseJsonText', () => {
  it('returns the value of valid JSON, big numbers as JSON.parse gives them', () => {
    expect(parseJsonText('{ "a": [1, "x"] }')).toEqual({ value: { a: [1, 'x'] } });
  });

  it.each([
    ['{\n  "a" 1\n}', 2, 7, "expected ':' after a property name"],
    ['{ "a": 1, }', 1, 11, 'expected a property name in double quotes (no trailing comma)'],
    ['{ "a": 1 } 2', 1, 12, 'unexpected text after the JSON value'],
    ['{\n  // note\n  "a": 1\n}', 2, 3, 'comments are not allowed in JSON'],
    ['{ "a": "x', 1, 8, 'unterminated string'],
  ])('places %j at line %i column %i', (text, line, column, message) => {
    expect(parseJsonText(text)).toEqual({ problem: { line, column, message } });
  });

  it('never carries the text in its message', () => {
    const parsed = parseJsonText('{ "password": hunter2 }');
    expect(JSON.stringify(parsed)).not.toContain('hunter2');
    expect(parsed.problem).toMatchObject({ line: 1, column: 15 });
  });
});
