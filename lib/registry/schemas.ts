import { z } from "zod";
import { ZBalancingPolicy } from "@/lib/balancing";
import { ZDuration } from "@/lib/duration";
import { policyHostCheck } from "@/lib/net/address-policy";
import { plainTextCheck } from "@/lib/plain-text";

// Names travel in URLs, registries and metric labels: letters, digits and . _ - (and : in ids).
export const ZServiceName = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "may hold only letters, digits, '.', '_' and '-', starting with a letter or digit");

export const ZInstanceId = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "may hold only letters, digits, '.', '_', ':' and '-', starting with a letter or digit");

export const ZHost = z
  .string()
  .min(1, "must not be empty")
  .max(253, "must be at most 253 characters")
  // Refused here too, not only when connecting: a registration nothing would ever connect to is an error.
  .check(policyHostCheck())
  .regex(/^[A-Za-z0-9.:_-]+$/, "must be a host name or an IP address");

export const ZWeight = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be between 0 and 10000")
  .max(10000, "must be between 0 and 10000");

const ZTags = z.array(z.string().min(1).max(64, "a tag must be at most 64 characters").check(plainTextCheck())).max(32, "at most 32 tags");
const ZMetadata = z
  .record(
    z.string().max(64, "a key must be at most 64 characters").check(plainTextCheck()),
    z.string().max(512, "a value must be at most 512 characters").check(plainTextCheck()),
  )
  .refine((value) => Object.keys(value).length <= 64, "at most 64 entries");

const minIntervalMs = 100;

// How long an instance may stay critical before it is deregistered; null keeps it for good.
const day = 86_400_000;
const ZDeregisterAfter = ZDuration.pipe(
  z
    .number()
    .min(1000, "must be at least 1s")
    .max(30 * day, "must be at most 720h (30 days)"),
).nullable();
// Bounded so every duration fits the database's 32-bit integers with room to spare.
const ZCheckDuration = ZDuration.pipe(z.number().max(day, "must be at most 24h"));

const ZActiveCheck = z.object({
  deregisterAfter: ZDeregisterAfter.default(null),
  interval: ZCheckDuration.default(1000),
  timeout: ZCheckDuration.default(800),
  rise: z.number().int().min(1).max(10).default(2),
  fall: z.number().int().min(1).max(10).default(2),
});

const ZTtlCheck = z.strictObject({ kind: z.literal("ttl"), ttl: ZCheckDuration.default(3000), deregisterAfter: ZDeregisterAfter.default(60_000) });
const ZHttpCheck = ZActiveCheck.extend({
  kind: z.literal("http"),
  path: z
    .string()
    .max(1024)
    .regex(/^\/[^\s#]*$/, "must be a path starting with '/'")
    .check(plainTextCheck())
    .default("/health"),
}).strict();
const ZTcpCheck = ZActiveCheck.extend({ kind: z.literal("tcp") }).strict();
// grpc.health.v1.Health/Check on the instance's address; `service` is the name asked about ("" the whole server).
const ZGrpcCheck = ZActiveCheck.extend({
  kind: z.literal("grpc"),
  service: z
    .string()
    .max(127, "must be at most 127 characters")
    .regex(/^[A-Za-z0-9._/-]*$/, "may hold only letters, digits, '.', '_', '/' and '-'")
    .default(""),
}).strict();
// A command run on the collector's host (exit 0 passing, 1 warning, else critical): only the Consul API registers one,
// and only while an admin allows script checks (MESHDECK_CONSUL_SCRIPT_CHECKS=1), as Consul's enable_script_checks.
const ZScriptCheck = ZActiveCheck.extend({
  kind: z.literal("script"),
  args: z.array(z.string().min(1).max(1024).check(plainTextCheck())).min(1, "must name the command").max(32, "at most 32 arguments"),
}).strict();

function refineCheck(check: { kind: string; ttl?: number; interval?: number; timeout?: number }, ctx: z.RefinementCtx) {
  if (check.kind === "ttl") {
    if (check.ttl! < 1000) ctx.addIssue({ code: "custom", path: ["ttl"], message: "must be at least 1s" });
    return;
  }
  if (check.interval! < minIntervalMs) ctx.addIssue({ code: "custom", path: ["interval"], message: "must be at least 100ms" });
  if (check.timeout! >= check.interval!) ctx.addIssue({ code: "custom", path: ["timeout"], message: "must be shorter than the interval" });
}

export const ZCheck = z
  .discriminatedUnion("kind", [ZTtlCheck, ZHttpCheck, ZTcpCheck, ZGrpcCheck], { error: "kind must be one of ttl, http, tcp, grpc" })
  .superRefine(refineCheck);
/** The checks a compat API may register: Meshdeck's own, and script checks (Consul's). */
export const ZCompatCheck = z
  .discriminatedUnion("kind", [ZTtlCheck, ZHttpCheck, ZTcpCheck, ZGrpcCheck, ZScriptCheck], { error: "kind must be one of ttl, http, tcp, grpc, script" })
  .superRefine(refineCheck);

// Where Meshdeck scrapes the instance's Prometheus metrics; null turns scraping off.
const ZMetricsEndpoint = z
  .strictObject({
    path: z
      .string()
      .max(1024)
      .regex(/^\/[^\s#]*$/, "must be a path starting with '/'")
      .check(plainTextCheck())
      .default("/metrics"),
    port: z
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 65535")
      .max(65535, "must be between 1 and 65535")
      .optional(),
  })
  .nullable();

export const ZRegisterInstance = z.strictObject({
  service: ZServiceName,
  id: ZInstanceId,
  host: ZHost,
  port: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be between 1 and 65535").max(65535, "must be between 1 and 65535"),
  weight: ZWeight.default(100),
  tags: ZTags.default([]),
  metadata: ZMetadata.default({}),
  check: ZCheck.default({ kind: "ttl", ttl: 3000, deregisterAfter: 60_000 }),
  metrics: ZMetricsEndpoint.default({ path: "/metrics" }),
});

/** A registration as a compat API makes it: a script check is possible too. */
export const ZCompatRegisterInstance = ZRegisterInstance.extend({ check: ZCompatCheck });
export type TRegisterInstance = z.infer<typeof ZCompatRegisterInstance>;
/** What a client sends: defaults may be left out. */
export type TRegistration = z.input<typeof ZRegisterInstance>;
export type TCheck = z.infer<typeof ZCompatCheck>;

// ?index=N&wait=30s on discovery: block until the catalog passes index, or wait runs out (Consul's blocking query).
export const ZWatchQuery = z.strictObject({
  index: z.coerce.number().int().min(0, "must be 0 or more").optional(),
  wait: ZDuration.pipe(z.number().min(0).max(300_000, "must be at most 5m")).default(30_000),
});

// What discovery answers: a service's instances taking traffic and how to spread requests over them.
// Shared by the API and its readers (the gateway), which parse what they receive with it.
export const ZDiscoveredInstance = z.object({
  id: z.string(),
  host: z.string(),
  port: z.number().int(),
  weight: z.number().int(),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.string()),
  health: z.string(),
});

export const ZDiscoveredService = z.object({
  service: z.string(),
  index: z.number().int(),
  policy: ZBalancingPolicy,
  hashHeader: z.string().nullable(),
  instances: z.array(ZDiscoveredInstance),
});
export type TDiscoveredService = z.infer<typeof ZDiscoveredService>;

export const ZDiscoveryCatalog = z.object({ index: z.number().int(), services: z.array(ZDiscoveredService) });
export type TDiscoveryCatalog = z.infer<typeof ZDiscoveryCatalog>;
