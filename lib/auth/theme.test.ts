import { beforeAll, expect, test } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { getSessionUser, startSession } from "./sessions";
import { setUserTheme, setUserZone, ZSetZone } from "./theme";
import { createUser } from "./users";

beforeAll(async () => {
  await migrateDatabase();
});

test("a user's theme and UTC choice are kept on the user: every session of theirs reads them", async () => {
  const user = await createUser({
    actor: { type: "system", name: "test" },
    input: { email: "zone@meshdeck.test", name: "Zoe Zone", password: "a long enough password", role: "viewer" },
  });
  const first = await startSession({ userId: user.id });
  expect(await getSessionUser({ id: first })).toMatchObject({ theme: "system", zone: "local" });
  await setUserZone({ userId: user.id, utc: true });
  await setUserTheme({ userId: user.id, theme: "dark" });
  // Another browser signing in later finds the choices made in the first.
  const second = await startSession({ userId: user.id });
  expect(await getSessionUser({ id: second })).toMatchObject({ theme: "dark", zone: "utc" });
  await setUserZone({ userId: user.id, utc: false });
  expect(await getSessionUser({ id: first })).toMatchObject({ zone: "local" });
});

test.each([[{}], [{ utc: "true" }], [{ utc: true, zone: "Asia/Tokyo" }]])("the zone choice refuses %j", (input) => {
  expect(ZSetZone.safeParse(input).success).toBe(false);
});
