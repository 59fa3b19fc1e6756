"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { formText } from "@/lib/actions/safe-action";
import { signIn, ssoProviderId } from "@/lib/auth/auth";
import { returnParam, safeReturnPath } from "@/lib/auth/return-path";
import { getSsoSettings } from "@/lib/auth/sso";

// Signing in is the one action open to anonymous visitors; the throttle lives in authorize().
// The email comes back with the error so the form keeps it.
export type TSignInState = { error: string; email: string } | undefined;

export async function signInWithPassword(_previous: TSignInState, form: FormData): Promise<TSignInState> {
  const email = formText(form, "email");
  try {
    // The form's return path is the browser's word: checked again here, as any client can post any value.
    await signIn("credentials", { email, password: form.get("password"), redirectTo: safeReturnPath(form.get(returnParam)) });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "slow_down") {
      return { error: "Too many failed sign-ins for this account. Wait a little and try again.", email };
    }
    if (error instanceof CredentialsSignin && error.code === "local_off") {
      return { error: `Password sign-in is off: sign in with ${getSsoSettings()?.name ?? "single sign-on"}.`, email };
    }
    if (error instanceof AuthError) return { error: "Invalid email or password.", email };
    throw error;
  }
}

// Sends the browser to the provider's login; Auth.js sets the state, PKCE and nonce cookies it checks on return.
export async function signInWithSso(form: FormData): Promise<void> {
  if (!getSsoSettings()) return;
  await signIn(ssoProviderId, { redirectTo: safeReturnPath(form.get(returnParam)) });
}
