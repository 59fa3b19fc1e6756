import "server-only";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { TActor } from "@/lib/auth/actor";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { throttleAddress } from "@/lib/auth/client-address";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { assertPasswordCurrent, assertPermission, type TPermission } from "@/lib/auth/permissions";
import { getAuthSecret } from "@/lib/auth/secret";
import { clearSignInFailures, getSignInWait, recordSignInFailure } from "@/lib/auth/throttle";
import { findUserForSignIn } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import type { NacosParams } from "./http";

// Nacos clients sign in with a username and password (the Node SDK sends them on every request; others log in once
// and send the accessToken). Here the password is a Meshdeck API token (any username), or a user's own password
// (username = the user's email), the only way to publish config through Nacos, which API tokens may not.

const tokenPrefix = "mdk_";
const userTokenPrefix = "mdn.";
/** How long a user's accessToken lasts (Nacos's tokenTtl, in seconds). */
export const userTokenTtlS = 3600;
// A user's password is checked once in this long per credentials, not on each of a client's requests.
const verifiedForMs = 5000;
const maxVerified = 10_000;

type TNacosUser = TActor & { type: "user"; mustChangePassword: boolean };
const verified = processSingleton("meshdeck.nacos.verified", () => new Map<string, { actor: TNacosUser; until: number }>());
// A password hash to check against when the account does not exist, so the answer takes as long either way.
let decoy: Promise<string> | undefined;

const refused = () =>
  new AppError("forbidden", "unknown user or password (the password is a Meshdeck API token, or a user's password with the email as username)");

async function loadUser(where: { id: string } | { email: string }): Promise<TNacosUser | null> {
  const user = await db.user.findUnique({ where, select: { id: true, name: true, role: true, disabledAt: true, mustChangePassword: true } });
  if (!user || user.disabledAt) return null;
  return { type: "user", id: user.id, name: user.name, role: user.role, mustChangePassword: user.mustChangePassword };
}

async function signInUser({ email, password, address }: { email: string; password: string; address: string }) {
  const cacheKey = createHash("sha256").update(`${email}\u0000${password}`).digest("hex");
  const cached = verified.get(cacheKey);
  if (cached && cached.until > Date.now()) return cached.actor;
  const key = `${email.toLowerCase()} ${throttleAddress(address)}`;
  if ((await getSignInWait({ key })) > 0) throw new AppError("too_many_requests", "too many failed sign-ins; try again later");
  await recordSignInFailure({ key });
  const user = await findUserForSignIn({ email });
  decoy ??= hashPassword({ password: randomBytes(16).toString("hex") });
  const ok = await verifyPassword({ hash: user?.passwordHash ?? (await decoy), password });
  const actor = ok && user ? await loadUser({ id: user.id }) : null;
  if (!actor) throw refused();
  await clearSignInFailures({ key });
  if (verified.size >= maxVerified) verified.clear();
  verified.set(cacheKey, { actor, until: Date.now() + verifiedForMs });
  return actor;
}

async function sign(payload: string): Promise<string> {
  return createHmac("sha256", await getAuthSecret())
    .update(`nacos ${payload}`)
    .digest("base64url");
}

/** A user's accessToken: `mdn.<user id>.<expiry>.<signature>`, checked against the user as they are now at each use. */
async function issueUserToken(userId: string): Promise<string> {
  const payload = `${userId}.${Math.floor(Date.now() / 1000) + userTokenTtlS}`;
  return `${userTokenPrefix}${payload}.${await sign(payload)}`;
}

async function userOfToken(token: string) {
  const [id, expiry, signature] = token.slice(userTokenPrefix.length).split(".");
  if (!id || !expiry || !signature || Number(expiry) * 1000 < Date.now()) return null;
  const expected = Buffer.from(await sign(`${id}.${expiry}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return loadUser({ id });
}

/** Who the credentials name: an API token, a user's password, or an accessToken from login. */
async function credentialsActor(params: NacosParams, address: string): Promise<TNacosUser | (TActor & { type: "token" }) | null> {
  const accessToken = params.get("accessToken");
  if (accessToken) {
    if (accessToken.startsWith(userTokenPrefix)) return userOfToken(accessToken);
    return authenticateApiToken({ token: accessToken });
  }
  const password = params.get("password");
  if (!password) return null;
  if (password.startsWith(tokenPrefix)) return authenticateApiToken({ token: password });
  const username = params.get("username");
  return username ? signInUser({ email: username, password, address }) : null;
}

/** The caller, if it may do `permission`; anything else is a 403, as Nacos answers with its auth on. */
export async function authenticateNacos({ params, address, permission }: { params: NacosParams; address: string; permission: TPermission }): Promise<TActor> {
  const actor = await credentialsActor(params, address);
  if (!actor) throw refused();
  if (actor.type === "user") assertPasswordCurrent({ user: actor, permission });
  assertPermission({ actor, permission });
  return actor;
}

// POST /nacos/v1/auth/login - username + password -> accessToken (an API token is its own accessToken)
export async function login({ params, address }: { params: NacosParams; address: string }) {
  const actor = await credentialsActor(params, address);
  if (!actor) throw refused();
  if (actor.type === "token") return { accessToken: params.get("password") ?? params.get("accessToken"), tokenTtl: userTokenTtlS, globalAdmin: false };
  return { accessToken: await issueUserToken(actor.id), tokenTtl: userTokenTtlS, globalAdmin: actor.role === "admin", username: params.get("username") };
}
