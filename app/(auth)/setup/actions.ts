"use server";

import { signIn } from "@/lib/auth/auth";
import { createFirstAdmin, ZCreateUser } from "@/lib/auth/users";
import { fieldErrorsOf, type TActionResult } from "@/lib/actions/action-result";
import { formText } from "@/lib/actions/safe-action";
import { AppError } from "@/lib/errors";

const ZSetup = ZCreateUser.omit({ role: true });

// The form keeps what was typed (but the passwords) when it is refused.
export type TSetupState = TActionResult & { values?: { email: string; name: string } };

// Open to anonymous visitors only while no user exists; createFirstAdmin re-checks that in its transaction.
export async function createFirstAdministrator(_previous: TSetupState | undefined, form: FormData): Promise<TSetupState> {
  const values = { email: formText(form, "email"), name: formText(form, "name") };
  const parsed = ZSetup.safeParse({ ...values, password: form.get("password") });
  if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error), values };
  if (form.get("password") !== form.get("confirm")) {
    return { ok: false, error: "The passwords differ.", fieldErrors: { confirm: "must match the password" }, values };
  }
  try {
    await createFirstAdmin({ input: parsed.data, via: "setup page" });
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message, values };
    throw error;
  }
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
  return { ok: true, data: undefined };
}
