// Where JSON text goes wrong, by line and column: JSON.parse's messages carry no position in some engines.
import type { TFormatProblem } from "./format-problem";

class JsonSyntax extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

const describeChar = (text: string, at: number) => (at >= text.length ? "the end of the text" : `'${text[at]}'`);

/** A strict JSON scanner (RFC 8259): the first syntax error's position, or null when the text is valid JSON. */
export function findJsonError(text: string): TFormatProblem | null {
  let at = 0;
  const fail = (expected: string): never => {
    throw new JsonSyntax(at, `expected ${expected}, found ${describeChar(text, at)}`);
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at]!)) at += 1;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[at] !== char) fail(`'${word}'`);
      at += 1;
    }
  };
  const string = () => {
    at += 1;
    for (;;) {
      const char = text[at];
      if (char === undefined) throw new JsonSyntax(at, "unterminated string");
      if (char === '"') return void (at += 1);
      if (char < " ") throw new JsonSyntax(at, "control character in a string (escape it)");
      if (char === "\\") {
        at += 1;
        const escaped = text[at];
        if (escaped === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) throw new JsonSyntax(at, "\\u must be followed by four hexadecimal digits");
          at += 5;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) throw new JsonSyntax(at, `invalid escape '\\${escaped ?? ""}'`);
      }
      at += 1;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match || match[0] === "-") fail("a value");
    at += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) throw new JsonSyntax(at, "nested too deeply");
    space();
    const char = text[at];
    if (char === "{")
      return members(depth, "}", () => {
        if (text[at] !== '"') fail("a property name in double quotes");
        string();
        space();
        if (text[at] !== ":") fail("':'");
        at += 1;
        value(depth + 1);
      });
    if (char === "[") return members(depth, "]", () => value(depth + 1));
    if (char === '"') return string();
    if (char === "t") return literal("true");
    if (char === "f") return literal("false");
    if (char === "n") return literal("null");
    number();
  };
  const members = (depth: number, close: string, member: () => void) => {
    at += 1;
    space();
    if (text[at] === close) return void (at += 1);
    for (;;) {
      space();
      member();
      space();
      if (text[at] === ",") {
        at += 1;
        continue;
      }
      if (text[at] === close) return void (at += 1);
      fail(`',' or '${close}'`);
    }
  };
  try {
    value(0);
    space();
    if (at < text.length) fail("the end of the text");
    return null;
  } catch (error) {
    if (!(error instanceof JsonSyntax)) throw error;
    const before = text.slice(0, error.at).split(/\r\n|\r|\n/);
    return { line: before.length, column: before.at(-1)!.length + 1, message: error.message };
  }
}
