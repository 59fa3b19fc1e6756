import type { TAppTarget } from "./start-app";

async function csrfOf(target: TAppTarget) {
  const csrf = await fetch(`${target.baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return { csrfToken, cookies: csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]) };
}

/** Signs in through Auth.js's credentials endpoint and returns the session cookie header; `headers` are sent too. */
export async function signIn(target: TAppTarget, { email, password }: { email: string; password: string }, headers: Record<string, string> = {}) {
  const { csrfToken, cookies } = await csrfOf(target);
  const response = await fetch(`${target.baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith("authjs.session-token="));
  return { response, cookie: session ? session.split(";")[0] : undefined, location: response.headers.get("location") ?? "" };
}

/** Signs out through Auth.js's endpoint, as the dashboard's Sign out button does. */
export async function signOut(target: TAppTarget, cookie: string) {
  const { csrfToken, cookies } = await csrfOf(target);
  return fetch(`${target.baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...cookies, cookie].join("; ") },
    body: new URLSearchParams({ csrfToken }),
  });
}

// The API's JSON as each test expects it: typing every route's answer here would only restate the tests' assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads the body it asserts on
export type TCall = { status: number; body: any; headers: Headers; ms: number };

/** A small JSON client for the Meshdeck API, authenticated by a token or a session cookie. */
export function apiClient(target: TAppTarget, auth: { token?: string; cookie?: string } = {}) {
  const call = async (method: string, path: string, body?: unknown, raw?: string): Promise<TCall> => {
    const headers: Record<string, string> = {};
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    if (body !== undefined || raw !== undefined) headers["content-type"] = "application/json";
    const started = performance.now();
    const response = await fetch(`${target.baseUrl}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers, ms: performance.now() - started };
  };
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, body),
    postRaw: (path: string, raw: string) => call("POST", path, undefined, raw),
    put: (path: string, body?: unknown) => call("PUT", path, body),
    patch: (path: string, body?: unknown) => call("PATCH", path, body),
    delete: (path: string) => call("DELETE", path),
  };
}

/** An admin session and a fresh API token on this target. */
export async function adminAndToken(target: TAppTarget, name = "integration") {
  const { cookie } = await signIn(target, target.admin);
  if (!cookie) throw new Error(`could not sign in as ${target.admin.email} on ${target.name}`);
  const admin = apiClient(target, { cookie });
  const created = await admin.post("/api/v1/tokens", { name });
  if (created.status !== 201) throw new Error(`token creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return { admin, cookie, token: created.body.token as string, tokenId: created.body.id as string, api: apiClient(target, { token: created.body.token }) };
}

let counter = 0;
/** Names unique to this run, so tests on one database never see each other's instances. */
export function unique(prefix: string) {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
