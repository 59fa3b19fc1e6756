import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { ZServiceName } from "@/lib/registry/schemas";
import { ZSetServiceObjectives } from "@/lib/status/objectives";
import { setServiceObjectives } from "@/lib/status/set-service-objectives";

// PUT /api/v1/services/:name/objectives - set its objectives (errorRate, p99Ms, availability; null: the default), audited
export const PUT = apiRoute<RouteContext<"/api/v1/services/[name]/objectives">>({ permission: "services.manage" }, async ({ request, params, actor }) => {
  const name = ZServiceName.parse(params.name);
  const input = ZSetServiceObjectives.parse(await readJson(request));
  return NextResponse.json(await setServiceObjectives({ actor, name, input }));
});
