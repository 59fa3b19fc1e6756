import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SkeletonBoundary } from "@/components/ui/page-skeleton";
import { can } from "@/lib/auth/permissions";
import type { TRole } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getServiceHealthHistory } from "@/lib/health/queries";
import { getServiceChart } from "@/lib/metrics/chart/chart-query";
import type { TChartSeriesOf } from "@/lib/metrics/views";
import { listServiceConfig } from "@/lib/config/service-config";
import { listSilences } from "@/lib/notify/silences";
import { getServiceOrThrow, hasService } from "@/lib/registry/service-detail";
import { ZServiceName } from "@/lib/registry/schemas";
import { getServiceStatus } from "@/lib/status/queries";
import { defaultTimeRange, readTimeRange } from "@/lib/time/range";
import { tablePageSize, timelinesShown } from "./_components/page-sizes";
import { ServiceClient } from "./page-client";

type TProps = PageProps<"/services/[name]">;

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

async function ServiceView({ params, searchParams, role }: TProps & { role: TRole }) {
  const name = decodeURIComponent((await params).name);
  const search = await searchParams;
  const { callee } = search;
  // A topology edge links here with ?callee=<name>: the charts open on that edge.
  const of: TChartSeriesOf =
    typeof callee === "string" && ZServiceName.safeParse(callee).success ? { scope: "edge", caller: name, callee } : { scope: "service" };
  // The console's range (?range=24h, ?from=&to=); what cannot be read falls back to the last hour, and the page says why.
  const range = readTimeRange(search).range ?? defaultTimeRange;
  const [service, history, chart, silences, config, status] = await Promise.all([
    getServiceOrThrow({ name, query: { limit: tablePageSize } }),
    getServiceHealthHistory({ name, range, query: { limit: timelinesShown } }),
    getServiceChart({ service: name, range, of }),
    listSilences({ service: name }),
    listServiceConfig({ service: name }),
    getServiceStatus({ name }),
  ]).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  // The controls follow the role; the server actions check it again whatever the page shows.
  const canGovern = can({ role, permission: "governance.change" });
  const canManage = can({ role, permission: "services.manage" });
  return (
    <ServiceClient
      initialService={service}
      initialHistory={history}
      initialChart={chart}
      initialSilences={silences}
      config={config}
      initialStatus={status}
      canGovern={canGovern}
      canManage={canManage}
    />
  );
}

export default async function ServicePage(props: TProps) {
  const user = await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  // Decided before anything streams: an unknown service answers 404, not a 200 that carries the not-found page.
  if (!(await hasService({ name: decodeURIComponent((await props.params).name) }))) notFound();
  return (
    <SkeletonBoundary>
      <ServiceView {...props} role={user.role} />
    </SkeletonBoundary>
  );
}
