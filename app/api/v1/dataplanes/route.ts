import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createDataPlane } from "@/lib/dataplanes/manage-data-planes";
import { listDataPlanes } from "@/lib/dataplanes/queries";
import { ZDataPlaneInput } from "@/lib/dataplanes/schemas";

// GET /api/v1/dataplanes - the proxies Meshdeck drives and their state (connected, stale, last seen, error)
export const GET = apiRoute({ permission: "dataplanes.read" }, async () => NextResponse.json({ dataPlanes: await listDataPlanes() }));

// POST /api/v1/dataplanes - add a HAProxy (Runtime API) or an nginx (rendered upstreams); admins only
export const POST = apiRoute({ permission: "dataplanes.manage" }, async ({ request, actor }) => {
  const dataPlane = await createDataPlane({ actor, input: ZDataPlaneInput.parse(await readJson(request)) });
  return NextResponse.json({ dataPlane }, { status: 201 });
});
