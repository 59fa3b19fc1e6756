import { z } from "zod";

// "system" follows the browser's prefers-color-scheme; the other two are fixed whatever the browser says.
export const themes = ["light", "dark", "system"] as const;
export const ZTheme = z.enum(themes);
export type TTheme = z.infer<typeof ZTheme>;

/** A stored value read back: anything unknown (an older row, a hand edit) is "system". */
export function themeOf(value: string | null | undefined): TTheme {
  const parsed = ZTheme.safeParse(value);
  return parsed.success ? parsed.data : "system";
}

/** The class on <html> that globals.css reads: "dark", "light", or "theme-system" for the browser's choice. */
export function themeClass(theme: TTheme): string {
  return theme === "system" ? "theme-system" : theme;
}
