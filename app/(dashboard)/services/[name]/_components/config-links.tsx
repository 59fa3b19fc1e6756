import { RangeLink } from "@/components/time/range-link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/table";
import type { TServiceConfig } from "@/lib/config/service-config";

const itemHref = ({ namespace, group, key }: { namespace: string; group: string; key: string }) =>
  `/config/${[namespace, group, key].map(encodeURIComponent).join("/")}`;

/** The config items of the service's group, each a link to its page (history, gray release, who holds which version). */
export function ConfigLinks({ service, config }: { service: string; config: TServiceConfig }) {
  return (
    <Card
      title="Config"
      className="mt-6"
      action={
        <RangeLink href={`/config?q=${encodeURIComponent(service)}`} className="text-xs font-medium hover:underline">
          All config →
        </RangeLink>
      }
    >
      {config.items.length === 0 ? (
        <EmptyState>No config item has the group {service}.</EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="service-config">
          {config.items.map((item) => (
            <li key={`${item.namespace}/${item.key}`} className="flex flex-wrap items-center gap-2 px-4 py-2">
              <RangeLink href={itemHref(item)} className="font-mono text-xs hover:underline">
                {item.namespace}/{item.group}/{item.key}
              </RangeLink>
              <Badge>{item.format}</Badge>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">v{item.version}</span>
            </li>
          ))}
          {config.more && <li className="px-4 py-2 text-xs text-zinc-500 dark:text-zinc-400">More in the config page.</li>}
        </ul>
      )}
    </Card>
  );
}
