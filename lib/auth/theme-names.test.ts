import { describe, expect, test } from "vitest";
import { themeClass, themeOf, ZTheme } from "./theme-names";

describe("themes", () => {
  test.each([
    ["light", "light", "light"],
    ["dark", "dark", "dark"],
    ["system", "system", "theme-system"],
    ["sepia", "system", "theme-system"],
    [null, "system", "theme-system"],
  ] as const)("a stored %s is read as %s, drawn with class %s", (stored, theme, className) => {
    expect(themeOf(stored)).toBe(theme);
    expect(themeClass(themeOf(stored))).toBe(className);
  });

  test("the action's schema takes only the three names", () => {
    expect(ZTheme.safeParse("dark").success).toBe(true);
    expect(ZTheme.safeParse("Dark").success).toBe(false);
    expect(ZTheme.safeParse("").success).toBe(false);
  });
});
