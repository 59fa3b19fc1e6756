import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";

// Issue 15, item 10: the security headers on pages and API answers, no framing from another origin, and a CSP that
// the pages themselves never violate (their scripts run: each page shows something only its client code draws).

test("pages and API answers carry the security headers; each page gets its own nonce", async ({ request }) => {
  const first = await request.get("/services");
  const second = await request.get("/services");
  for (const response of [first, second]) {
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
    // Served over plain http here: HSTS would be ignored, and wrong.
    expect(headers["strict-transport-security"]).toBeUndefined();
  }
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
  const nonce = nonceOf(first.headers()["content-security-policy"]!);
  expect(nonce).not.toBe(nonceOf(second.headers()["content-security-policy"]!));
  // Next.js puts the nonce on its scripts.
  expect(await first.text()).toContain(`nonce="${nonce}"`);

  const api = await request.get("/api/v1/services");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
});

test("a page framed from another origin does not render", async ({ page }) => {
  const server: Server = createServer((request, response) => {
    response.setHeader("content-type", "text/html");
    if (request.url === "/inner") return void response.end("<p id=inner>framed fine</p>");
    response.end(`<iframe id=own src="/inner"></iframe><iframe id=meshdeck src="${baseURL}/login"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const blocked = page.waitForEvent("console", (message) => /frame-ancestors|Refused to frame/i.test(message.text()));
    await page.goto(`http://127.0.0.1:${port}/`);
    // The control: the other origin's own page renders in its frame.
    await expect(page.frameLocator("#own").locator("#inner")).toHaveText("framed fine");
    await blocked;
    // Meshdeck's sign-in page does not: no form in the frame, whatever it shows instead.
    await expect(page.frameLocator("#meshdeck").locator("input[type=password]")).toHaveCount(0);
    const frame = page.frames().find((candidate) => candidate.name() !== "" || candidate.url().includes("/login"));
    if (frame) expect(await frame.locator("input[type=password]").count()).toBe(0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

async function watchViolations(page: Page) {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(`${event.violatedDirective}: ${event.blockedURI}`);
    });
  });
  return violations;
}

// Each main page, and a mark that only its client code draws: if the CSP blocked a script, the mark never shows.
const pages: [string, (page: Page) => ReturnType<Page["locator"]>][] = [
  ["/", (page) => page.getByRole("navigation").first()],
  ["/services", (page) => page.getByRole("link", { name: "orders" }).first()],
  ["/services/orders", (page) => page.getByRole("radiogroup", { name: "Time range" })],
  ["/topology", (page) => page.locator(".react-flow__node").first()],
  ["/events", (page) => page.getByRole("navigation").first()],
  ["/config?namespace=dev", (page) => page.getByRole("link", { name: /behaviour/ }).first()],
  ["/config/dev/orders/behaviour", (page) => page.locator(".cm-editor .cm-content").first()],
  ["/audit", (page) => page.getByRole("navigation").first()],
  ["/sources", (page) => page.getByRole("navigation").first()],
  ["/settings/health", (page) => page.getByRole("navigation").first()],
  ["/settings/tokens", (page) => page.getByRole("navigation").first()],
  ["/settings/users", (page) => page.getByRole("navigation").first()],
  ["/settings/metrics", (page) => page.getByRole("navigation").first()],
];

test("the main pages run under the CSP without one violation", async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await watchViolations(page);
  for (const [path, mark] of pages) {
    await page.goto(path);
    await expect(mark(page), path).toBeVisible({ timeout: 15_000 });
    // Hydrated: React has attached to the document (its root carries React's internal keys).
    await expect
      .poll(
        () =>
          page.evaluate(() =>
            [document, document.documentElement, document.body].flatMap((node) => Object.keys(node)).some((key) => key.startsWith("__react")),
          ),
        { message: path },
      )
      .toBe(true);
    expect(violations, path).toEqual([]);
  }
});
