import { describe, expect, test } from "vitest";
import { validateContent } from "./formats";
import { findJsonError } from "./json-error";

describe("validateContent", () => {
  test.each([
    ["json", '{"a": 1, "b": [true, null, "x"]}'],
    ["json", "  42  "],
    ["json", '"\\u00e9\\n"'],
    ["yaml", "a: 1\nb:\n  - x\n  - y\n"],
    ["yaml", ""],
    ["properties", "# comment\nkey = value\nother: \\u00e9\npath=C:\\\\tmp\\\\u"],
    ["text", "anything { at all"],
  ] as const)("accepts valid %s: %s", (format, content) => {
    expect(validateContent({ format, content })).toBeNull();
  });

  test.each([
    ["json", '{"a": 1,}', 1, 9, "a property name"],
    ["json", '{\n  "a": 1\n  "b": 2\n}', 3, 3, "',' or '}'"],
    ["json", "[1, 2", 1, 6, "',' or ']'"],
    ["json", "{'a': 1}", 1, 2, "a property name"],
    ["json", '{"a": tru}', 1, 10, "'true'"],
    ["json", '{"a": 01}', 1, 8, "',' or '}'"],
    ["json", '"tab\there"', 1, 5, "control character"],
    ["json", "", 1, 1, "a value"],
    ["json", "{} {}", 1, 4, "the end of the text"],
    ["yaml", "a: 1\n b: 2\n", 1, 4, "mapping"],
    ["yaml", "a: [1, 2\nb: 3\n", 2, 1, ""],
    ["yaml", "a: 1\na: 2\n", 2, 1, "unique"],
    ["properties", "ok=1\nbad=\\u12G4\n", 2, 5, "four hexadecimal digits"],
  ] as const)("refuses invalid %s %j at line %i, column %i", (format, content, line, column, message) => {
    const problem = validateContent({ format, content });
    expect(problem).toMatchObject({ line, column });
    expect(problem?.message).toContain(message);
  });

  test("the JSON scanner agrees with JSON.parse on what is valid", () => {
    const samples = ['{"a":[1,2,{"b":null}]}', "[-0.5e10, 1E+2, 0]", '{"a":1 "b":2}', "[1,]", '"\\x"', "-", "1.", "nul", '{"a":{"b":[[]]}}', "\u00a0{}"];
    for (const sample of samples) {
      let parses = true;
      try {
        JSON.parse(sample);
      } catch {
        parses = false;
      }
      expect(findJsonError(sample) === null, sample).toBe(parses);
    }
  });
});
