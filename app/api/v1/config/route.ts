import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { listConfigItems } from "@/lib/config/queries";
import { ZNamespaceName } from "@/lib/config/schemas";
import { ZNumberedPage } from "@/lib/pagination/numbered";
import { parseSearch } from "@/lib/pagination/search-params";
import { plainTextCheck } from "@/lib/plain-text";

const ZListQuery = z.strictObject({
  namespace: ZNamespaceName,
  q: z.string().max(200, "must be at most 200 characters").check(plainTextCheck()).optional(),
  ...ZNumberedPage,
});

// GET /api/v1/config?namespace=dev[&q=orders][&page=2][&limit=50] - a page of a namespace's items with format, version,
// last author and time (console), and how many there are.
export const GET = apiRoute({ permission: "config.browse" }, async ({ request }) => {
  const query = parseSearch(ZListQuery, request.nextUrl.searchParams);
  return NextResponse.json({ namespace: query.namespace, ...(await listConfigItems(query)) });
});
