"use server";

import { formText, safeFormAction, type TFormState } from "@/lib/actions/safe-action";
import { changeOwnPassword as changeOwnPasswordRecord, ZChangeOwnPassword } from "@/lib/auth/users";

export type TChangePasswordState = TFormState<{ changed: true }>;

// The one action a user whose password an administrator set may call.
export const changeOwnPassword = safeFormAction(
  {
    permission: "account.password",
    schema: ZChangeOwnPassword,
    readForm: (form) => ({ currentPassword: formText(form, "currentPassword"), newPassword: formText(form, "newPassword") }),
  },
  async ({ input, user }) => {
    await changeOwnPasswordRecord({ actor: user, sessionId: user.sessionId, input });
    return { changed: true as const };
  },
);
