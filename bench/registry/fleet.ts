// The fleet bench:registry registers: one big service (a tenth of the fleet, at most 1,000 instances) for the
// discovery of a large service, the rest spread evenly over the other services.
export type TFleet = { instances: number; services: number };

export const bigService = "svc-big";

export function bigServiceSize({ instances, services }: TFleet): number {
  return services > 1 ? Math.min(1000, Math.floor(instances / 10)) : instances;
}

export function instanceAt(fleet: TFleet, k: number): { id: string; service: string } {
  const big = bigServiceSize(fleet);
  const service = k < big ? bigService : `svc-${String((k - big) % (fleet.services - 1)).padStart(4, "0")}`;
  return { id: `i-${String(k).padStart(5, "0")}`, service };
}

/** A registration body: a TTL check (no probe reaches the made-up 10.x addresses) and no metrics scrape. */
export function registrationBody(fleet: TFleet, k: number, ttl: string): string {
  const { id, service } = instanceAt(fleet, k);
  const host = `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
  return JSON.stringify({ service, id, host, port: 8080, check: { kind: "ttl", ttl, deregisterAfter: null }, metrics: null });
}
