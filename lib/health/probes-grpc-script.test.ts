import { Server, ServerCredentials, status as grpcStatus, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { probeGrpc, probeScript } from "./probes";

// A real gRPC server (grpc-js) serving grpc.health.v1.Health/Check, its messages encoded by hand: HealthCheckRequest
// { string service = 1 }, HealthCheckResponse { ServingStatus status = 1 } (SERVING 1, NOT_SERVING 2).
const statuses: Record<string, number> = { "": 1, "orders.v1": 1, "billing.v1": 2 };
const health: ServiceDefinition = {
  Check: {
    path: "/grpc.health.v1.Health/Check",
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: { service: string }) => Buffer.from(value.service),
    requestDeserialize: (bytes: Buffer) => ({ service: bytes.length > 2 ? bytes.subarray(2, 2 + bytes[1]!).toString() : "" }),
    responseSerialize: (value: number) => (value === 0 ? Buffer.alloc(0) : Buffer.from([0x08, value])),
    responseDeserialize: (bytes: Buffer) => bytes[1] ?? 0,
  },
};

let server: Server;
let port = 0;

beforeAll(async () => {
  server = new Server();
  server.addService(health, {
    Check: (call: ServerUnaryCall<{ service: string }, number>, callback: sendUnaryData<number>) => {
      const known = statuses[call.request.service];
      if (known === undefined) callback({ code: grpcStatus.NOT_FOUND, details: "unknown service" });
      else callback(null, known);
    },
  });
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
});

afterAll(() => server.forceShutdown());

describe("gRPC health probe", () => {
  test.each([
    ["", "pass", "gRPC health: SERVING"],
    ["orders.v1", "pass", "gRPC health: SERVING"],
    ["billing.v1", "fail", "gRPC health: NOT_SERVING"],
    ["nobody", "fail", "gRPC status 5: unknown service"],
  ])("service '%s': %s", async (service, status, output) => {
    expect(await probeGrpc({ host: "127.0.0.1", port, service, timeoutMs: 2000 })).toMatchObject({ status, output });
  });

  test("a port with no gRPC server is critical", async () => {
    const result = await probeGrpc({ host: "127.0.0.1", port: 1, service: "", timeoutMs: 2000 });
    expect(result.status).toBe("fail");
  });

  test("the address policy is asked first", async () => {
    const result = await probeGrpc({ host: "169.254.169.254", port: 50051, service: "", timeoutMs: 200 });
    expect(result).toMatchObject({ status: "fail", output: expect.stringMatching(/^refused by address policy: /) });
  });
});

describe("script probe", () => {
  test.each([
    [["/bin/sh", "-c", "echo fine"], "pass", "fine\n"],
    [["/bin/sh", "-c", "echo degraded; exit 1"], "warn", "degraded\n"],
    [["/bin/sh", "-c", "echo broken >&2; exit 2"], "fail", "broken\n"],
    [["/nonexistent/check.sh"], "fail", "ENOENT"],
  ])("%j: %s", async (args, status, output) => {
    const result = await probeScript({ args, timeoutMs: 2000 });
    expect(result.status).toBe(status);
    expect(result.output).toContain(output);
  });

  test("a command past its timeout is killed and critical", async () => {
    const result = await probeScript({ args: ["/bin/sleep", "5"], timeoutMs: 200 });
    expect(result).toMatchObject({ status: "fail", output: "timed out after 200 ms" });
  });
});
