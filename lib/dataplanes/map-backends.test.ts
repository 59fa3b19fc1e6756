import { describe, expect, test } from "vitest";
import { mapBackends } from "./map-backends";

describe("services to backends", () => {
  test("the naming rule drives only the services HAProxy has a backend of that name for", () => {
    expect(mapBackends({ backends: null, proxyBackends: ["users", "orders", "stats"], services: ["orders", "users", "billing"] })).toEqual({
      mapped: [
        { service: "orders", backend: "orders" },
        { service: "users", backend: "users" },
      ],
      missing: [],
    });
  });

  test("an explicit map drives what it names; backends HAProxy lacks are told", () => {
    expect(
      mapBackends({ backends: { orders: "be_orders", users: "be_users" }, proxyBackends: ["be_orders", "orders"], services: ["orders", "users"] }),
    ).toEqual({
      mapped: [{ service: "orders", backend: "be_orders" }],
      missing: ["be_users"],
    });
  });
});
