import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { changeInstances } from "@/lib/governance/change-instances";
import { ZChangeInstances } from "@/lib/governance/schemas";

// POST /api/v1/governance/instances - set weight / enabled (or reset) on selected instances, audited: operators, admins, and
// tokens granted governance.change for every service the selection reaches (a CI pipeline draining before a deploy).
export const POST = apiRoute({ permission: "governance.change" }, async ({ request, actor }) => {
  const input = ZChangeInstances.parse(await readJson(request));
  return NextResponse.json(await changeInstances({ actor, input }));
});
