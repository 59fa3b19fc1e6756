import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { meshdeckInstanceId, meshdeckServiceName, meshdeckWeight, nacosInstanceId, nacosWeight, parseNacosService } from "./names";

describe("Nacos service names", () => {
  test.each([
    [{ serviceName: "DEFAULT_GROUP@@orders" }, "orders"],
    [{ serviceName: "orders" }, "orders"],
    [{ serviceName: "orders", namespaceId: "public" }, "orders"],
    [{ serviceName: "orders", namespaceId: "" }, "orders"],
    [{ serviceName: "payments@@orders" }, "payments--orders"],
    [{ serviceName: "orders", groupName: "payments" }, "payments--orders"],
    [{ serviceName: "DEFAULT_GROUP@@orders", namespaceId: "dev" }, "dev--DEFAULT_GROUP--orders"],
    [{ serviceName: "payments@@orders", groupName: "payments", namespaceId: "6c0f" }, "6c0f--payments--orders"],
  ])("%j is Meshdeck's %s", (input, expected) => {
    expect(meshdeckServiceName(parseNacosService(input))).toBe(expected);
  });

  test.each([
    [{ serviceName: "a@@b@@c" }, "serviceName"],
    [{ serviceName: "payments@@orders", groupName: "other" }, "groupName"],
    [{ serviceName: "DEFAULT_GROUP@@" }, "serviceName"],
    [{ serviceName: "@@orders" }, "groupName"],
    [{ serviceName: "ord--ers" }, "serviceName"],
    [{ serviceName: "orders", groupName: "a--b" }, "groupName"],
    [{ serviceName: "orders", namespaceId: "x--y" }, "namespaceId"],
  ])("%j is refused on %s", (input, field) => {
    expect(() => parseNacosService(input)).toThrow(expect.objectContaining({ field, code: "bad_request" }) as AppError);
  });

  test("instance ids: Meshdeck's by service and address, Nacos's in its own shape", () => {
    expect(meshdeckInstanceId({ service: "orders", ip: "10.0.0.7", port: 8080 })).toBe("orders:10.0.0.7:8080");
    const service = parseNacosService({ serviceName: "orders" });
    expect(nacosInstanceId({ ip: "10.0.0.7", port: 8080, cluster: "DEFAULT", service })).toBe("10.0.0.7#8080#DEFAULT#DEFAULT_GROUP@@orders");
  });
});

describe("Nacos weights", () => {
  test.each([
    [1, 100],
    [0, 0],
    [0.5, 50],
    [2.345, 235],
    [100, 10000],
  ])("%d is Meshdeck's %d", (nacos, meshdeck) => {
    expect(meshdeckWeight(nacos)).toBe(meshdeck);
  });

  test.each([-1, 100.01, Number.NaN, Number.POSITIVE_INFINITY])("%d is refused", (weight) => {
    expect(() => meshdeckWeight(weight)).toThrow(/weight/);
  });

  test("Meshdeck's weights read back as Nacos's", () => {
    expect([100, 0, 250, 10000].map(nacosWeight)).toEqual([1, 0, 2.5, 100]);
  });
});
