import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { getDataPlaneView } from "@/lib/dataplanes/data-plane-view";
import { deleteDataPlane, updateDataPlane } from "@/lib/dataplanes/manage-data-planes";
import { getDataPlane } from "@/lib/dataplanes/queries";
import { ZDataPlaneInput } from "@/lib/dataplanes/schemas";
import { AppError } from "@/lib/errors";

// GET /api/v1/dataplanes/:name - one data plane and, for HAProxy, per backend its view (read live) beside Meshdeck's
export const GET = apiRoute<RouteContext<"/api/v1/dataplanes/[name]">>({ permission: "dataplanes.read" }, async ({ params }) => {
  const dataPlane = await getDataPlane({ name: params.name });
  if (!dataPlane) throw new AppError("not_found", `no data plane named '${params.name}'`, "name");
  return NextResponse.json({ dataPlane, view: await getDataPlaneView(dataPlane) });
});

// PUT /api/v1/dataplanes/:name - change its settings; admins only
export const PUT = apiRoute<RouteContext<"/api/v1/dataplanes/[name]">>({ permission: "dataplanes.manage" }, async ({ request, params, actor }) => {
  await updateDataPlane({ actor, name: params.name, input: ZDataPlaneInput.parse(await readJson(request)) });
  return NextResponse.json({ ok: true });
});

// DELETE /api/v1/dataplanes/:name - stop driving it (HAProxy keeps its servers as they are); admins only
export const DELETE = apiRoute<RouteContext<"/api/v1/dataplanes/[name]">>({ permission: "dataplanes.manage" }, async ({ params, actor }) => {
  await deleteDataPlane({ actor, name: params.name });
  return new Response(null, { status: 204 });
});
