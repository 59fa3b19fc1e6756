import { z } from "zod";

// A failover event's takeover column: the instances taking traffic afterwards, with their shares.
export const ZTakeover = z.array(z.object({ id: z.string(), weight: z.number(), share: z.number() }));

export type TTakeover = z.infer<typeof ZTakeover>;

export const formatShare = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** "orders-2 50%, orders-3 50%": who takes the traffic now, by share; "... and 30 more" past the largest shares an event keeps. */
export function formatTakeover(takeover: TTakeover, more = 0): string {
  const named = takeover.map(({ id, share }) => `${id} ${formatShare(share)}`).join(", ");
  return more > 0 ? `${named} and ${more.toLocaleString("en-US")} more` : named;
}
