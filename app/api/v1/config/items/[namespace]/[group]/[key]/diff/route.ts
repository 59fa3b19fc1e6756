import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { diffLines } from "@/lib/config/formats/diff";
import { getVersionPair } from "@/lib/config/queries";
import { ZConfigRef } from "@/lib/config/schemas";
import { parseSearch } from "@/lib/pagination/search-params";

const ZVersion = z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more");
const ZDiffQuery = z.strictObject({ from: ZVersion, to: ZVersion });

// GET /api/v1/config/items/:namespace/:group/:key/diff?from=1&to=3 - a line diff between any two versions (masked when secret).
export const GET = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]/[key]/diff">>(
  { permission: "config.browse" },
  async ({ request, params, actor }) => {
    const { from, to } = parseSearch(ZDiffQuery, request.nextUrl.searchParams);
    const pair = await getVersionPair({ actor, ref: ZConfigRef.parse(params), from, to });
    return NextResponse.json({ ...pair, lines: diffLines(pair.from.content, pair.to.content) });
  },
);
