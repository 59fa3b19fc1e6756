import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { exportPrometheusRules } from "@/lib/alerts/export-rules";
import { parseSearch } from "@/lib/pagination/search-params";

const ZExportQuery = z.strictObject({
  label: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a Prometheus label name")
    .max(100, "must be at most 100 characters")
    .default("service"),
});

// GET /api/v1/alerts/rules/export?label=service - the rules as a Prometheus rule file (groups: YAML over http_request_duration_seconds)
export const GET = apiRoute({ permission: "events.read" }, async ({ request }) => {
  const { label } = parseSearch(ZExportQuery, request.nextUrl.searchParams);
  return new Response(await exportPrometheusRules({ label }), {
    headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": 'attachment; filename="meshdeck.rules.yml"' },
  });
});
