import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { deleteSource, updateSource } from "@/lib/sources/manage-sources";
import { getSourceView } from "@/lib/sources/queries";
import { ZSourceInput } from "@/lib/sources/schemas";

// GET /api/v1/sources/:name - one source and its state
export const GET = apiRoute<RouteContext<"/api/v1/sources/[name]">>({ permission: "sources.read" }, async ({ params }) => {
  const source = await getSourceView(params.name);
  if (!source) throw new AppError("not_found", `no source named '${params.name}'`, "name");
  return NextResponse.json({ source });
});

// PUT /api/v1/sources/:name - change its settings (a password left out is kept); admins only
export const PUT = apiRoute<RouteContext<"/api/v1/sources/[name]">>({ permission: "sources.manage" }, async ({ request, params, actor }) => {
  await updateSource({ actor, name: params.name, input: ZSourceInput.parse(await readJson(request)) });
  return NextResponse.json({ ok: true });
});

// DELETE /api/v1/sources/:name - stop reading it and forget its instances (the registry is not touched); admins only
export const DELETE = apiRoute<RouteContext<"/api/v1/sources/[name]">>({ permission: "sources.manage" }, async ({ params, actor }) => {
  await deleteSource({ actor, name: params.name });
  return new Response(null, { status: 204 });
});
