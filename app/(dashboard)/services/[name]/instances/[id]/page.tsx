import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { pageSize } from "@/lib/pagination/cursor";
import { getServiceHealthHistory, listEvents } from "@/lib/health/queries";
import { getServiceChart } from "@/lib/metrics/chart/chart-query";
import { getServiceInstanceOrThrow } from "@/lib/registry/instance-detail";
import { ZInstanceId, ZServiceName } from "@/lib/registry/schemas";
import { defaultTimeRange, readTimeRange } from "@/lib/time/range";
import { InstanceClient } from "./page-client";

type TProps = PageProps<"/services/[name]/instances/[id]">;

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: decodeURIComponent((await params).id) };
}

// One instance: its health, signals, events, overrides and the config it holds, over the console's range.
export default async function InstancePage({ params, searchParams }: TProps) {
  const user = await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const raw = await params;
  const name = ZServiceName.safeParse(decodeURIComponent(raw.name));
  const id = ZInstanceId.safeParse(decodeURIComponent(raw.id));
  if (!name.success || !id.success) notFound();
  const range = readTimeRange(await searchParams).range ?? defaultTimeRange;
  const [detail, history, chart, events] = await Promise.all([
    getServiceInstanceOrThrow({ name: name.data, instanceId: id.data }),
    getServiceHealthHistory({ name: name.data, range, instanceId: id.data }),
    getServiceChart({ service: name.data, range, of: { scope: "instance", instanceId: id.data } }),
    listEvents({ filters: { service: name.data, range, limit: pageSize }, instanceId: id.data }),
  ]).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <InstanceClient
      detail={detail}
      initialHistory={history}
      initialChart={chart}
      events={events.events}
      canGovern={can({ role: user.role, permission: "governance.change" })}
    />
  );
}
