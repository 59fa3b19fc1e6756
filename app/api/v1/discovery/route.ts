import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getCatalogIndex, waitForChange } from "@/lib/catalog/catalog-index";
import { listDiscoveryCatalog } from "@/lib/registry/queries";
import { ZWatchQuery } from "@/lib/registry/schemas";

// GET /api/v1/discovery?index=N&wait=30s - every service's instances able to take traffic and its policy, for data planes.
// With index, blocks until anything in the catalog changes past it or wait runs out: one watch for a whole fleet.
export const GET = apiRoute({ permission: "services.read" }, async ({ request }) => {
  const query = ZWatchQuery.parse(Object.fromEntries(request.nextUrl.searchParams));
  if (query.index !== undefined) {
    await waitForChange({ index: query.index, waitMs: query.wait, readIndex: getCatalogIndex, signal: request.signal });
  }
  const result = await listDiscoveryCatalog();
  return NextResponse.json(result, { headers: { "X-Meshdeck-Index": String(result.index) } });
});
