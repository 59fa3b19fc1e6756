import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EventList, instanceHref } from "@/components/health/event-list";
import { IncidentList } from "@/components/health/incident-list";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getIncident } from "@/lib/incidents/queries";
import { toSearch } from "@/lib/pagination/search-params";
import { maxRangeMs, minRangeMs, timeRangeSearch } from "@/lib/time/range";

export const metadata: Metadata = { title: "Incident" };

/** The console's range around the incident, a few minutes either side (within the longest range), for the link to its charts. */
function rangeAround({ startedAt, endedAt }: { startedAt: string; endedAt: string | null }) {
  const margin = 5 * 60_000;
  const to = (endedAt ? Date.parse(endedAt) : Date.now()) + margin;
  const from = Math.max(Date.parse(startedAt) - margin, to - maxRangeMs);
  return toSearch(timeRangeSearch({ preset: null, from, to: Math.max(to, from + minRangeMs) }));
}

export default async function IncidentPage({ params }: PageProps<"/events/incidents/[id]">) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const { id } = await params;
  const detail = await getIncident({ id: decodeURIComponent(id) }).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const { incident, events, moreEvents } = detail;
  const chartsHref = `${incident.instanceId ? instanceHref(incident.service, incident.instanceId) : `/services/${encodeURIComponent(incident.service)}`}?${rangeAround(incident)}`;
  return (
    <>
      <PageHeader
        title={`Incident: ${incident.instanceId ?? incident.service}`}
        description={
          <>
            <Link href="/events" className="hover:underline">
              Incidents
            </Link>{" "}
            / {incident.service}
          </>
        }
        action={
          <Link href={chartsHref} className="text-sm font-medium hover:underline">
            Charts and health around it →
          </Link>
        }
      />
      <Card className="mb-6">
        <IncidentList incidents={[incident]} />
      </Card>
      {incident.recurring && (
        <Card title={`Each of its ${incident.count.toLocaleString("en-US")} starts`} className="mb-6">
          <ol className="flex flex-wrap gap-2 p-4 text-sm tabular-nums" data-testid="incident-times">
            {incident.times.map((time) => (
              <li key={time} className="rounded bg-zinc-100 px-2 py-0.5 dark:bg-zinc-800">
                {time.slice(0, 10)} {time.slice(11, 19)} UTC
              </li>
            ))}
            {incident.count > incident.times.length && (
              <li className="text-zinc-500 dark:text-zinc-400">and {incident.count - incident.times.length} earlier</li>
            )}
          </ol>
        </Card>
      )}
      <Card title="Its events">
        <EventList events={events} empty="No event of it is kept." />
        {moreEvents && (
          <p className="border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:text-zinc-400 dark:border-zinc-800">The newest 100 are shown.</p>
        )}
      </Card>
    </>
  );
}
