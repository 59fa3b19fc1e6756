import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { getDataPlaneView } from "@/lib/dataplanes/data-plane-view";
import { listDataPlanes } from "@/lib/dataplanes/queries";
import { DataPlanesClient } from "./page-client";

export const metadata: Metadata = { title: "Data planes" };

export default async function DataPlanesPage() {
  await requirePageUser({ permission: "dataplanes.read" });
  const dataPlanes = await listDataPlanes();
  // HAProxy's own view, read live from each Runtime API (a handful of data planes, each bounded by backend-view).
  const views = await Promise.all(dataPlanes.map(async (dataPlane) => ({ dataPlane, view: await getDataPlaneView(dataPlane) })));
  return <DataPlanesClient initial={views} />;
}
