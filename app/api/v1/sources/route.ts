import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createSource } from "@/lib/sources/manage-sources";
import { listSources } from "@/lib/sources/queries";
import { ZSourceInput } from "@/lib/sources/schemas";

// GET /api/v1/sources - the registries Meshdeck reads and their state (connected, last sync, lag, error)
export const GET = apiRoute({ permission: "sources.read" }, async () => NextResponse.json(await listSources()));

// POST /api/v1/sources - add an etcd, ZooKeeper or Consul source; admins only
export const POST = apiRoute({ permission: "sources.manage" }, async ({ request, actor }) => {
  const source = await createSource({ actor, input: ZSourceInput.parse(await readJson(request)) });
  return NextResponse.json({ source }, { status: 201 });
});
