import { test as setup } from "@playwright/test";
import { signInThroughApi } from "./support/auth";
import { adminEmail, adminStorageState, assertLocalTarget, getAdminPassword } from "./support/env";

setup("sign in as the admin through the API", async ({ playwright, baseURL }) => {
  assertLocalTarget(baseURL);
  const request = await playwright.request.newContext({ baseURL });
  await signInThroughApi(request, { email: adminEmail, password: getAdminPassword() });
  await request.storageState({ path: adminStorageState });
  await request.dispose();
});
