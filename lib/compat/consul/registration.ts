import { z } from "zod";
import { AppError } from "@/lib/errors";
import { ZCompatRegisterInstance, type TCheck, type TRegisterInstance } from "@/lib/registry/schemas";

// PUT /v1/agent/service/register's body (Consul's field names), read into a Meshdeck registration.

/** A Go duration ("10s", "1m30s", "500ms"), in milliseconds; null when it is not one. */
export function parseGoDuration(text: string): number | null {
  if (text === "0") return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map(([part]) => part).join("") !== text) return null;
  return Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * units[unit!]!, 0));
}

const ZGoDuration = z.union([z.string().max(32), z.number()]).transform((value, ctx) => {
  const ms = typeof value === "number" ? value / 1e6 : parseGoDuration(value);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: 'must be a duration such as "10s" or "1m30s"' });
    return z.NEVER;
  }
  return ms;
});

const ZArgs = z.array(z.string().max(1024)).max(32);
const ZConsulCheck = z.object({
  CheckID: z.string().max(256).optional(),
  Name: z.string().max(256).optional(),
  Notes: z.string().max(1024).optional(),
  TTL: ZGoDuration.optional(),
  HTTP: z.string().max(2048).optional(),
  Method: z.string().max(16).optional(),
  Header: z.record(z.string(), z.array(z.string())).optional(),
  Body: z.string().max(1024).optional(),
  TCP: z.string().max(512).optional(),
  GRPC: z.string().max(512).optional(),
  GRPCUseTLS: z.boolean().optional(),
  Args: ZArgs.optional(),
  ScriptArgs: ZArgs.optional(),
  Script: z.string().max(1024).optional(),
  Interval: ZGoDuration.optional(),
  Timeout: ZGoDuration.optional(),
  DeregisterCriticalServiceAfter: ZGoDuration.optional(),
  SuccessBeforePassing: z.number().int().min(0).max(10).optional(),
  FailuresBeforeCritical: z.number().int().min(0).max(10).optional(),
});
type TConsulCheck = z.infer<typeof ZConsulCheck>;

export const ZConsulService = z.object({
  ID: z.string().optional(),
  Name: z.string({ error: "Missing service name" }),
  Tags: z.array(z.string()).nullish(),
  Address: z.string().optional(),
  Port: z.number().int().optional(),
  Meta: z.record(z.string(), z.string()).nullish(),
  EnableTagOverride: z.boolean().optional(),
  Weights: z.object({ Passing: z.number().int(), Warning: z.number().int().optional() }).nullish(),
  Check: ZConsulCheck.nullish(),
  Checks: z.array(ZConsulCheck).max(8).nullish(),
});
export type TConsulService = z.infer<typeof ZConsulService>;

/** Consul's refusal of a script check where they are not enabled, with Meshdeck's setting in place of Consul's. */
export const scriptChecksDisabled =
  "Scripts are disabled on this agent; to enable, an administrator sets MESHDECK_CONSUL_SCRIPT_CHECKS=1 (Consul's 'enable_script_checks')";

const bad = (message: string) => new AppError("bad_request", message, "Check");

// "host:port" of a TCP or gRPC check: Meshdeck probes the instance's own address, so it must be that one.
function assertOwnAddress(target: string, address: string, port: number, kind: string) {
  const match = /^(?:\[([^\]]+)\]|([^:/]+)):(\d+)$/.exec(target);
  const host = match?.[1] ?? match?.[2];
  if (!host || Number(match?.[3]) !== port || host !== address) {
    throw bad(`Invalid check: ${kind} must be the service's own ${address}:${port} (Meshdeck probes the instance's address), not '${target}'`);
  }
}

function activeFields(check: TConsulCheck, deregisterAfter: number | null) {
  if (check.Interval === undefined) throw bad("Invalid check: Interval is required for HTTP, TCP, gRPC and script checks");
  // Consul's default timeout is 10s; here it must be shorter than the interval too.
  const timeout = check.Timeout ?? Math.min(10_000, Math.floor(check.Interval * 0.8));
  return {
    interval: check.Interval,
    timeout,
    deregisterAfter,
    // Consul turns a check critical (or passing) on the first result unless told to wait for more.
    rise: Math.max(1, check.SuccessBeforePassing ?? 1),
    fall: Math.max(1, check.FailuresBeforeCritical ?? 1),
  };
}

/** The one check a Meshdeck instance has, from Consul's check definition (none: a TCP check of the address). */
export function toCheck(check: TConsulCheck | undefined, { address, port, scriptChecks }: { address: string; port: number; scriptChecks: boolean }): TCheck {
  if (!check) return { kind: "tcp", interval: 10_000, timeout: 5000, deregisterAfter: null, rise: 1, fall: 1 };
  const deregisterAfter = check.DeregisterCriticalServiceAfter ?? null;
  const args = check.ScriptArgs ?? check.Args ?? (check.Script ? ["/bin/sh", "-c", check.Script] : undefined);
  if (args) {
    if (!scriptChecks) throw bad(scriptChecksDisabled);
    return { kind: "script", args, ...activeFields(check, deregisterAfter) };
  }
  if (check.TTL !== undefined) return { kind: "ttl", ttl: check.TTL, deregisterAfter };
  if (check.HTTP !== undefined) {
    let url: URL;
    try {
      url = new URL(check.HTTP);
    } catch {
      throw bad(`Invalid check: HTTP '${check.HTTP}' is not a URL`);
    }
    if (url.protocol !== "http:") throw bad("Invalid check: HTTP must be an http:// URL (Meshdeck's HTTP checks speak plain HTTP)");
    if ((check.Method && check.Method !== "GET") || check.Body || check.Header)
      throw bad("Invalid check: Meshdeck's HTTP checks send a plain GET (no Method, Header or Body)");
    assertOwnAddress(url.host, address, port, "HTTP");
    return { kind: "http", path: `${url.pathname}${url.search}`, ...activeFields(check, deregisterAfter) };
  }
  if (check.TCP !== undefined) {
    assertOwnAddress(check.TCP, address, port, "TCP");
    return { kind: "tcp", ...activeFields(check, deregisterAfter) };
  }
  if (check.GRPC !== undefined) {
    if (check.GRPCUseTLS) throw bad("Invalid check: gRPC checks with TLS are not supported (GRPCUseTLS)");
    const [target = "", service = ""] = check.GRPC.split(/\/(.*)/s);
    assertOwnAddress(target, address, port, "GRPC");
    return { kind: "grpc", service, ...activeFields(check, deregisterAfter) };
  }
  throw bad("Invalid check: one of Args, HTTP, TCP, GRPC or TTL is needed (H2PING, UDP, OSService and alias checks are not supported)");
}

/** The registration Meshdeck stores for a Consul service definition; `peer` is the address when none is given. */
export function toRegistration(body: unknown, { peer, scriptChecks }: { peer: string; scriptChecks: boolean }): TRegisterInstance {
  const service = ZConsulService.parse(body);
  const checks = [...(service.Check ? [service.Check] : []), ...(service.Checks ?? [])];
  if (checks.length > 1) throw bad("Meshdeck keeps one check per instance: send one Check (or one entry in Checks)");
  const id = service.ID || service.Name;
  const checkId = checks[0]?.CheckID;
  if (checkId && checkId !== `service:${id}`)
    throw bad(`Meshdeck names the check 'service:${id}', as Consul does for a service's only check; leave CheckID out`);
  const address = service.Address || peer;
  if (service.Port === undefined || service.Port === 0)
    throw new AppError("bad_request", "Port is required: Meshdeck routes to and checks an address and port", "Port");
  const check = toCheck(checks[0], { address, port: service.Port, scriptChecks });
  return ZCompatRegisterInstance.parse({
    service: service.Name,
    id,
    host: address,
    port: service.Port,
    // Consul's Weights.Passing is the weight; without Weights, Meshdeck's default.
    weight: service.Weights?.Passing ?? 100,
    tags: service.Tags ?? [],
    metadata: service.Meta ?? {},
    check,
  });
}
