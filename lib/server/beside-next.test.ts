import { describe, expect, test } from "vitest";
import { BesideNextRoutes, type TBesideNextRoute } from "./beside-next";

const named = (name: string): TBesideNextRoute => Object.assign(() => false, { routeName: name });
const nameOf = (route: TBesideNextRoute | undefined) => (route as { routeName?: string } | undefined)?.routeName;

describe("routes beside Next.js", () => {
  const routes = new BesideNextRoutes();
  routes.add("POST", "/api/v1/registry/instances", named("register"));
  routes.add("PUT", "/api/v1/registry/instances/:id/heartbeat", named("heartbeat"));
  routes.add("DELETE", "/api/v1/registry/instances/:id", named("deregister"));
  routes.add("GET", "/api/v1/discovery", named("catalog"));
  routes.add("GET", "/api/v1/discovery/:name", named("service"));

  test.each([
    ["POST", "/api/v1/registry/instances", "register", {}],
    ["PUT", "/api/v1/registry/instances/orders-1/heartbeat", "heartbeat", { id: "orders-1" }],
    ["DELETE", "/api/v1/registry/instances/orders-1", "deregister", { id: "orders-1" }],
    ["DELETE", "/api/v1/registry/instances/a%3Ab", "deregister", { id: "a%3Ab" }],
    ["GET", "/api/v1/discovery", "catalog", {}],
    ["GET", "/api/v1/discovery/orders", "service", { name: "orders" }],
  ])("%s %s is answered by %s", (method, path, name, params) => {
    const found = routes.find(method, path);
    expect(nameOf(found?.route)).toBe(name);
    expect(found?.params).toEqual(params);
  });

  test.each([
    ["GET", "/api/v1/registry/instances"],
    ["POST", "/api/v1/registry/instances/orders-1"],
    ["PUT", "/api/v1/registry/instances/orders-1"],
    ["PUT", "/api/v1/registry/instances//heartbeat"],
    ["DELETE", "/api/v1/registry/instances/"],
    ["DELETE", "/api/v1/registry/instances/a/b"],
    ["GET", "/api/v1/discovery/orders/extra"],
    ["GET", "/api/v1/discovery/"],
    ["GET", "/api/v1/services"],
    [undefined, "/api/v1/discovery"],
    ["GET", undefined],
  ])("%s %s is left to Next.js", (method, path) => {
    expect(routes.find(method, path)).toBeUndefined();
  });
});
