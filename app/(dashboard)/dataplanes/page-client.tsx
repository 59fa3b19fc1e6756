"use client";

import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Badge, type TTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { apiUrls } from "@/lib/clients/api-urls";
import type { THaproxyView } from "@/lib/dataplanes/haproxy/backend-view";
import type { TDataPlaneView } from "@/lib/dataplanes/queries";
import { BackendTable } from "./_components/backend-table";

type TPlane = { dataPlane: TDataPlaneView; view: THaproxyView };

const tones: Record<string, TTone> = { connected: "good", stale: "warn", pending: "neutral", disabled: "neutral" };

export function DataPlanesClient({ initial }: { initial: TPlane[] }) {
  return (
    <>
      <PageHeader
        title="Data planes"
        description="Proxies Meshdeck drives from the catalog. For HAProxy, each backend shows HAProxy's own view (read live from its Runtime API) beside Meshdeck's; differences are highlighted."
      />
      {initial.length === 0 ? (
        <Card>
          <EmptyState>No data planes yet. An administrator adds one with POST /api/v1/dataplanes (see docs/dataplanes.md).</EmptyState>
        </Card>
      ) : (
        <div className="flex flex-col gap-6">
          {initial.map((plane) => (
            <DataPlaneCard key={plane.dataPlane.name} initial={plane} />
          ))}
        </div>
      )}
    </>
  );
}

function DataPlaneCard({ initial }: { initial: TPlane }) {
  const live = useLiveQuery({ url: apiUrls.dataPlane(initial.dataPlane.name), initialData: initial, intervalMs: 2000 });
  const { data } = live;
  const { dataPlane, view } = data;
  return (
    <Card
      title={
        <span className="flex flex-wrap items-center gap-2" data-testid={`dataplane-${dataPlane.name}`}>
          {dataPlane.name}
          <Badge>{dataPlane.kind}</Badge>
          <Badge tone={tones[dataPlane.status] ?? "neutral"} title={dataPlane.error ?? undefined}>
            {dataPlane.status}
            {dataPlane.status === "stale" && dataPlane.staleSince && (
              <span className="font-normal">
                {" "}
                since <TimeAgo at={dataPlane.staleSince} />
              </span>
            )}
          </Badge>
          <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">
            {dataPlane.address} · health by {dataPlane.healthMode} · {dataPlane.kind === "nginx" ? "upstreams" : "backends"}{" "}
            {dataPlane.backends ? "as mapped" : "named for their service"}
          </span>
        </span>
      }
      action={<LiveIndicator live={live} />}
    >
      {dataPlane.error && <p className="px-4 pt-3 text-xs text-amber-700 dark:text-amber-400">{dataPlane.error}</p>}
      {dataPlane.kind === "nginx" ? (
        <EmptyState>
          nginx: an upstream per service is rendered into {dataPlane.address} (in MESHDECK_NGINX_DIR), tested with nginx -t and reloaded gracefully, at most
          once a second.
        </EmptyState>
      ) : !view.reachable ? (
        <EmptyState>HAProxy does not answer: {view.error}</EmptyState>
      ) : view.backends.length === 0 ? (
        <EmptyState>No backend of this HAProxy is named for a service{view.missing.length ? `; missing: ${view.missing.join(", ")}` : ""}.</EmptyState>
      ) : (
        <div className="flex flex-col gap-4 p-4">
          {view.backends.map((backend) => (
            <BackendTable key={backend.backend} backend={backend} />
          ))}
          {view.totalBackends > view.backends.length && (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              {view.backends.length} of {view.totalBackends} backends shown.
            </p>
          )}
        </div>
      )}
    </Card>
  );
}
