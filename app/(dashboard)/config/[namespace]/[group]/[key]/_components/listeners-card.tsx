import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { TConfigItemDetail } from "@/lib/config/queries";

/** Who watches the item now and which version each holds (Nacos's listener query). */
export function ListenersCard({ listeners }: { listeners: TConfigItemDetail["listeners"] }) {
  return (
    <Card title={`Listeners (${listeners.length})`} className="mt-6">
      <Table
        head={["Instance", "Address", "Holds", "Should hold", "Last seen"]}
        empty={listeners.length === 0 && <EmptyState>No instance has watched this item in the last minute.</EmptyState>}
      >
        {listeners.map((row) => (
          <tr key={row.instanceId} data-testid={`listener-${row.instanceId}`}>
            <Td className="font-medium">{row.instanceId}</Td>
            <Td className="font-mono text-xs">{row.address ?? "—"}</Td>
            <Td className="tabular-nums">v{row.version}</Td>
            <Td>
              <span className="tabular-nums">v{row.expected}</span>{" "}
              {row.version === row.expected ? <Badge tone="good">up to date</Badge> : <Badge tone="warn">behind</Badge>}{" "}
              {row.inGray && <Badge tone="info">gray</Badge>}
            </Td>
            <Td className="text-xs">
              <TimeAgo at={row.lastSeenAt} />
            </Td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}
