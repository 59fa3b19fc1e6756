import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { objectivesOf, serviceStatuses, type TServiceStatus } from "./objectives";

// How many status changes a service's answer holds: its recent history, bounded.
const historyShown = 20;

const asStatus = (text: string): TServiceStatus => ((serviceStatuses as readonly string[]).includes(text) ? (text as TServiceStatus) : "idle");

/** A service's objectives, its status as last computed (null before the collector's first turn) and its latest changes. */
export async function getServiceStatus({ name }: { name: string }) {
  const service = await db.service.findUnique({
    where: { name },
    select: { errorRateObjective: true, p99ObjectiveMs: true, availabilityObjective: true, status: true },
  });
  if (!service) throw new AppError("not_found", `service '${name}' is not registered`, "name");
  const history = await db.serviceStatusChange.findMany({ where: { service: name }, orderBy: { at: "desc" }, take: historyShown });
  const { status } = service;
  return {
    service: name,
    objectives: objectivesOf(service),
    status: status && {
      status: asStatus(status.status),
      since: status.since.toISOString(),
      reason: status.reason,
      signals: { rps: status.rps, errorRate: status.errorRate, p50: status.p50Ms, p99: status.p99Ms, availability: status.availability },
      at: status.at.toISOString(),
    },
    history: history.map((change) => ({ from: asStatus(change.from), to: asStatus(change.to), reason: change.reason, at: change.at.toISOString() })),
  };
}
export type TServiceStatusView = Awaited<ReturnType<typeof getServiceStatus>>;
