import { expect, test } from "vitest";
import { splitServicePath } from "./service-path";

test.each([
  ["/orders/api/x?y=1", { service: "orders", path: "/api/x?y=1" }],
  ["/orders/", { service: "orders", path: "/" }],
  ["/orders", { service: "orders", path: "/" }],
  ["/orders?y=1", { service: "orders", path: "/?y=1" }],
  ["/orders.v2/a/b/", { service: "orders.v2", path: "/a/b/" }],
  // Only the first segment names the service: what follows is the instance's to read.
  ["/orders/../users/x", { service: "orders", path: "/../users/x" }],
])("%s goes to %j", (url, expected) => {
  expect(splitServicePath(url)).toEqual(expected);
});

test.each([undefined, "", "/", "//orders", "/?x=1", "*", "http://example.com/orders"])("%j names no service", (url) => {
  expect(splitServicePath(url)).toBeUndefined();
});
