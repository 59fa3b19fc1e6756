import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getConfigItemDetail } from "@/lib/config/queries";
import { ZConfigRef } from "@/lib/config/schemas";

// GET /api/v1/config/items/:namespace/:group/:key/history - versions, gray release, listeners and current content (masked when secret) for the console.
export const GET = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]/[key]/history">>(
  { permission: "config.browse" },
  async ({ params, actor }) => {
    const ref = ZConfigRef.parse(params);
    const detail = await getConfigItemDetail({ actor, ref });
    if (!detail) throw new AppError("not_found", `${ref.namespace}/${ref.group}/${ref.key} was never published`, "key");
    return NextResponse.json(detail);
  },
);
