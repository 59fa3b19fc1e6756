import { describe, expect, test } from "vitest";
import { z } from "zod";
import { forbiddenCharacter, noNulCheck, plainTextCheck } from "./plain-text";

describe("plain text", () => {
  test.each([
    ["a\u0000b", "U+0000"],
    ["tab\there", "U+0009"],
    ["line\nbreak", "U+000A"],
    ["del\u007f", "U+007F"],
    ["c1\u0085", "U+0085"],
    ["\u202eevil", "U+202E"],
    ["\u202a", "U+202A"],
    ["iso\u2066late", "U+2066"],
    ["\u2069", "U+2069"],
  ])("a name refuses %j", (text, char) => {
    expect(forbiddenCharacter(text)).toBe(char);
    const issue = z.object({ name: z.string().check(plainTextCheck()) }).safeParse({ name: text }).error?.issues[0];
    expect(issue?.path).toEqual(["name"]);
    expect(issue?.message).toContain(char);
  });

  test.each(["orders", "Zoë Müller", "中文 名前", "emoji 🚀", "a-b_c.d"])("a name takes %j", (text) => {
    expect(forbiddenCharacter(text)).toBeNull();
  });

  test("a message keeps tabs and line breaks, not NUL or overrides", () => {
    const ZMessage = z.string().check(plainTextCheck({ multiline: true }));
    expect(ZMessage.safeParse("first line\n\tsecond\r\n").success).toBe(true);
    expect(ZMessage.safeParse("a\u0000").success).toBe(false);
    expect(ZMessage.safeParse("a\u202e").success).toBe(false);
  });

  test("content refuses only NUL", () => {
    const ZContent = z.string().check(noNulCheck);
    expect(ZContent.safeParse("key=\u0007\u202e\n").success).toBe(true);
    expect(ZContent.safeParse("a\u0000").success).toBe(false);
  });
});
