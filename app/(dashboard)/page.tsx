import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { getEventHighlights } from "@/lib/health/queries";
import { listServices, getOverview } from "@/lib/registry/queries";
import { OverviewClient } from "./page-client";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const [overview, services, highlights] = await Promise.all([getOverview(), listServices(), getEventHighlights()]);
  return <OverviewClient initialOverview={overview} initialServices={services} initialHighlights={highlights} />;
}
