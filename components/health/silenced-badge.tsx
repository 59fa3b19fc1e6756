import { Badge } from "@/components/ui/badge";

/** Marks an event or incident an operator silenced: it still shows, but sends no notification. */
export function SilencedBadge() {
  return (
    <Badge tone="warn" title="An operator silenced this: no notification is sent">
      silenced
    </Badge>
  );
}
