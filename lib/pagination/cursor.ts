import { z } from "zod";

// A page of a newest-first list (events, audit): how long it is and where the next one starts. Pure: the browser uses the types.

export const pageSize = 50;

/** `limit`: how many rows a page holds. */
export const ZPageLimit = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be 1-200")
  .max(200, "must be 1-200")
  .default(pageSize);

// The more pages than this, the more a search or filter helps: a page number stays bounded.
const maxPage = 1000;

/** `page`: which page of a numbered list (services, config items), from 1. */
export const ZPageNumber = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, `must be 1-${maxPage}`)
  .max(maxPage, `must be 1-${maxPage}`)
  .default(1);

/** A page boundary: the time and id of the last row shown, newest first. */
export type TCursor = { at: Date; id: string };

/** The cursor as a client holds it: opaque to it, handed back as it came. */
export function encodeCursor({ at, id }: TCursor): string {
  return `${at.getTime()}_${id}`;
}

/** The cursor `encodeCursor` wrote, or null for anything else. */
export function decodeCursor(value: string): TCursor | null {
  const match = /^(\d{1,15})_([A-Za-z0-9-]{1,64})$/.exec(value);
  if (!match?.[1] || !match[2]) return null;
  return { at: new Date(Number(match[1])), id: match[2] };
}

/** A cursor parameter; a bad one is a validation failure naming the parameter, never a crash. */
export const ZCursor = z.string().transform((value, ctx): TCursor => {
  const cursor = decodeCursor(value);
  if (cursor) return cursor;
  ctx.addIssue({ code: "custom", message: "must be a cursor from a previous page's nextCursor" });
  return z.NEVER;
});

// Newest first, ties broken by id, so a cursor names one place in the list.
export const newestFirst = [{ at: "desc" }, { id: "desc" }] satisfies { at?: "desc"; id?: "desc" }[];

/** The rows after the cursor in `newestFirst` order, as a Prisma where clause; everything without one. */
export function olderThan(cursor: TCursor | undefined) {
  if (!cursor) return {};
  return { OR: [{ at: { lt: cursor.at } }, { at: cursor.at, id: { lt: cursor.id } }] };
}
