import { z } from "zod";
import type { ErrorCode } from "@/lib/errors";

// What every server action returns, so forms can show an error next to the field it concerns.
export type TActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: string; code?: ErrorCode; fieldErrors?: Record<string, string> };

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    fieldErrors[key] ??= issue.message;
  }
  return fieldErrors;
}
