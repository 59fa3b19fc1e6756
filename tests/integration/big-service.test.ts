import { beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, unique, type TCall } from "../support/client";

const targets = inject("targets");
const size = 1200;
// Registrations in flight at once: a few clients, as a deployment's instances start together.
const clients = 16;

type TInstance = { id: string; host: string; tags: string[]; enabled: boolean; health: string };

describe.each(targets)("a service of 1,200 instances on $name", (target) => {
  let api: Awaited<ReturnType<typeof adminAndToken>>["api"];
  let admin: Awaited<ReturnType<typeof adminAndToken>>["admin"];
  const service = unique("big");
  const idOf = (i: number) => `${service}-${String(i).padStart(4, "0")}`;
  const timings: Record<string, number[]> = {};
  const timed = async (label: string, call: Promise<TCall>) => {
    const answer = await call;
    (timings[label] ??= []).push(answer.ms);
    return answer;
  };

  beforeAll(async () => {
    ({ api, admin } = await adminAndToken(target, "big-service"));
    let next = 1;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next <= size) {
          const i = next++;
          const registered = await api.post("/api/v1/registry/instances", {
            service,
            id: idOf(i),
            host: `10.1.${Math.floor(i / 200)}.${i % 200}`,
            port: 8080,
            // Every 10th is a canary; a TTL long enough that none expires during the test.
            tags: i % 10 === 0 ? ["canary", "eu"] : ["eu"],
            check: { kind: "ttl", ttl: "1h" },
            metrics: null,
          });
          expect(registered.status, JSON.stringify(registered.body)).toBe(201);
        }
      }),
    );
  }, 240_000);

  async function pageThrough(query: string, limit: number) {
    const seen: TInstance[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages <= size; pages++) {
      const search = new URLSearchParams(query);
      search.set("limit", String(limit));
      if (cursor) search.set("cursor", cursor);
      const page = await timed(`page of ${limit}`, api.get(`/api/v1/services/${service}?${search}`));
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.instances.length).toBeLessThanOrEqual(limit);
      seen.push(...(page.body.instances as TInstance[]));
      cursor = page.body.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error("the pages never ended");
  }

  test("paging sees every instance exactly once, and the counts are the whole service's", async () => {
    const first = await timed("first page", api.get(`/api/v1/services/${service}`));
    expect(first.status).toBe(200);
    expect(first.body.service.counts).toMatchObject({ total: size, passing: size, drained: 0, overridden: 0, takingTraffic: size, matching: size });
    expect(first.body.service.tags).toEqual(["canary", "eu"]);
    expect(first.body.instances).toHaveLength(100);
    for (const limit of [100, 1000]) {
      const ids = (await pageThrough("", limit)).map((instance) => instance.id);
      expect(ids).toHaveLength(size);
      expect(new Set(ids).size).toBe(size);
      expect(ids).toEqual(Array.from({ length: size }, (_, n) => idOf(n + 1)));
    }
  });

  test("filters pick in the page and in the count alike", async () => {
    const cases = [
      { query: "q=canary", expected: size / 10 },
      { query: "tag=canary", expected: size / 10 },
      { query: `q=${service}-000`, expected: 9 },
      { query: "q=10.1.5.", expected: 200 },
      { query: "health=passing&enabled=true", expected: size },
      { query: "health=critical", expected: 0 },
    ];
    for (const { query, expected } of cases) {
      const counted = await timed("filtered page", api.get(`/api/v1/services/${service}?${query}&limit=1`));
      expect(counted.body.service.counts.matching, query).toBe(expected);
      expect((await pageThrough(query, 250)).length, query).toBe(expected);
    }
  });

  test("bad parameters are a 422 naming them; an unknown service is a 404", async () => {
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=1001", "limit"],
      ["cursor=not-a-cursor!", "cursor"],
      ["health=sick", "health"],
      ["enabled=maybe", "enabled"],
      ["limit=1&limit=2", "limit"],
      ["offset=100", "offset"],
    ]) {
      const refused = await api.get(`/api/v1/services/${service}?${query}`);
      expect(refused.status, query).toBe(422);
      expect(refused.body.error.field, query).toBe(field);
    }
    expect((await api.get(`/api/v1/services/${unique("none")}`)).status).toBe(404);
  });

  test("draining by selector (a tag) changes the instances the count named, and the counts follow", async () => {
    const canaries = (await api.get(`/api/v1/services/${service}?tag=canary&limit=1`)).body.service.counts.matching as number;
    const drained = await timed(
      "drain by selector",
      admin.post("/api/v1/governance/instances", { selector: { service, tag: "canary" }, change: { enabled: false }, reason: "integration: canaries out" }),
    );
    expect(drained.status, JSON.stringify(drained.body).slice(0, 500)).toBe(200);
    expect(drained.body.changed).toHaveLength(canaries);

    const after = await api.get(`/api/v1/services/${service}?enabled=false&limit=1000`);
    expect(after.body.service.counts).toMatchObject({
      total: size,
      drained: canaries,
      overridden: canaries,
      takingTraffic: size - canaries,
      matching: canaries,
    });
    expect((after.body.instances as TInstance[]).every((instance) => instance.tags.includes("canary") && !instance.enabled)).toBe(true);
    const discovery = await api.get(`/api/v1/discovery/${service}`);
    expect(discovery.body.instances).toHaveLength(size - canaries);

    // And back, with the page's filters as the selector: every drained canary.
    const enabled = await admin.post("/api/v1/governance/instances", { selector: { service, tag: "canary", enabled: false }, change: { reset: true } });
    expect(enabled.status).toBe(200);
    expect(enabled.body.changed).toHaveLength(canaries);
    expect((await api.get(`/api/v1/services/${service}?limit=1`)).body.service.counts).toMatchObject({ drained: 0, takingTraffic: size });
  }, 120_000);

  test("reports its response times", () => {
    const summary = Object.entries(timings).map(([label, ms]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return `${label}: n=${ms.length} p50=${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)}ms max=${sorted.at(-1)!.toFixed(0)}ms`;
    });
    console.info(`${target.name}, ${size} instances:\n  ${summary.join("\n  ")}`);
    expect(summary.length).toBeGreaterThan(0);
  });
});
