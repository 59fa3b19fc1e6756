import { expect, test } from "../support/fixtures";
import { createTokenInUi } from "../support/pages";
import { registryClient, uniqueName, type TRegistration } from "../support/registry";

const registration = (): TRegistration => ({
  service: "e2e-refused",
  id: uniqueName("e2e-refused"),
  host: "127.0.0.1",
  port: 18082,
  check: { kind: "ttl", ttl: "3s" },
});

test("the API refuses a request without a token with 401 and a JSON error", async ({ noSessionRequest }) => {
  const requests = [
    noSessionRequest.get("/api/v1/services"),
    noSessionRequest.get("/api/v1/services/orders"),
    noSessionRequest.get("/api/v1/discovery/orders"),
    noSessionRequest.post("/api/v1/registry/instances", { data: registration() }),
    noSessionRequest.put("/api/v1/registry/instances/orders-1/heartbeat"),
    noSessionRequest.delete("/api/v1/registry/instances/orders-1"),
  ];
  for (const response of await Promise.all(requests)) {
    expect(response.status(), response.url()).toBe(401);
    expect(response.headers()["content-type"]).toContain("application/json");
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    expect(body.error?.code).toBe("unauthorized");
    expect(body.error?.message).toEqual(expect.any(String));
  }
});

test("the API refuses a token it never issued", async ({ noSessionRequest }) => {
  const response = await registryClient(noSessionRequest, "mdk_not-a-token-this-server-issued").listServices();

  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
});

test("a token revoked in the UI is refused at once", async ({ page, noSessionRequest }) => {
  const name = uniqueName("e2e-revoke");
  const token = await createTokenInUi(page, name);
  const registry = registryClient(noSessionRequest, token);
  expect((await registry.listServices()).status()).toBe(200);
  // A token may use the registry, never manage tokens.
  const escalation = await noSessionRequest.post("/api/v1/tokens", {
    headers: { authorization: `Bearer ${token}` },
    data: { name: uniqueName("e2e-escalation") },
  });
  expect(escalation.status()).toBe(403);

  const dialogs: string[] = [];
  page.once("dialog", (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("revoked");
  expect(dialogs).toEqual(["confirm"]);

  for (const response of [await registry.listServices(), await registry.register(registration())]) {
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  }
});
