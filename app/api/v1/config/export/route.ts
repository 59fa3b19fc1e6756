import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ZNamespaceName } from "@/lib/config/schemas";
import { exportNamespace } from "@/lib/config/publish/transfer";

// GET /api/v1/config/export?namespace=dev - the namespace's items as one JSON file (secret ones for admins only).
export const GET = apiRoute({ permission: "config.export" }, async ({ request, actor }) => {
  const { namespace } = z.strictObject({ namespace: ZNamespaceName }).parse(Object.fromEntries(request.nextUrl.searchParams));
  const file = await exportNamespace({ actor, namespace });
  const day = new Date().toISOString().slice(0, 10);
  return NextResponse.json(file, { headers: { "Content-Disposition": `attachment; filename="meshdeck-config-${namespace}-${day}.json"` } });
});
