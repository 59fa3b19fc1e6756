import "server-only";
import { z } from "zod";
import { requireUser, type TUserActor } from "@/lib/auth/session";
import type { TPermission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { fieldErrorsOf, type TActionResult } from "./action-result";

/**
 * The one way to write a server action: the session and permission are checked on the server whatever
 * the UI showed, the input is validated, and errors come back as a typed result.
 */
export function safeAction<S extends z.ZodType, T>(
  { permission, schema }: { permission: TPermission; schema: S },
  fn: (args: { input: z.infer<S>; user: TUserActor }) => Promise<T>,
): (input: z.input<S>) => Promise<TActionResult<T>> {
  return async (input) => {
    try {
      const user = await requireUser({ permission });
      const parsed = schema.safeParse(input);
      if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
      return { ok: true, data: await fn({ input: parsed.data, user }) };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.message, code: error.code, fieldErrors: error.field ? { [error.field]: error.message } : undefined };
      log.error("server action failed", error);
      return { ok: false, error: "Something went wrong on the server; try again." };
    }
  };
}
