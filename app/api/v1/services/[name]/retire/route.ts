import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/handler";
import { retireService } from "@/lib/catalog/retire-service";
import { plainTextCheck } from "@/lib/plain-text";
import { ZServiceName } from "@/lib/registry/schemas";

const ZRetire = z.strictObject({
  reason: z.string().trim().min(1, "say why it is retired").max(500, "must be at most 500 characters").check(plainTextCheck()),
});

// POST /api/v1/services/:name/retire - remove a service with no live instances from the catalog, its history kept, audited
export const POST = apiRoute<RouteContext<"/api/v1/services/[name]/retire">>({ permission: "services.manage" }, async ({ request, params, actor }) => {
  const name = ZServiceName.parse(params.name);
  const { reason } = ZRetire.parse(await readJson(request));
  return NextResponse.json(await retireService({ actor, name, reason }));
});
