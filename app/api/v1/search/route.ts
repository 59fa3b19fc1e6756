import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { parseSearch } from "@/lib/pagination/search-params";
import { searchConsole, ZSearchQuery } from "@/lib/search/search-console";

// GET /api/v1/search?q= - the command palette's services, instances, tags, config keys and actions (each kind capped)
export const GET = apiRoute({ permission: "services.read" }, async ({ request, actor }) => {
  const { q } = parseSearch(ZSearchQuery, request.nextUrl.searchParams);
  return NextResponse.json({ hits: await searchConsole({ q, actor }) });
});
