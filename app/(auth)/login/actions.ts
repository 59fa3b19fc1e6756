"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth/auth";

// Signing in is the one action open to anonymous visitors; the throttle lives in authorize().
export async function signInWithPassword(_previous: string | undefined, form: FormData): Promise<string | undefined> {
  try {
    await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirectTo: "/" });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "slow_down") return "Too many failed sign-ins for this account. Wait a little and try again.";
    if (error instanceof AuthError) return "Invalid email or password.";
    throw error;
  }
}
