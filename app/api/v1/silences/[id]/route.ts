import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { liftSilence } from "@/lib/notify/silences";

// DELETE /api/v1/silences/:id - lift a silence before its end, audited
export const DELETE = apiRoute<RouteContext<"/api/v1/silences/[id]">>({ permission: "services.manage" }, async ({ params, actor }) => {
  // Ids are cuids: anything else (a NUL byte, say, which PostgreSQL refuses outright) is a 422, never a query.
  await liftSilence({
    actor,
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "not a silence id")
      .parse(params.id),
  });
  return new Response(null, { status: 204 });
});
