import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ZNamespaceName } from "@/lib/config/schemas";
import { exportNamespace } from "@/lib/config/publish/transfer";
import { parseSearch } from "@/lib/pagination/search-params";

// GET /api/v1/config/export?namespace=dev - the namespace's items as one JSON file (secret ones for admins only).
export const GET = apiRoute({ permission: "config.export" }, async ({ request, actor }) => {
  const { namespace } = parseSearch(z.strictObject({ namespace: ZNamespaceName }), request.nextUrl.searchParams);
  const file = await exportNamespace({ actor, namespace });
  const day = new Date().toISOString().slice(0, 10);
  return NextResponse.json(file, { headers: { "Content-Disposition": `attachment; filename="meshdeck-config-${namespace}-${day}.json"` } });
});
