import { expect, test } from "vitest";
import { ZSourceInput } from "../schemas";

const consul = { name: "prod-consul", kind: "consul", convention: "catalog", endpoints: ["10.0.0.5:8500"] };

test("a Consul source takes a token alone and reads the agent's datacenter unless given one", () => {
  expect(ZSourceInput.parse({ ...consul, password: "acl-token" })).toMatchObject({ password: "acl-token", prefix: "" });
  expect(ZSourceInput.parse({ ...consul, prefix: "eu-west_1" }).prefix).toBe("eu-west_1");
});

test.each([
  ["a username", { username: "admin", password: "x" }, "username"],
  ["a datacenter with a space", { prefix: "dc 1" }, "prefix"],
  ["an etcd convention", { convention: "url" }, "convention"],
  ["a metadata address", { endpoints: ["169.254.169.254:8500"] }, "endpoints"],
])("refuses %s, naming the field", (_, change, field) => {
  const issue = ZSourceInput.safeParse({ ...consul, ...change }).error?.issues[0];
  expect(issue?.path[0]).toBe(field);
});

test("etcd still needs a username with its password", () => {
  expect(ZSourceInput.safeParse({ name: "e", kind: "etcd", convention: "url", endpoints: ["127.0.0.1:2379"], password: "p" }).success).toBe(false);
});
