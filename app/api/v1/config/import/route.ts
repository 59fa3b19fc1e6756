import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { MAX_IMPORT_BYTES } from "@/lib/config/schemas";
import { applyImport, parseImportValue, previewImport, ZImportQuery } from "@/lib/config/publish/transfer";
import { parseSearch } from "@/lib/pagination/search-params";

// POST /api/v1/config/import?namespace=dev&dryRun=true - preview (dryRun) or apply an export file: all its new and changed items, or none.
export const POST = apiRoute({ permission: "config.publish" }, async ({ request, actor }) => {
  const query = parseSearch(ZImportQuery, request.nextUrl.searchParams);
  const file = parseImportValue(await readJson(request, { maxBytes: MAX_IMPORT_BYTES }));
  if (query.dryRun === "true" || query.dryRun === "1")
    return NextResponse.json({ dryRun: true, changes: await previewImport({ actor, namespace: query.namespace, file }) });
  if (!query.message) throw new AppError("validation_failed", "message: is required: say why", "message");
  return NextResponse.json({ dryRun: false, ...(await applyImport({ actor, namespace: query.namespace, file, message: query.message })) });
});
