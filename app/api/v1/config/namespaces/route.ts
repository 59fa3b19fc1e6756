import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createNamespace, listNamespaces } from "@/lib/config/publish/namespaces";
import { ZCreateNamespace } from "@/lib/config/schemas";

// GET /api/v1/config/namespaces - namespaces and how many items each holds.
export const GET = apiRoute({ permission: "config.read" }, async () => NextResponse.json({ namespaces: await listNamespaces() }));

// POST /api/v1/config/namespaces - create a namespace (admin session).
export const POST = apiRoute({ permission: "namespaces.manage" }, async ({ request, actor }) => {
  const input = ZCreateNamespace.parse(await readJson(request));
  await createNamespace({ actor, ...input });
  return NextResponse.json({ namespace: input }, { status: 201 });
});
