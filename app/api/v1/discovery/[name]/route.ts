import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ZDuration } from "@/lib/duration";
import { waitForChange } from "@/lib/registry/catalog-index";
import { getServiceIndex, listDiscoverableInstances } from "@/lib/registry/queries";
import { ZServiceName } from "@/lib/registry/schemas";

const ZWatch = z.strictObject({
  index: z.coerce.number().int().min(0, "must be 0 or more").optional(),
  wait: ZDuration.pipe(z.number().min(0).max(300_000, "must be at most 5m")).default(30_000),
});

// GET /api/v1/discovery/:name?index=N&wait=30s - instances able to take traffic, with weights.
// With index, blocks until the service changes past it or wait runs out (Consul's blocking query).
export const GET = apiRoute<{ name: string }>({}, async ({ request, params }) => {
  const name = ZServiceName.parse(params.name);
  const query = ZWatch.parse(Object.fromEntries(request.nextUrl.searchParams));
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
