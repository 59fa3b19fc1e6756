// Validation of item content by format, with line and column, the same in the browser (as you type) and on the server.
import { parseDocument } from "yaml";
import type { TFormatProblem } from "./format-problem";
import { findJsonError } from "./json-error";
import type { TConfigFormat } from "../schemas";

/** The first problem in the content for its format; null when it is valid. */
export function validateContent({ format, content }: { format: TConfigFormat; content: string }): TFormatProblem | null {
  if (format === "json") return findJsonError(content);
  if (format === "yaml") return yamlProblem(content);
  if (format === "properties") return propertiesProblem(content);
  return null;
}

export function describeProblem(problem: TFormatProblem): string {
  return `line ${problem.line}, column ${problem.column}: ${problem.message}`;
}

function yamlProblem(content: string): TFormatProblem | null {
  const document = parseDocument(content, { prettyErrors: true, uniqueKeys: true });
  const [error] = document.errors;
  if (!error) return null;
  const [at] = error.linePos ?? [];
  // The library's message repeats the position and a code excerpt after the first line.
  const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return { line: at?.line ?? 1, column: at?.col ?? 1, message };
}

// Java .properties accepts nearly any text; what it refuses is a malformed \uXXXX escape.
function propertiesProblem(content: string): TFormatProblem | null {
  const lines = content.split(/\r\n|\r|\n/);
  for (const [index, line] of lines.entries()) {
    if (/^\s*[#!]/.test(line)) continue;
    const escape = /\\u(?![0-9a-fA-F]{4})/.exec(line.replace(/\\\\/g, "  "));
    if (escape) return { line: index + 1, column: escape.index + 1, message: "\\u must be followed by four hexadecimal digits" };
  }
  return null;
}

/** Bytes of the content as stored and sent (UTF-8). */
export function contentBytes(content: string): number {
  return new TextEncoder().encode(content).length;
}
