import { ZInstanceId, ZServiceName } from "@/lib/registry/schemas";

// Readers shared by the ZooKeeper conventions; what a node decodes to is decode.ts's TDecoded.
export { fitInstanceId, fitMetadata, parseWeight, skip, type TDecoded } from "../decode";

export const isServiceName = (text: string) => ZServiceName.safeParse(text).success;
export const isInstanceId = (text: string) => ZInstanceId.safeParse(text).success;

/** Java's Boolean.parseBoolean, which Dubbo reads flags with: only "true" (any case) is true. */
export const javaBoolean = (value: unknown) => String(value).toLowerCase() === "true";

export const isPort = (port: unknown): port is number => typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65535;

/** JSON fields as metadata entries: nested objects as dotted keys, numbers and booleans as text, arrays and nulls left out. */
export function* flattenFields(value: unknown, prefix = ""): Generator<[string, string]> {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    yield [prefix || "payload", String(value)];
    return;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, field] of Object.entries(value)) yield* flattenFields(field, prefix ? `${prefix}.${key}` : key);
}
