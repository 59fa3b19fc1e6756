import { expect, test } from "vitest";
import { apiSecurityHeaders, baseSecurityHeaders, newNonce, pageContentSecurityPolicy, servedOverHttps } from "./security-headers";

test("a page's policy allows scripts only with the request's nonce and is framed nowhere", () => {
  const nonce = newNonce();
  const csp = pageContentSecurityPolicy({ nonce, https: false });
  const scripts = /script-src ([^;]+)/.exec(csp)?.[1] ?? "";
  expect(scripts).toContain(`'nonce-${nonce}'`);
  expect(scripts).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("upgrade-insecure-requests");
  expect(pageContentSecurityPolicy({ nonce, https: true })).toContain("upgrade-insecure-requests");
});

test("every nonce is new and carries 128 bits", () => {
  const nonces = new Set(Array.from({ length: 100 }, newNonce));
  expect(nonces.size).toBe(100);
  expect(Buffer.from([...nonces][0]!, "base64")).toHaveLength(16);
});

test("HSTS only over https; nosniff and the referrer policy always", () => {
  expect(baseSecurityHeaders({ https: false })).not.toHaveProperty("Strict-Transport-Security");
  expect(baseSecurityHeaders({ https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d+/);
  expect(apiSecurityHeaders({ https: false })).toMatchObject({ "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin" });
  expect(apiSecurityHeaders({ https: false })["Content-Security-Policy"]).toContain("default-src 'none'");
});

test.each([
  ["http://127.0.0.1:3000/", undefined, false],
  ["https://127.0.0.1:3000/", undefined, true],
  ["http://127.0.0.1:3000/", "https://meshdeck.example", true],
  ["http://127.0.0.1:3000/", "http://127.0.0.1:3000", false],
])("%s with AUTH_URL %s is served over https: %s", (url, authUrl, https) => {
  expect(servedOverHttps(url, authUrl)).toBe(https);
});
