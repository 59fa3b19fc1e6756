"use client";

import { RangeLink } from "@/components/time/range-link";
import { useState } from "react";
import { HealthBar } from "@/components/health/health-bar";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Badge, ProtocolBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RegisterFirstService } from "@/components/ui/copy-command";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TServiceSummary } from "@/lib/registry/service-detail";

export function ServicesClient({ initialServices }: { initialServices: TServiceSummary[] }) {
  const live = useLiveQuery({ url: apiUrls.services(), initialData: { services: initialServices } });
  const { data } = live;
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const services = data.services.filter(
    (service) => !needle || service.name.toLowerCase().includes(needle) || service.tags.some((tag) => tag.toLowerCase().includes(needle)),
  );

  return (
    <>
      <PageHeader title="Services" description={`${data.services.length} services in the catalog`} action={<LiveIndicator live={live} />} />
      <Card
        title={
          <input
            type="search"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            placeholder="Filter by name or tag"
            aria-label="Filter services"
            className="w-full max-w-64 rounded-md border border-zinc-300 bg-transparent px-2 py-1 text-sm font-normal focus:border-zinc-500 dark:border-zinc-700"
          />
        }
      >
        <Table
          head={["Service", "Instances passing", "Tags", "Source"]}
          empty={services.length === 0 && (data.services.length ? <EmptyState>No service matches the filter.</EmptyState> : <RegisterFirstService />)}
        >
          {services.map((service) => (
            <tr key={service.name} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
              <Td>
                <RangeLink href={`/services/${encodeURIComponent(service.name)}`} className="font-medium hover:underline">
                  {service.name}
                </RangeLink>
              </Td>
              <Td className="w-72">
                <HealthBar counts={service.instances} />
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  {service.tags.map((tag) => (
                    <Badge key={tag}>{tag}</Badge>
                  ))}
                </div>
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  <Badge tone="info">{service.source}</Badge>
                  {service.protocols.map((protocol) => (
                    <ProtocolBadge key={protocol} protocol={protocol} />
                  ))}
                </div>
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
