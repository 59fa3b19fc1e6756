import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { listConfigItems } from "@/lib/config/queries";
import { ZNamespaceName } from "@/lib/config/schemas";

const ZListQuery = z.strictObject({ namespace: ZNamespaceName, q: z.string().max(200, "must be at most 200 characters").optional() });

// GET /api/v1/config?namespace=dev[&q=orders] - a namespace's items with format, version, last author and time (console).
export const GET = apiRoute({ permission: "config.browse" }, async ({ request }) => {
  const query = ZListQuery.parse(Object.fromEntries(request.nextUrl.searchParams));
  return NextResponse.json({ namespace: query.namespace, items: await listConfigItems(query) });
});
