import { expect, test } from "vitest";
import { ZMetricsSettings } from "./metrics-settings";

test.each(["http://169.254.169.254:9090", "http://[fd00:ec2::254]:9090", "http://2852039166/"])(
  "a Prometheus URL at %s is refused by the address policy",
  (prometheusUrl) => {
    const issue = ZMetricsSettings.safeParse({ source: "prometheus", prometheusUrl }).error?.issues[0];
    expect(issue?.path).toEqual(["prometheusUrl"]);
    expect(issue?.message).toMatch(/^refused by address policy: /);
  },
);

test("a Prometheus URL on a private address is taken", () => {
  expect(ZMetricsSettings.safeParse({ source: "prometheus", prometheusUrl: "http://10.0.0.9:9090" }).success).toBe(true);
});
