import { describe, expect, test } from "vitest";
import { renderUpstreams } from "./render-upstreams";

const instance = (instanceId: string, overrides: Record<string, unknown> = {}) => ({
  source: "builtin",
  instanceId,
  host: "10.0.0.1",
  port: 8080,
  weight: 100,
  enabled: true,
  health: "passing",
  ...overrides,
});

describe("nginx upstreams", () => {
  test("weights as they are; drained, critical and weight 0 are down; an empty service a down placeholder", () => {
    expect(
      renderUpstreams([
        {
          upstream: "orders",
          instances: [
            instance("orders-1"),
            instance("orders-2", { weight: 300, host: "10.0.0.2" }),
            instance("orders-3", { enabled: false }),
            instance("orders-4", { health: "critical" }),
            instance("orders-5", { weight: 0 }),
            instance("orders-6", { host: "::1" }),
          ],
        },
        { upstream: "users", instances: [] },
      ]),
    ).toBe(
      [
        "# Written by Meshdeck from its catalog: edits here are replaced.",
        "upstream orders {",
        "    server 10.0.0.1:8080 weight=100; # orders-1",
        "    server 10.0.0.2:8080 weight=300; # orders-2",
        "    server 10.0.0.1:8080 down; # orders-3",
        "    server 10.0.0.1:8080 down; # orders-4",
        "    server 10.0.0.1:8080 down; # orders-5",
        "    server [::1]:8080 weight=100; # orders-6",
        "}",
        "upstream users {",
        "    server 127.0.0.1:9 down; # no instance",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("a host or id that would break the file is left out", () => {
    const text = renderUpstreams([{ upstream: "x", instances: [instance("a", { host: "1.2.3.4; }" }), instance("b\n}")] }]);
    expect(text).not.toContain("1.2.3.4;");
    expect(text).toContain("server 127.0.0.1:9 down; # no instance");
  });
});
