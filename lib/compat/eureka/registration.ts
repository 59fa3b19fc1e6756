import { z } from "zod";
import { ZHost, ZRegisterInstance, type TRegisterInstance } from "@/lib/registry/schemas";
import { AppError } from "@/lib/errors";

// How a Eureka registration (Netflix's InstanceInfo, as its JSON or XML) becomes a Meshdeck instance. What Meshdeck
// has no column for is kept in the instance's metadata under "eureka." keys, and given back in Eureka's answers.

export const eurekaStatuses = ["UP", "DOWN", "STARTING", "OUT_OF_SERVICE", "UNKNOWN"] as const;
export const ZEurekaStatus = z.enum(eurekaStatuses, { error: `must be one of ${eurekaStatuses.join(", ")}` });
export type TEurekaStatus = z.infer<typeof ZEurekaStatus>;

/** Metadata keys Meshdeck keeps for Eureka's own fields; a client's own keys may not start so. */
export const metaPrefix = "eureka.";
export const metaKeys = {
  status: "eureka.status",
  hostName: "eureka.hostName",
  vipAddress: "eureka.vipAddress",
  secureVipAddress: "eureka.secureVipAddress",
  securePort: "eureka.securePort",
  homePageUrl: "eureka.homePageUrl",
  statusPageUrl: "eureka.statusPageUrl",
  healthCheckUrl: "eureka.healthCheckUrl",
  renewalIntervalInSecs: "eureka.renewalIntervalInSecs",
} as const;

// Eureka's default lease: 90 s without a renewal and the instance has expired.
export const defaultLeaseSeconds = 90;
// Eureka's eviction task runs every 60 s, so an expired lease is gone within a minute: Meshdeck's deregisterAfter.
export const evictionMs = 60_000;

// XML gives every value as text, JSON as numbers or text: both are read.
const ZNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^\s*\d+\s*$/, "must be a whole number")
    .transform(Number),
]);
const ZFlag = z.union([z.boolean(), z.enum(["true", "false"]).transform((text) => text === "true")]);
const ZPort = z.union([
  ZNumber.transform((port) => ({ port, enabled: true })),
  z.object({ $: ZNumber, "@enabled": ZFlag.optional() }).transform((port) => ({ port: port.$, enabled: port["@enabled"] ?? true })),
]);
const ZText = z.string().max(1024, "must be at most 1024 characters");

// Only what Meshdeck uses; the many other fields clients send (countryId, sid, asgName, timestamps) are ignored as Eureka does.
const ZInstanceInfo = z.object({
  instanceId: ZText.optional(),
  // Both go through the address policy: Meshdeck connects to ipAddr, Eureka clients to hostName.
  hostName: ZHost,
  app: ZText.min(1, "must not be empty"),
  ipAddr: z.preprocess((value) => (value === "" ? undefined : value), ZHost.optional()),
  status: ZEurekaStatus.default("UP"),
  port: ZPort.optional(),
  securePort: ZPort.optional(),
  vipAddress: ZText.optional(),
  secureVipAddress: ZText.optional(),
  homePageUrl: ZText.optional(),
  statusPageUrl: ZText.optional(),
  healthCheckUrl: ZText.optional(),
  leaseInfo: z
    .object({
      renewalIntervalInSecs: ZNumber.pipe(z.number().int().min(1).max(86_400)).optional(),
      durationInSecs: ZNumber.pipe(z.number().int().min(1, "must be at least 1").max(86_400, "must be at most 86400")).optional(),
    })
    .optional(),
  // XML gives an empty map as <metadata class="java.util.Collections$EmptyMap"/>; JSON as {"@class": ...}.
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
});
export const ZEurekaRegistration = z.object({ instance: ZInstanceInfo }, { error: "the body must be an object with an 'instance'" });

/** Eureka upper-cases app names; a Meshdeck service name is the app name in lower case. */
export function serviceOfApp(app: string): string {
  return app.toLowerCase();
}

/** A registration body (JSON or XML, already parsed) for `app` of the path, as the built-in registry's input. */
export function toRegistration(app: string, body: unknown): TRegisterInstance {
  const { instance } = ZEurekaRegistration.parse(body);
  if (instance.app.toUpperCase() !== app.toUpperCase()) {
    throw new AppError("bad_request", `mismatched app name: the path says ${app.toUpperCase()}, the body ${instance.app.toUpperCase()}`, "instance.app");
  }
  const own = Object.entries(instance.metadata ?? {}).filter(([key]) => key !== "@class");
  const reserved = own.find(([key]) => key.startsWith(metaPrefix));
  if (reserved) throw new AppError("validation_failed", `metadata key '${reserved[0]}': keys starting '${metaPrefix}' are Meshdeck's own`, "instance.metadata");
  const plain = instance.port && instance.port.enabled ? instance.port : undefined;
  const secure = instance.securePort?.enabled ? instance.securePort : undefined;
  const port = plain ?? secure;
  if (!port) throw new AppError("validation_failed", "instance.port: an enabled port or securePort is needed", "instance.port");
  const host = instance.ipAddr || instance.hostName;
  const kept: Record<string, string | undefined> = {
    // Anything but UP keeps the instance out of traffic (weight 0) and is told back as the client said it.
    [metaKeys.status]: instance.status === "UP" ? undefined : instance.status,
    [metaKeys.hostName]: instance.hostName === host ? undefined : instance.hostName,
    [metaKeys.vipAddress]: instance.vipAddress,
    [metaKeys.secureVipAddress]: instance.secureVipAddress,
    [metaKeys.securePort]: secure ? String(secure.port) : undefined,
    [metaKeys.homePageUrl]: instance.homePageUrl,
    [metaKeys.statusPageUrl]: instance.statusPageUrl,
    [metaKeys.healthCheckUrl]: instance.healthCheckUrl,
    [metaKeys.renewalIntervalInSecs]: instance.leaseInfo?.renewalIntervalInSecs?.toString(),
  };
  const eurekaFields = Object.entries(kept).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "");
  return ZRegisterInstance.parse({
    service: serviceOfApp(instance.app),
    id: instance.instanceId || instance.hostName,
    host,
    port: port.port,
    weight: instance.status === "UP" ? 100 : 0,
    metadata: Object.fromEntries([...own, ...eurekaFields]),
    check: { kind: "ttl", ttl: (instance.leaseInfo?.durationInSecs ?? defaultLeaseSeconds) * 1000, deregisterAfter: evictionMs },
    // Eureka clients publish metrics where they like (Spring: /actuator/prometheus); Meshdeck scrapes none by default.
    metrics: null,
  });
}
