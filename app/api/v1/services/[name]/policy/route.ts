import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { ZSetServicePolicy } from "@/lib/governance/schemas";
import { setServicePolicy } from "@/lib/governance/set-service-policy";
import { ZServiceName } from "@/lib/registry/schemas";

// PUT /api/v1/services/:name/policy - set the load-balancing policy, hash header and protection threshold, audited.
export const PUT = apiRoute<RouteContext<"/api/v1/services/[name]/policy">>({ permission: "governance.change" }, async ({ request, params, actor }) => {
  const name = ZServiceName.parse(params.name);
  const input = ZSetServicePolicy.parse(await readJson(request));
  return NextResponse.json(await setServicePolicy({ actor, name, input }));
});
