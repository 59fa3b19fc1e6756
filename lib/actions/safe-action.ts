import "server-only";
import { z } from "zod";
import type { TPermission } from "@/lib/auth/permissions";
import { requireUser, type TUserActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { fieldErrorsOf, type TActionResult } from "./action-result";

type TActionFn<S extends z.ZodType, T> = (args: { input: z.infer<S>; user: TUserActor }) => Promise<T>;

async function runAction<S extends z.ZodType, T>(
  { permission, schema }: { permission: TPermission; schema: S },
  fn: TActionFn<S, T>,
  input: unknown,
): Promise<TActionResult<T>> {
  try {
    const user = await requireUser({ permission });
    const parsed = schema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
    return { ok: true, data: await fn({ input: parsed.data, user }) };
  } catch (error) {
    if (error instanceof AppError)
      return { ok: false, error: error.message, code: error.code, fieldErrors: error.field ? { [error.field]: error.message } : undefined };
    log.error("server action failed", error);
    return { ok: false, error: "Something went wrong on the server; try again." };
  }
}

/**
 * The one way to write a server action: the session and permission are checked on the server whatever
 * the UI showed, the input is validated, and errors come back as a typed result.
 */
export function safeAction<S extends z.ZodType, T>(
  options: { permission: TPermission; schema: S },
  fn: TActionFn<S, T>,
): (input: z.input<S>) => Promise<TActionResult<T>> {
  return (input) => runAction(options, fn, input);
}

// What a form can say: text where the schema wants one of some words (the schema checks which), the rest as the schema has it.
type TFormInput<T> = T extends string ? string : T extends (infer E)[] ? TFormInput<E>[] : T extends object ? { [K in keyof T]: TFormInput<T[K]> } : T;

/** A form action's answer; a refusal carries the fields named in `keep` as they were posted, for the form to show again. */
export type TFormState<T> = (TActionResult<T> & { values?: Record<string, string> }) | undefined;

/**
 * The same, for a form used with useActionState, so it works before the page's JavaScript has loaded:
 * `readForm` maps the posted fields to the schema's input.
 */
export function safeFormAction<S extends z.ZodType, T>(
  { readForm, keep = [], ...options }: { permission: TPermission; schema: S; readForm: (form: FormData) => TFormInput<z.input<S>>; keep?: readonly string[] },
  fn: TActionFn<S, T>,
): (previous: TFormState<T>, form: FormData) => Promise<TFormState<T>> {
  return async (_previous, form) => {
    const result = await runAction(options, fn, readForm(form));
    if (result.ok || keep.length === 0) return result;
    return { ...result, values: Object.fromEntries(keep.map((name) => [name, formText(form, name)])) };
  };
}

/** A posted field's text; "" when it was not sent. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
