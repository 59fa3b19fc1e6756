import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { waitForChange } from "@/lib/catalog/catalog-index";
import { getServiceIndex, listDiscoverableInstances } from "@/lib/registry/queries";
import { ZServiceName, ZWatchQuery } from "@/lib/registry/schemas";

// GET /api/v1/discovery/:name?index=N&wait=30s - instances able to take traffic, with weights and the service's policy.
// With index, blocks until the service changes past it or wait runs out (Consul's blocking query).
export const GET = apiRoute<RouteContext<"/api/v1/discovery/[name]">>({ permission: "services.read" }, async ({ request, params }) => {
  const name = ZServiceName.parse(params.name);
  const query = ZWatchQuery.parse(Object.fromEntries(request.nextUrl.searchParams));
  if (query.index !== undefined) {
    await waitForChange({
      service: name,
      index: query.index,
      waitMs: query.wait,
      readIndex: () => getServiceIndex({ name }),
      signal: request.signal,
    });
  }
  const result = await listDiscoverableInstances({ name });
  return NextResponse.json(result, { headers: { "X-Meshdeck-Index": String(result.index) } });
});
