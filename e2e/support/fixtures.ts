import { test as base, expect, type APIRequestContext, type BrowserContext, type BrowserContextOptions } from "@playwright/test";
import { assertLocalTarget, anonymous } from "./env";

type TFixtures = {
  /** An API client with no session cookie: what a service, or a stranger, has. */
  noSessionRequest: APIRequestContext;
  /** Opens another browser context (anonymous unless given a storageState), closed after the test. */
  openContext: (options?: Pick<BrowserContextOptions, "storageState">) => Promise<BrowserContext>;
};

export const test = base.extend<TFixtures>({
  // Every page and API client below goes through baseURL: check it once per test.
  baseURL: async ({ baseURL }, use) => {
    assertLocalTarget(baseURL);
    await use(baseURL);
  },
  noSessionRequest: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL, storageState: anonymous });
    await use(request);
    await request.dispose();
  },
  openContext: async ({ browser, baseURL }, use) => {
    const opened: BrowserContext[] = [];
    await use(async ({ storageState = anonymous } = {}) => {
      const context = await browser.newContext({ baseURL, storageState });
      opened.push(context);
      return context;
    });
    await Promise.all(opened.map((context) => context.close()));
  },
});

export { expect };
