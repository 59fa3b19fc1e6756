import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { ZTheme, type TTheme } from "./theme-names";

export const ZSetTheme = z.strictObject({ theme: ZTheme });

/** Keeps the theme a user chose; every page after is rendered in it. */
export async function setUserTheme({ userId, theme }: { userId: string; theme: TTheme }): Promise<TTheme> {
  await db.user.update({ where: { id: userId }, data: { theme }, select: { id: true } });
  return theme;
}

export const ZSetZone = z.strictObject({ utc: z.boolean() });

/** Keeps whether a user reads times in UTC or in the browser's zone; every browser they sign in from follows it. */
export async function setUserZone({ userId, utc }: { userId: string; utc: boolean }): Promise<boolean> {
  await db.user.update({ where: { id: userId }, data: { zone: utc ? "utc" : "local" }, select: { id: true } });
  return utc;
}
