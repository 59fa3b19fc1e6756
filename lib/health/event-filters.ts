import { z } from "zod";
import { AppError } from "@/lib/errors";
import { ZServiceName } from "@/lib/registry/schemas";
import { timelineRangeNames } from "./timeline";

// The kinds the events page and GET /api/v1/events know; the first four are FailoverEvent kinds.
export const eventKinds = ["failover", "recovery", "outage", "outage-end", "flapping", "health"] as const;
export type TEventKind = (typeof eventKinds)[number];
export const failoverKinds = ["failover", "recovery", "outage", "outage-end"] as const;

export const eventPageSize = 50;

/** A page boundary: the time and id of the last event shown, newest first. */
export type TEventCursor = { at: Date; id: string };

export function encodeCursor({ at, id }: TEventCursor): string {
  return `${at.getTime()}_${id}`;
}

const ZCursor = z
  .string()
  .regex(/^\d{1,15}_[A-Za-z0-9-]{1,64}$/, "must be a cursor from a previous page's nextCursor")
  .transform((value): TEventCursor => {
    const [at = "0", id = ""] = value.split("_");
    return { at: new Date(Number(at)), id };
  });

const ZKinds = z.string().transform((value, ctx) => {
  const kinds = value.split(",").filter(Boolean);
  const unknown = kinds.find((kind) => !(eventKinds as readonly string[]).includes(kind));
  if (kinds.length === 0 || unknown !== undefined) {
    ctx.addIssue({ code: "custom", message: `'${unknown ?? value}' is not a kind; use ${eventKinds.join(", ")}, comma separated` });
    return z.NEVER;
  }
  return kinds as TEventKind[];
});

/** Query parameters of GET /api/v1/events (and of the events page's URL). */
export const ZEventFilters = z
  .object({
    service: ZServiceName.optional(),
    kind: ZKinds.optional(),
    range: z.enum(timelineRangeNames, { error: `must be one of ${timelineRangeNames.join(", ")}` }).optional(),
    before: ZCursor.optional(),
    limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1-200").max(200, "must be 1-200").default(eventPageSize),
  })
  .strict();

export type TEventFilters = z.output<typeof ZEventFilters>;

/** Reads URL search params; a parameter given twice is refused rather than silently picked. */
export function parseEventFilters(params: URLSearchParams): TEventFilters {
  const entries: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in entries) throw new AppError("validation_failed", `${key}: must be given once`, key);
    if (value !== "") entries[key] = value;
  }
  return ZEventFilters.parse(entries);
}
