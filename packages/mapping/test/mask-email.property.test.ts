// Property test (fast-check) of fake e-mails, through the compiled mapping as a run uses it: the same
// input gives the same output, distinct inputs (after trim and lower-case, as user matching compares)
// give distinct outputs, every output is a valid e-mail address within the column's length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaskKey, compileMapping, isFailure } from '@ferry/mapping';

const key = MaskKey.fromSecret('property-key-0123456789abcdef');

/** RFC 5321/5322 dot-atom local part (the subset we promise: letters, digits, dots, no edge dots). */
const VALID = /^(?=.{1,64}@)[a-z0-9]+(\.[a-z0-9]+)*\.?[a-z0-9]*@example\.com$/;
const DOT_ATOM = /^[a-z0-9]+(\.[a-z0-9]+)*@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

function converter(length: number): (value: string) => unknown {
  const compiled = compileMapping(
    {
      version: 1,
      entities: [
        {
          source: { table: 'user' },
          target: { table: 'user' },
          key: ['Id'],
          attributes: {
            Id: { type: 'rtInteger', mandatory: true },
            Email: { type: 'rtText', length, mask: { kind: 'fake', as: 'email' } },
          },
        },
      ],
    },
    { maskKey: key },
  );
  const attribute = compiled.entity('user').attributes[1]!;
  return (value) => attribute.convert(value);
}

const lengths = [28, 40, 64, 250];
const emails = fc.emailAddress().filter((e) => e.length <= 28);

describe('fake e-mails (property)', () => {
  for (const length of lengths) {
    it(`are deterministic, unique, valid and fit a column of ${length}`, () => {
      const convert = converter(length);
      fc.assert(
        fc.property(
          fc.uniqueArray(emails, { minLength: 2, maxLength: 60, selector: (e) => e.trim().toLowerCase() }),
          (inputs) => {
            const outputs = inputs.map((input) => convert(input));
            for (const [i, out] of outputs.entries()) {
              expect(isFailure(out)).toBe(false);
              const text = out as string;
              expect(text).toMatch(DOT_ATOM);
              expect(text).toMatch(VALID);
              expect(text.length).toBeLessThanOrEqual(length);
              expect(convert(inputs[i]!)).toBe(text); // deterministic
              expect(convert(inputs[i]!.toUpperCase())).toBe(text); // case-insensitive like user matching
            }
            expect(new Set(outputs.map((o) => (o as string).toLowerCase())).size).toBe(inputs.length);
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});
