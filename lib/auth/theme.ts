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
