import type { Metadata } from "next";
import { getEventHighlights } from "@/lib/health/queries";
import { listServices, getOverview } from "@/lib/registry/queries";
import { OverviewClient } from "./page-client";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const [overview, services, highlights] = await Promise.all([getOverview(), listServices(), getEventHighlights()]);
  return <OverviewClient initialOverview={overview} initialServices={services} initialHighlights={highlights} />;
}
