import { z } from "zod";
import { ZDuration } from "@/lib/duration";
import { noNulCheck, plainTextCheck } from "@/lib/plain-text";
import { ZInstanceId, ZServiceName } from "@/lib/registry/schemas";

export const CONFIG_FORMATS = ["json", "yaml", "properties", "text"] as const;
export const ZConfigFormat = z.enum(CONFIG_FORMATS, { error: "must be one of json, yaml, properties, text" });
export type TConfigFormat = z.infer<typeof ZConfigFormat>;

/** The largest item content, in UTF-8 bytes (Nacos's default limit too); bigger is a 413. */
export const MAX_CONFIG_BYTES = 100 * 1024;
/** A request body carrying content (escaped in JSON) may be this large. */
export const MAX_CONFIG_BODY_BYTES = 512 * 1024;
/** An import file may be this large. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export const ZNamespaceName = z
  .string()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "may hold only lower-case letters, digits and '-', starting with a letter or digit");

// A group is usually a service, so it follows service names.
export const ZGroupName = ZServiceName;

export const ZConfigKey = z
  .string()
  .min(1, "must not be empty")
  .max(256, "must be at most 256 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "may hold only letters, digits, '.', '_' and '-', starting with a letter or digit");

export const ZConfigRef = z.strictObject({ namespace: ZNamespaceName, group: ZGroupName, key: ZConfigKey });
export type TConfigRef = z.infer<typeof ZConfigRef>;

export const ZMessage = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required: say why")
  .max(500, "must be at most 500 characters")
  .check(plainTextCheck({ multiline: true }));
// The version the editor opened (0 for a new item); a newer one means someone published meanwhile.
const ZBaseVersion = z.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more");
export const ZContent = z.string({ error: "must be a string" }).check(noNulCheck);

export const ZPublishConfig = z.strictObject({
  format: ZConfigFormat,
  content: ZContent,
  message: ZMessage,
  baseVersion: ZBaseVersion,
  // Admins only: masked in the UI, diffs and the audit log; readable by admins and tokens allowed to.
  secret: z.boolean().optional(),
});
export type TPublishConfig = z.infer<typeof ZPublishConfig>;

export const ZRollbackConfig = z.strictObject({
  version: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more"),
  message: ZMessage,
  baseVersion: ZBaseVersion,
});
export type TRollbackConfig = z.infer<typeof ZRollbackConfig>;

const ZTag = z.string().min(1, "must not be empty").max(64, "must be at most 64 characters").check(plainTextCheck());

export const ZStartGray = z
  .strictObject({
    content: ZContent,
    message: ZMessage,
    baseVersion: ZBaseVersion,
    instances: z.array(ZInstanceId).max(1000, "must name at most 1000 instances").default([]),
    tags: z.array(ZTag).max(32, "must name at most 32 tags").default([]),
  })
  .refine((input) => input.instances.length + input.tags.length > 0, { message: "must choose instances: by id or tag", path: ["instances"] });
export type TStartGray = z.infer<typeof ZStartGray>;

export const ZEndGray = z.strictObject({ message: ZMessage });
/** How a gray release ends: the API's words (…/gray/promote, …/gray/abandon), the console's too. */
export const ZGrayOutcome = z.enum(["promote", "abandon"], { error: "must be promote or abandon" });
export type TGrayOutcome = z.infer<typeof ZGrayOutcome>;

export const ZDeleteConfig = z.strictObject({ message: ZMessage, baseVersion: ZBaseVersion });

export const ZCreateNamespace = z.strictObject({
  name: ZNamespaceName,
  description: z
    .string()
    .trim()
    .max(200, "must be at most 200 characters")
    .check(plainTextCheck({ multiline: true }))
    .default(""),
});

// Who is asking: gray releases reach an instance by its id or its tags.
export const ZClientIdentity = z.strictObject({
  instance: ZInstanceId.optional(),
  tags: z.array(ZTag).max(32, "must name at most 32 tags").default([]),
});
export type TClientIdentity = z.infer<typeof ZClientIdentity>;

export const WATCH_MAX_MS = 120_000;

export const ZWatchConfig = z.strictObject({
  instance: ZInstanceId,
  tags: z.array(ZTag).max(32, "must name at most 32 tags").default([]),
  // Where the instance serves (host:port), shown in the listener list.
  address: z.string().max(256, "must be at most 256 characters").check(plainTextCheck()).optional(),
  timeout: ZDuration.pipe(z.number().min(0).max(WATCH_MAX_MS, "must be at most 2m")).default(30_000),
  items: z
    .array(
      ZConfigRef.extend({
        version: z.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more"),
        // Whether the version held came as a gray one: a promotion keeps the version, and only this tells the instance it ended.
        gray: z.boolean({ error: "must be true or false" }).optional(),
      }),
    )
    .min(1, "must name at least one item")
    .max(200, "must name at most 200 items"),
});
export type TWatchConfig = z.infer<typeof ZWatchConfig>;

/** `?instance=orders-1&tags=zone-a,v2` on the client reads. */
export function parseIdentity(params: URLSearchParams): TClientIdentity {
  const tags = params.get("tags");
  return ZClientIdentity.parse({ instance: params.get("instance") ?? undefined, tags: tags ? tags.split(",").filter(Boolean) : [] });
}
