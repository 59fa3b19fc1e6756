import "server-only";
import { enabledWhere } from "@/lib/catalog/traffic-state";
import type { Prisma } from "@/lib/db";
import { isPostgres } from "@/lib/env";
import type { TInstanceFilter } from "./instance-page";

// SQLite's LIKE ignores ASCII case already; PostgreSQL is told to, so a search finds the same on both.
export function containing(text: string): Prisma.StringFilter {
  return (isPostgres() ? { contains: text, mode: "insensitive" } : { contains: text }) as Prisma.StringFilter;
}

/** The filter as a where clause, so a page, a count and a governance selector all pick the same instances in SQL. */
export function instanceWhere({ q, health, enabled, tag }: TInstanceFilter): Prisma.InstanceWhereInput {
  const all: Prisma.InstanceWhereInput[] = [];
  // Tags are stored as a JSON array of strings: a tag matches as its quoted self, a search as any part of the text.
  if (q !== undefined) all.push({ OR: [{ instanceId: containing(q) }, { host: containing(q) }, { tags: containing(q) }] });
  if (tag !== undefined) all.push({ tags: { contains: JSON.stringify(tag) } });
  if (health !== undefined) all.push({ health });
  if (enabled !== undefined) all.push(enabledWhere(enabled));
  return all.length > 0 ? { AND: all } : {};
}
