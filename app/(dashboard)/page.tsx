import type { Metadata } from "next";
import { listServices, getOverview } from "@/lib/registry/queries";
import { OverviewClient } from "./page-client";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const [overview, services] = await Promise.all([getOverview(), listServices()]);
  return <OverviewClient initialOverview={overview} initialServices={services} />;
}
