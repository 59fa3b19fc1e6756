import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { watchConfig, watchPermission } from "@/lib/config/watch/client-read";
import { ZWatchConfig } from "@/lib/config/schemas";

// POST /api/v1/config/watch - long poll: answers as soon as a watched item's version for this instance differs from the one held, or after timeout.
// A POST because the watch names its items and registers the instance as a listener.
export const POST = apiRoute({ permission: watchPermission }, async ({ request, actor }) => {
  const input = ZWatchConfig.parse(await readJson(request));
  const changed = await watchConfig({ actor, input, signal: request.signal });
  return NextResponse.json({ changed });
});
