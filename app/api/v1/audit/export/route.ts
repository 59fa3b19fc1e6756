import { apiRoute } from "@/lib/api/handler";
import { parseAuditFilters } from "@/lib/audit/audit-filters";
import { auditExportCap, exportAuditCsv } from "@/lib/audit/export-csv";

// GET /api/v1/audit/export - the audit events matching the filters as a CSV download, newest first, streamed, at most 100 000 rows
export const GET = apiRoute({ permission: "audit.read" }, async ({ request }) => {
  const filters = parseAuditFilters(request.nextUrl.searchParams);
  const now = new Date();
  const { stream, total, rows, truncated } = await exportAuditCsv({ filters, now });
  const headers = new Headers({
    "content-type": "text/csv; charset=utf-8; header=present",
    "content-disposition": `attachment; filename="meshdeck-audit-${now.toISOString().slice(0, 10)}.csv"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-meshdeck-total": String(total),
    "x-meshdeck-rows": String(rows),
  });
  // Said in a header for programs and in the file's last record for people.
  if (truncated) headers.set("x-meshdeck-truncated", `only the newest ${auditExportCap} of ${total} events; narrow from/to for the rest`);
  return new Response(stream, { headers });
});
