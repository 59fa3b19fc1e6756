import "server-only";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import type { TRoleMapping } from "./role-mapping";

export type TSsoSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  scopes: string;
  roleClaim: string;
  roles: TRoleMapping;
};

/** Single sign-on as the environment sets it, or null when it is not configured. */
export function getSsoSettings(): TSsoSettings | null {
  const env = getEnv();
  if (!env.MESHDECK_OIDC_ISSUER || !env.MESHDECK_OIDC_CLIENT_ID || !env.MESHDECK_OIDC_CLIENT_SECRET) return null;
  return {
    issuer: env.MESHDECK_OIDC_ISSUER.replace(/\/$/, ""),
    clientId: env.MESHDECK_OIDC_CLIENT_ID,
    clientSecret: env.MESHDECK_OIDC_CLIENT_SECRET,
    name: env.MESHDECK_OIDC_NAME,
    scopes: env.MESHDECK_OIDC_SCOPES,
    roleClaim: env.MESHDECK_OIDC_ROLE_CLAIM,
    roles: env.MESHDECK_OIDC_ROLES,
  };
}

export type TSsoStatus = { state: "off" } | { state: "working" } | { state: "broken"; reason: string };

// Asked on every sign-in page view and password sign-in: a working answer is kept for a minute, a broken one 10 s.
const keepMs = { working: 60_000, broken: 10_000 } as const;
let last: { status: TSsoStatus; at: number; issuer: string } | undefined;

// Whether the provider answers its discovery document (what sign-in starts with) for this issuer.
async function probe(issuer: string): Promise<TSsoStatus> {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000), redirect: "manual" });
    if (!response.ok) return { state: "broken", reason: `its discovery document answered HTTP ${response.status}` };
    const document = (await response.json()) as { issuer?: unknown; authorization_endpoint?: unknown };
    if (typeof document.issuer !== "string" || document.issuer.replace(/\/$/, "") !== issuer) {
      return { state: "broken", reason: "its discovery document names another issuer" };
    }
    if (typeof document.authorization_endpoint !== "string") return { state: "broken", reason: "its discovery document has no authorization endpoint" };
    return { state: "working" };
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "it did not answer within 3 s" : "it could not be reached";
    return { state: "broken", reason };
  }
}

/** Whether single sign-on can be used now: off (not configured), working, or broken and why. */
export async function getSsoStatus({ now = Date.now() }: { now?: number } = {}): Promise<TSsoStatus> {
  const settings = getSsoSettings();
  if (!settings) return { state: "off" };
  if (last && last.issuer === settings.issuer && now - last.at < keepMs[last.status.state === "working" ? "working" : "broken"]) return last.status;
  const status = await probe(settings.issuer);
  if (status.state === "broken" && last?.status.state !== "broken") log.warn(`single sign-on is broken: ${settings.issuer}: ${status.reason}`);
  last = { status, at: now, issuer: settings.issuer };
  return status;
}

export type TLocalSignIn = { open: "everyone" | "admins" | "nobody"; notice?: string };

/**
 * Who may sign in with a local password. MESHDECK_LOCAL_SIGNIN=off closes it while single sign-on works; while it
 * is broken, local administrators may still sign in, so nobody is locked out of a console they must repair.
 */
export async function getLocalSignIn(): Promise<TLocalSignIn> {
  if (getEnv().MESHDECK_LOCAL_SIGNIN === "on") return { open: "everyone" };
  const sso = await getSsoStatus();
  if (sso.state === "working") return { open: "nobody" };
  if (sso.state === "off") return { open: "everyone", notice: "Password sign-in is on although MESHDECK_LOCAL_SIGNIN=off: single sign-on is not configured." };
  const name = getSsoSettings()?.name ?? "single sign-on";
  return { open: "admins", notice: `${name} is unavailable (${sso.reason}), so local administrators may sign in with their password.` };
}
