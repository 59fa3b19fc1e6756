import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { getDataPlaneView } from "@/lib/dataplanes/data-plane-view";
import { deleteDataPlane, updateDataPlane } from "@/lib/dataplanes/manage-data-planes";
import { getDataPlane } from "@/lib/dataplanes/queries";
import { ZDataPlaneInput, ZDataPlaneName } from "@/lib/dataplanes/schemas";
import { AppError } from "@/lib/errors";

// GET /api/v1/dataplanes/:name - one data plane and, for HAProxy, per backend its view (read live) beside Meshdeck's
export const GET = apiRoute<RouteContext<"/api/v1/dataplanes/[name]">>({ permission: "dataplanes.read" }, async ({ params }) => {
  // Read as a name first: a NUL byte (which PostgreSQL refuses) or any other junk is a 422, never a query.
  const name = ZDataPlaneName.parse(params.name);
  const dataPlane = await getDataPlane({ name });
  if (!dataPlane) throw new AppError("not_found", `no data plane named '${name}'`, "name");
  return NextResponse.json({ dataPlane, view: await getDataPlaneView(dataPlane) });
});

// PUT /api/v1/dataplanes/:name - change its settings; admins only
export const PUT = apiRoute<RouteContext<"/api/v1/dataplanes/[name]">>({ permission: "dataplanes.manage" }, async ({ request, params, actor }) => {
  await updateDataPlane({ actor, name: ZDataPlaneName.parse(params.name), input: ZDataPlaneInput.parse(await readJson(request)) });
  return NextResponse.json({ ok: true });
});

// DELETE /api/v1/dataplanes/:name - stop driving it (HAProxy keeps its servers as they are); admins only
export const DELETE = apiRoute<RouteContext<"/api/v1/dataplanes/[name]">>({ permission: "dataplanes.manage" }, async ({ params, actor }) => {
  await deleteDataPlane({ actor, name: ZDataPlaneName.parse(params.name) });
  return new Response(null, { status: 204 });
});
