import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { ZNumberedPageQuery } from "@/lib/pagination/numbered";
import { parseSearch } from "@/lib/pagination/search-params";
import { createSource } from "@/lib/sources/manage-sources";
import { listSources } from "@/lib/sources/queries";
import { ZSourceInput } from "@/lib/sources/schemas";

// GET /api/v1/sources[?page=2][&limit=50] - a page of the registries Meshdeck reads and their state (connected, last sync,
// lag, error), and how many there are
export const GET = apiRoute({ permission: "sources.read" }, async ({ request }) =>
  NextResponse.json(await listSources(parseSearch(ZNumberedPageQuery, request.nextUrl.searchParams))),
);

// POST /api/v1/sources - add an etcd, ZooKeeper or Consul source; admins only
export const POST = apiRoute({ permission: "sources.manage" }, async ({ request, actor }) => {
  const source = await createSource({ actor, input: ZSourceInput.parse(await readJson(request)) });
  return NextResponse.json({ source }, { status: 201 });
});
