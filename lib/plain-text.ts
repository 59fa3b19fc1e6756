import { z } from "zod";

// C0 and C1 control characters (NUL among them: SQLite cuts text at it, PostgreSQL refuses it) and the bidi
// embeddings, overrides and isolates that make text read otherwise than it is stored (U+202A–U+202E, U+2066–U+2069).
const lineBreaks = "\\t\\n\\r";
const controls = (keep: string) => new RegExp(`[^\\P{Cc}${keep}]|[\\u202a-\\u202e\\u2066-\\u2069]`, "u");
const inName = controls("");
const inText = controls(lineBreaks);

function describe(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The first character `text` may not hold, as U+XXXX; null when it is clean. */
export function forbiddenCharacter(text: string, { multiline = false }: { multiline?: boolean } = {}): string | null {
  const match = (multiline ? inText : inName).exec(text);
  return match ? describe(match[0]) : null;
}

/**
 * The one check on free text people type (names, messages, reasons): no control characters and no bidi overrides.
 * `multiline` lets tabs and line breaks through, for messages and reasons.
 */
export function plainTextCheck({ multiline = false }: { multiline?: boolean } = {}) {
  return z.superRefine<string>((value, ctx) => {
    const char = forbiddenCharacter(value, { multiline });
    if (char) ctx.addIssue({ code: "custom", message: `must not hold control or bidi-override characters (found ${char})` });
  });
}

/** For stored content of any kind (config items): everything but NUL, which no database keeps. */
export const noNulCheck = z.superRefine<string>((value, ctx) => {
  if (value.includes("\u0000")) ctx.addIssue({ code: "custom", message: "must not hold the NUL character (U+0000)" });
});
