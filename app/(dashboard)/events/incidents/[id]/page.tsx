import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EventList } from "@/components/health/event-list";
import { IncidentList } from "@/components/health/incident-list";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { timelineRangeNames, timelineRanges } from "@/lib/health/timeline";
import { getIncident } from "@/lib/incidents/queries";

export const metadata: Metadata = { title: "Incident" };

/** The shortest timeline range that reaches back to the incident's start, for the link to its charts. */
function rangeCovering(startedAt: string) {
  const age = Date.now() - Date.parse(startedAt);
  return timelineRangeNames.find((range) => timelineRanges[range] >= age * 1.2) ?? "30d";
}

export default async function IncidentPage({ params }: PageProps<"/events/incidents/[id]">) {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const { id } = await params;
  const detail = await getIncident({ id: decodeURIComponent(id) }).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const { incident, events, moreEvents } = detail;
  const range = rangeCovering(incident.startedAt);
  const chartsHref = `/services/${encodeURIComponent(incident.service)}?range=${range}${incident.instanceId ? `#instance-${incident.instanceId}` : ""}`;
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
            {incident.count > incident.times.length && <li className="text-zinc-500">and {incident.count - incident.times.length} earlier</li>}
          </ol>
        </Card>
      )}
      <Card title="Its events">
        <EventList events={events} empty="No event of it is kept." />
        {moreEvents && <p className="border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">The newest 100 are shown.</p>}
      </Card>
    </>
  );
}
