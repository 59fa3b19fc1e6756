import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { listConfigItems } from "@/lib/config/queries";
import { ZNamespaceName } from "@/lib/config/schemas";
import { parseSearch } from "@/lib/pagination/search-params";
import { plainTextCheck } from "@/lib/plain-text";

const ZListQuery = z.strictObject({ namespace: ZNamespaceName, q: z.string().max(200, "must be at most 200 characters").check(plainTextCheck()).optional() });

// GET /api/v1/config?namespace=dev[&q=orders] - a namespace's items with format, version, last author and time (console).
export const GET = apiRoute({ permission: "config.browse" }, async ({ request }) => {
  const query = parseSearch(ZListQuery, request.nextUrl.searchParams);
  return NextResponse.json({ namespace: query.namespace, items: await listConfigItems(query) });
});
