import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { log } from "@/lib/log";
import { verifyPassword } from "./password";
import { getAuthSecret } from "./secret";
import { clearSignInFailures, getSignInWait, recordSignInFailure } from "./throttle";
import { findUserForSignIn } from "./users";
import { noNulCheck, plainTextCheck } from "@/lib/plain-text";

class SlowDown extends CredentialsSignin {
  code = "slow_down";
}

const ZCredentials = z.object({ email: z.string().min(1).max(254).check(plainTextCheck()), password: z.string().min(1).max(256).check(noNulCheck) });

// The address Next.js (or the nearest proxy) saw: the last entry of X-Forwarded-For.
function clientAddress(request: Request | undefined): string {
  const forwarded = request?.headers
    .get("x-forwarded-for")
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return forwarded?.at(-1) ?? "unknown";
}

// Compared against when the account does not exist, so both answers take as long.
const decoyHash = "$argon2id$v=19$m=19456,t=2,p=1$YSgN43GteqtJ/1psP7585g$Iowt7dKw3fxCA8ZqCBYf5xXuPWfGhhHpGbNelkF8k+g";

// Sessions are JWTs carrying only the user id; pages and actions read the role from the database.
export const { handlers, auth, signIn, signOut } = NextAuth(async () => config(await getAuthSecret()));

const config = (secret: string): NextAuthConfig => ({
  secret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  // A wrong password is an answer, not a server error: keep it out of the error log.
  logger: {
    error(error) {
      // Matched by Auth.js's error type: class names do not survive minification.
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      log.error("auth", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) return null;
        const email = parsed.data.email.toLowerCase();
        // Per account and client address, so nobody can lock an administrator out from elsewhere.
        const key = `${email} ${clientAddress(request)}`;
        if ((await getSignInWait({ key })) > 0) throw new SlowDown();
        await recordSignInFailure({ key });
        const user = await findUserForSignIn({ email });
        const ok = await verifyPassword({ hash: user?.passwordHash ?? decoyHash, password: parsed.data.password });
        if (!user || !ok) return null;
        await clearSignInFailures({ key });
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});
