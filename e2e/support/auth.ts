import { expect, type APIRequestContext } from "@playwright/test";

/** Signs in the way the login form does, over HTTP: the csrf token, then the credentials callback. */
export async function signInThroughApi(request: APIRequestContext, { email, password }: { email: string; password: string }) {
  const csrf = await request.get("/api/auth/csrf");
  expect(csrf.status()).toBe(200);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    maxRedirects: 0,
  });
  expect(callback.status()).toBe(302);
  const { cookies } = await request.storageState();
  expect(
    cookies.map((cookie) => cookie.name),
    "a session cookie is set",
  ).toContain("authjs.session-token");
}
