import { expect, test } from "vitest";
import { originHost } from "./origin";

test.each([
  ["http://127.0.0.1:3000", "127.0.0.1:3000"],
  ["https://meshdeck.example", "meshdeck.example"],
  ["HTTP://[::1]:3000", "[::1]:3000"],
  ["null", null],
  ["", null],
  ["http://", null],
  ["http://%zz", null],
  ["file:///etc/passwd", null],
  ["javascript:alert(1)", null],
  ["not an origin", null],
])("the host of Origin %j is %j", (origin, host) => {
  expect(originHost(origin)).toBe(host);
});
