import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { clientAddressHeader, resolveClientAddress, throttleAddress } from "./client-address";
import { verifyPassword } from "./password";
import { getAuthSecret } from "./secret";
import { endSession, startSession } from "./sessions";
import { getLocalSignIn, getSsoSettings, type TSsoSettings } from "./sso";
import { sealRefreshToken } from "./sso-refresh";
import { admitSsoPerson } from "./sso-users";
import { clearSignInFailures, getSignInWait, recordSignInFailure } from "./throttle";
import { findUserForSignIn } from "./users";
import { noNulCheck, plainTextCheck } from "@/lib/plain-text";

declare module "next-auth" {
  interface Session {
    /** The Session row this cookie names (lib/auth/sessions.ts). */
    sessionId?: string;
  }
}

class SlowDown extends CredentialsSignin {
  code = "slow_down";
}

class LocalSignInOff extends CredentialsSignin {
  code = "local_off";
}

export const ssoProviderId = "oidc";

// The OpenID Connect provider, when configured: authorization code flow with PKCE and state (and nonce) checked;
// the claims come from userinfo, which Auth.js checks names the ID token's subject.
function ssoProviders(settings: TSsoSettings | null): Provider[] {
  if (!settings) return [];
  return [
    {
      id: ssoProviderId,
      name: settings.name,
      type: "oidc",
      issuer: settings.issuer,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: settings.scopes } },
      idToken: false,
      profile: (profile: Record<string, unknown>) => ({ id: String(profile.sub), email: typeof profile.email === "string" ? profile.email : null }),
    },
  ];
}

const ZCredentials = z.object({ email: z.string().min(1).max(254).check(plainTextCheck()), password: z.string().min(1).max(256).check(noNulCheck) });

// The address the request came from, as server.mjs saw it on the socket, or through trusted proxies.
function clientAddress(request: Request | undefined): string {
  return resolveClientAddress({
    peer: request?.headers.get(clientAddressHeader) ?? null,
    forwardedFor: request?.headers.get("x-forwarded-for") ?? null,
    trusted: getEnv().MESHDECK_TRUSTED_PROXIES,
  });
}

// Compared against when the account does not exist, so both answers take as long.
const decoyHash = "$argon2id$v=19$m=19456,t=2,p=1$YSgN43GteqtJ/1psP7585g$Iowt7dKw3fxCA8ZqCBYf5xXuPWfGhhHpGbNelkF8k+g";

// Session cookies are JWTs carrying the user id and the id of a Session row (lib/auth/sessions.ts), which every
// request checks, so a session can be ended on the server; pages and actions read the role from the database.
export const { handlers, auth, signIn, signOut } = NextAuth(async () => config(await getAuthSecret()));

const config = (secret: string): NextAuthConfig => ({
  secret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: getEnv().MESHDECK_SESSION_MAX_HOURS * 60 * 60 },
  pages: { signIn: "/login", error: "/login/error" },
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
        // Off while single sign-on works: refused before any account is looked at, so the answer tells nothing.
        const open = (await getLocalSignIn()).open;
        if (open === "nobody") throw new LocalSignInOff();
        const email = parsed.data.email.toLowerCase();
        // Per account and client address, so nobody can lock an administrator out from elsewhere.
        const key = `${email} ${throttleAddress(clientAddress(request))}`;
        if ((await getSignInWait({ key })) > 0) throw new SlowDown();
        await recordSignInFailure({ key });
        const user = await findUserForSignIn({ email });
        // Users of single sign-on have no password here; while it is broken, only local administrators may sign in.
        const local = user && !user.ssoIssuer && (open === "everyone" || user.role === "admin") ? user : null;
        const ok = await verifyPassword({ hash: local?.passwordHash ?? decoyHash, password: parsed.data.password });
        if (!local || !ok || local.disabledAt) return null;
        await clearSignInFailures({ key });
        return { id: local.id, email: local.email, name: local.name };
      },
    }),
    ...ssoProviders(getSsoSettings()),
  ],
  callbacks: {
    // A person signing in through the provider is admitted only with a mapped role; `user.id` becomes their user's.
    async signIn({ user, account, profile }) {
      if (account?.provider !== ssoProviderId) return true;
      const settings = getSsoSettings();
      if (!settings) return false;
      const admitted = await admitSsoPerson({ settings, userinfo: { ...profile }, idToken: account.id_token });
      if ("refused" in admitted) return `/login/error?error=${admitted.refused}`;
      user.id = admitted.id;
      return true;
    },
    async jwt({ token, user, account }) {
      // Only at sign-in is `user` set: that is when the session row is made.
      if (user?.id) {
        token.sub = user.id;
        const ssoRefreshToken = account?.provider === ssoProviderId ? sealRefreshToken(account.refresh_token) : null;
        token.sid = await startSession({ userId: user.id, ssoRefreshToken });
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sessionId = typeof token.sid === "string" ? token.sid : undefined;
      return session;
    },
  },
  events: {
    // Sign-out ends the session row, so a copy of the cookie is refused from then on.
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await endSession({ id: sid });
    },
  },
});
