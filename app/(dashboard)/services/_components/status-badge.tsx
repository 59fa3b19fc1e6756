import { Badge, type TTone } from "@/components/ui/badge";
import type { TServiceStatus } from "@/lib/status/objectives";

const tones: Record<TServiceStatus, TTone> = { failing: "bad", degraded: "warn", healthy: "good", idle: "neutral" };

/** A service's status, its reason on hover. */
export function StatusBadge({ status, reason }: { status: TServiceStatus; reason: string }) {
  return (
    <Badge tone={tones[status]} title={reason}>
      <span aria-hidden className="size-1.5 rounded-full bg-current" />
      {status}
    </Badge>
  );
}
