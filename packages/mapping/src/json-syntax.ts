// Parses JSON text and, when it is not valid, says where: line and column (1-based) and what the
// parser expected. The engine's own message is not used, because V8 quotes the text around the
// error, which in a config file may be a value the user would not want in a log.

import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';

/** Where and why JSON text is not valid; never carries any of the text. */
export interface JsonSyntaxProblem {
  /** 1-based line of the first error. */
  readonly line: number;
  /** 1-based column (UTF-16 code units, as editors count) of the first error. */
  readonly column: number;
  /** What the parser expected there, e.g. `expected ':' after a property name`. */
  readonly message: string;
}

const MESSAGES: Partial<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes (no trailing comma)',
  ValueExpected: 'expected a value (no trailing comma)',
  ColonExpected: "expected ':' after a property name",
  CommaExpected: "expected ',' between values",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected text after the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'control character in a string (escape it)',
};

/** The first syntax error jsonc-parser finds in strict JSON mode, or undefined. */
function firstError(text: string): JsonSyntaxProblem | undefined {
  let found: JsonSyntaxProblem | undefined;
  visit(
    text,
    {
      onError: (error: ParseErrorCode, _offset, _length, line, character) => {
        const name = printParseErrorCode(error);
        found ??= { line: line + 1, column: character + 1, message: MESSAGES[name] ?? name };
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return found;
}

/** Line and column (1-based) of a UTF-16 offset. */
function lineColumn(text: string, offset: number): { readonly line: number; readonly column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Parses `text` as JSON: `{ value }` or `{ problem }` with its line, column and a message that quotes
 * none of the text. A leading byte-order mark is refused like any other character JSON does not allow.
 *
 * @example
 * ```ts
 * const parsed = parseJsonText('{ "a" 1 }');
 * // { problem: { line: 1, column: 7, message: "expected ':' after a property name" } }
 * ```
 */
export function parseJsonText(
  text: string,
): { readonly value: unknown; readonly problem?: never } | { readonly problem: JsonSyntaxProblem } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const found = firstError(text);
    if (found !== undefined) return { problem: found };
    // Something V8 refuses that jsonc-parser accepts: use the position V8 gives, never its text.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    const at = lineColumn(text, position === undefined ? text.length : Number(position));
    return { problem: { ...at, message: 'not valid JSON' } };
  }
}
