import type { LookupAddress } from "node:dns";
import { request } from "node:http";
import { connect, createServer, type AddressInfo, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AddressRefusedError } from "./address-policy";
import { parseCidr } from "./ip-address";
import { connectTarget, policyLookup, type TResolve } from "./policy-lookup";

// Names resolved by this table, not DNS: the test decides what each name "resolves" to, and what was asked.
const names: Record<string, LookupAddress[]> = {
  "local.test": [{ address: "127.0.0.1", family: 4 }],
  "metadata.test": [{ address: "169.254.169.254", family: 4 }],
  "mapped.test": [{ address: "::ffff:169.254.169.254", family: 6 }],
  "ec2-v6.test": [{ address: "fd00:ec2::254", family: 6 }],
  "mixed.test": [
    { address: "127.0.0.1", family: 4 },
    { address: "169.254.169.254", family: 4 },
  ],
  "empty.test": [],
};
const asked: string[] = [];
const resolve: TResolve = async (hostname) => {
  asked.push(hostname);
  const found = names[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return found;
};

let server: Server;
let port = 0;
let accepted = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    accepted += 1;
    socket.on("error", () => undefined);
    socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

// Connects as the probes do; resolves with the error, or "connected".
function tryConnect(host: string): Promise<{ outcome: string; code?: string; error?: Error }> {
  return new Promise((done) => {
    const socket = connect({ ...connectTarget(host, { resolve }), port });
    socket.once("connect", () => {
      socket.destroy();
      done({ outcome: "connected" });
    });
    socket.once("error", (error: NodeJS.ErrnoException) => done({ outcome: error.message, code: error.code, error }));
  });
}

describe("a connection through the policy's lookup", () => {
  test("a name resolving to an allowed address connects", async () => {
    const before = accepted;
    expect(await tryConnect("local.test")).toEqual({ outcome: "connected" });
    await expect.poll(() => accepted).toBe(before + 1);
  });

  test.each([
    ["metadata.test", "metadata.test resolves to 169.254.169.254 is a link-local address"],
    ["mapped.test", "mapped.test resolves to ::ffff:a9fe:a9fe is 169.254.169.254, a link-local address"],
    ["ec2-v6.test", "ec2-v6.test resolves to fd00:ec2::254 is the cloud metadata address"],
    ["mixed.test", "mixed.test resolves to 169.254.169.254 is a link-local address"],
    ["empty.test", "empty.test resolves to no address"],
  ])("%s is refused when it is resolved, before any socket connects", async (host, why) => {
    asked.length = 0;
    const before = accepted;
    const result = await tryConnect(host);
    expect(result.error).toBeInstanceOf(AddressRefusedError);
    expect(result.outcome).toContain(`refused by address policy: ${why}`);
    // The name was resolved at connect time, by the injected resolver, and nothing reached any server.
    expect(asked).toEqual([host]);
    expect(accepted).toBe(before);
  });

  test("a resolver's own failure passes through", async () => {
    expect(await tryConnect("unknown.test")).toMatchObject({ code: "ENOTFOUND" });
  });

  test("an IP literal is checked before any lookup", () => {
    asked.length = 0;
    expect(() => connectTarget("0xa9fea9fe", { resolve })).toThrow("refused by address policy: 169.254.169.254 is a link-local address");
    expect(connectTarget("127.1", { resolve }).host).toBe("127.0.0.1");
    expect(asked).toEqual([]);
  });

  test("http.request takes the same lookup", async () => {
    const error = await new Promise<NodeJS.ErrnoException>((done) => {
      const req = request({ ...connectTarget("metadata.test", { resolve }), port, path: "/latest/meta-data/" }, () => done(new Error("answered")));
      req.once("error", done);
      req.end();
    });
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(error.message).toContain("metadata.test resolves to 169.254.169.254");
  });
});

describe("policyLookup", () => {
  const lookupAll = (hostname: string, allowed = [parseCidr("169.254.0.0/16")!]) =>
    new Promise<unknown>((done) => policyLookup({ resolve, allowed })(hostname, { all: true }, (error, addresses) => done(error ?? addresses)));

  test("an administrator's range lets a name through (looked up only, never connected to)", async () => {
    await expect(lookupAll("metadata.test")).resolves.toEqual(names["metadata.test"]);
    await expect(lookupAll("mapped.test")).resolves.toEqual(names["mapped.test"]);
    await expect(lookupAll("ec2-v6.test")).resolves.toBeInstanceOf(Error);
  });

  test("answers one address when all is not asked", async () => {
    const answer = await new Promise<unknown[]>((done) => policyLookup({ resolve, allowed: [] })("local.test", {}, (...args) => done(args)));
    expect(answer).toEqual([null, "127.0.0.1", 4]);
  });
});
