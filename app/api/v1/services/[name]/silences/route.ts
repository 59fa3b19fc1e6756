import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createSilence, listSilences, ZCreateSilence } from "@/lib/notify/silences";
import { ZServiceName } from "@/lib/registry/schemas";

// GET /api/v1/services/:name/silences - the silences in force on a service
export const GET = apiRoute<RouteContext<"/api/v1/services/[name]/silences">>({ permission: "services.read" }, async ({ params }) =>
  NextResponse.json({ silences: await listSilences({ service: ZServiceName.parse(params.name) }) }),
);

// POST /api/v1/services/:name/silences - hold notifications for the service (or one instance) for a while, with a reason, audited
export const POST = apiRoute<RouteContext<"/api/v1/services/[name]/silences">>({ permission: "services.manage" }, async ({ request, params, actor }) => {
  const service = ZServiceName.parse(params.name);
  const input = ZCreateSilence.parse(await readJson(request));
  return NextResponse.json(await createSilence({ actor, service, input }), { status: 201 });
});
