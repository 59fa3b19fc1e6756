import "server-only";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { log } from "@/lib/log";
import { getSsoSettings, type TSsoSettings } from "./sso";
import { admitSsoPerson } from "./sso-users";

// Session refresh for single sign-on: now and then (MESHDECK_OIDC_REFRESH_MINUTES) a session's refresh token is
// traded at the provider for fresh claims, and the role re-applied from them, as at sign-in.

export type TSsoRefresh = { outcome: "admitted"; sealedRefreshToken: string } | { outcome: "refused"; why: string } | { outcome: "unreachable" };

type TEndpoints = { token: string; userinfo: string };
let endpoints: { issuer: string; at: number; value: TEndpoints } | undefined;

async function getEndpoints(issuer: string): Promise<TEndpoints> {
  if (endpoints?.issuer === issuer && Date.now() - endpoints.at < 600_000) return endpoints.value;
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000), redirect: "manual" });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const document = (await response.json()) as { token_endpoint?: unknown; userinfo_endpoint?: unknown };
  if (typeof document.token_endpoint !== "string" || typeof document.userinfo_endpoint !== "string")
    throw new Error("discovery has no token or userinfo endpoint");
  const value = { token: document.token_endpoint, userinfo: document.userinfo_endpoint };
  endpoints = { issuer, at: Date.now(), value };
  return value;
}

// client_secret_basic, as Auth.js authenticates at sign-in.
const basic = (settings: TSsoSettings) =>
  `Basic ${Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString("base64")}`;

async function trade(settings: TSsoSettings, refreshToken: string, subject: string, userId: string): Promise<TSsoRefresh> {
  const { token, userinfo } = await getEndpoints(settings.issuer);
  const tokens = await fetch(token, {
    method: "POST",
    signal: AbortSignal.timeout(5000),
    headers: { authorization: basic(settings), "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
  });
  // 400 invalid_grant: the provider ended the grant (signed out there, disabled, token revoked).
  if (tokens.status === 400 || tokens.status === 401) return { outcome: "refused", why: `the provider refused the refresh token (${tokens.status})` };
  if (!tokens.ok) return { outcome: "unreachable" };
  const granted = (await tokens.json()) as { access_token?: unknown; refresh_token?: unknown; id_token?: unknown };
  if (typeof granted.access_token !== "string") return { outcome: "unreachable" };
  const info = await fetch(userinfo, {
    signal: AbortSignal.timeout(5000),
    headers: { authorization: `Bearer ${granted.access_token}`, accept: "application/json" },
  });
  if (!info.ok) return { outcome: "unreachable" };
  const claims = (await info.json()) as Record<string, unknown>;
  if (claims.sub !== subject) return { outcome: "refused", why: "userinfo names another subject" };
  const admitted = await admitSsoPerson({ settings, userinfo: claims, idToken: granted.id_token });
  if ("refused" in admitted) return { outcome: "refused", why: admitted.refused };
  if (admitted.id !== userId) return { outcome: "refused", why: "the claims belong to another user" };
  const next = typeof granted.refresh_token === "string" ? granted.refresh_token : refreshToken;
  return { outcome: "admitted", sealedRefreshToken: sealSecret(next) };
}

/**
 * Re-applies the role of a single sign-on session's user from the provider. Refused: the session must end. A provider
 * that cannot be reached leaves the session as it is, to be tried again at the next refresh.
 */
export async function refreshSsoSession({
  sealedRefreshToken,
  subject,
  userId,
}: {
  sealedRefreshToken: string;
  subject: string;
  userId: string;
}): Promise<TSsoRefresh> {
  const settings = getSsoSettings();
  if (!settings) return { outcome: "refused", why: "single sign-on is no longer configured" };
  let refreshToken: string;
  try {
    refreshToken = openSecret(sealedRefreshToken);
  } catch {
    return { outcome: "refused", why: "the refresh token cannot be opened with the current keys" };
  }
  try {
    const result = await trade(settings, refreshToken, subject, userId);
    if (result.outcome === "refused") log.info(`single sign-on session of user/${userId} ended at refresh: ${result.why}`);
    return result;
  } catch (error) {
    log.warn(`single sign-on refresh of user/${userId} failed; the session goes on`, error instanceof Error ? error.message : String(error));
    return { outcome: "unreachable" };
  }
}

/** The refresh token of a new session, sealed, or null when the provider gave none. */
export function sealRefreshToken(refreshToken: unknown): string | null {
  return typeof refreshToken === "string" && refreshToken ? sealSecret(refreshToken) : null;
}
