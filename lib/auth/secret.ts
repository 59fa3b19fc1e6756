import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";

const key = "auth_secret";
let cached: string | undefined;

// AUTH_SECRET when given; otherwise one generated on first start and kept in the database,
// so every app process signs sessions with the same secret and restarts keep users signed in.
export async function getAuthSecret(): Promise<string> {
  if (cached) return cached;
  const fromEnv = getEnv().AUTH_SECRET;
  if (fromEnv) return (cached = fromEnv);
  const stored = await db.setting.findUnique({ where: { key } });
  if (stored) return (cached = stored.value);
  await db.setting.createMany({ data: [{ key, value: randomBytes(48).toString("base64url") }] }).catch(() => undefined);
  const kept = await db.setting.findUniqueOrThrow({ where: { key } });
  return (cached = kept.value);
}
