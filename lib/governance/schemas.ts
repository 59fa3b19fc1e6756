import { z } from "zod";
import { MAX_WEIGHT, ZBalancingPolicy, ZHashKey } from "@/lib/balancing";
import { ZDuration } from "@/lib/duration";
import { ZHealth } from "@/lib/health/health";
import { ZInstanceFilter } from "@/lib/registry/instance-page";
import { plainTextCheck } from "@/lib/plain-text";
import { ZInstanceId, ZServiceName } from "@/lib/registry/schemas";

// Names that would reach an object's prototype rather than be a key of it; zod's record drops `__proto__` silently.
const objectKeys = new Set(["__proto__", "constructor", "prototype"]);
const hasObjectKey = (value: unknown) => typeof value === "object" && value !== null && Object.keys(value).some((key) => objectKeys.has(key));

// Instances whose metadata has every one of these values; at least one, as an empty selector would choose the whole fleet.
const ZMetadataSelector = z
  .custom<unknown>((value) => !hasObjectKey(value), "must not name __proto__, constructor or prototype")
  .pipe(
    z
      .record(z.string().min(1).max(128).check(plainTextCheck()), z.string().max(512).check(plainTextCheck()))
      .refine((metadata) => Object.keys(metadata).length > 0, "must name at least one key: an empty selector would choose every instance"),
  );

// Which instances a change is for: every instance matching all the given criteria.
export const ZInstanceSelector = z
  .strictObject({
    service: ZServiceName.optional(),
    // The service page's filters, narrowing a selection that names something else too ("all 600 matching").
    q: ZInstanceFilter.shape.q,
    health: ZHealth.optional(),
    enabled: z.boolean().optional(),
    ids: z.array(ZInstanceId).min(1, "must name at least one instance").max(1000, "must name at most 1000 instances").optional(),
    tag: z.string().min(1, "must not be empty").max(128).check(plainTextCheck()).optional(),
    metadata: ZMetadataSelector.optional(),
  })
  .refine((selector) => selector.service || selector.ids || selector.tag || selector.metadata, {
    message: "must choose instances: by service, ids, tag or metadata",
  });
export type TInstanceSelector = z.infer<typeof ZInstanceSelector>;

export const ZWeight = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be 0 or more")
  .max(MAX_WEIGHT, `must be at most ${MAX_WEIGHT}`);

// An operator's choice for the selected instances; reset gives them back what they register.
export const ZInstanceChange = z
  .strictObject({ weight: ZWeight.optional(), enabled: z.boolean().optional(), reset: z.literal(true).optional() })
  .refine((change) => change.weight !== undefined || change.enabled !== undefined || change.reset, {
    message: "must set weight, enabled or reset",
  })
  .refine((change) => !(change.reset && (change.weight !== undefined || change.enabled !== undefined)), {
    message: "reset cannot be combined with weight or enabled",
  });
export type TInstanceChange = z.infer<typeof ZInstanceChange>;

const ZReason = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .check(plainTextCheck({ multiline: true }));

export const ZChangeInstances = z
  .strictObject({
    selector: ZInstanceSelector,
    change: ZInstanceChange,
    // The change reverts by itself after this long (a drain for a deploy, a canary weight for an hour).
    expiresIn: ZDuration.pipe(
      z
        .number()
        .min(10_000, "must be at least 10s")
        .max(30 * 86_400_000, "must be at most 30d"),
    ).optional(),
    reason: ZReason.optional(),
    // Applies a change the guard refuses (an outage, below the protection threshold); needs a reason.
    force: z.boolean().default(false),
    // The override version of each instance as the operator saw it; a newer one means someone else changed it.
    expected: z.record(ZInstanceId, z.number().int().min(0)).optional(),
  })
  .refine((input) => !input.force || (input.reason && input.reason.length > 0), { message: "a forced change needs a reason", path: ["reason"] })
  .refine((input) => !(input.expiresIn && input.change.reset), { message: "a reset does not expire", path: ["expiresIn"] });
export type TChangeInstances = z.infer<typeof ZChangeInstances>;

export const ZSetServicePolicy = z
  .strictObject({
    policy: ZBalancingPolicy,
    hashHeader: ZHashKey.shape.header.optional(),
    // The share of a service's instances that must keep taking traffic (0..1, Nacos's protect threshold).
    protectionThreshold: z.number({ error: "must be a number" }).min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
    expectedVersion: z.number().int().min(0).optional(),
    reason: ZReason.optional(),
  })
  .refine((input) => input.policy !== "consistent-hash" || input.hashHeader, {
    message: "consistent-hash needs the request header to hash",
    path: ["hashHeader"],
  });
export type TSetServicePolicy = z.infer<typeof ZSetServicePolicy>;
