import { createHash } from "node:crypto";
import { ZInstanceId, ZServiceName } from "@/lib/registry/schemas";
import type { TSourceInstance } from "../types";

// Readers shared by the ZooKeeper conventions: what a node decodes to, or why it was skipped.

export type TDecoded = { instance: TSourceInstance } | { skipped: string };

export const skip = (skipped: string): TDecoded => ({ skipped });

export const isServiceName = (text: string) => ZServiceName.safeParse(text).success;
export const isInstanceId = (text: string) => ZInstanceId.safeParse(text).success;

/** A weight as text or number, clamped to Meshdeck's 0..10000; `fallback` when absent or not a number. */
export function parseWeight(value: unknown, fallback = 100): number {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(number)) return fallback;
  return Math.min(10_000, Math.max(0, Math.round(number)));
}

/** Java's Boolean.parseBoolean, which Dubbo reads flags with: only "true" (any case) is true. */
export const javaBoolean = (value: unknown) => String(value).toLowerCase() === "true";

export const isPort = (port: unknown): port is number => typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65535;

// The catalog takes at most 64 metadata entries, keys up to 64 and values up to 512 characters.
const maxEntries = 64;
const maxKey = 64;
const maxValue = 512;

/** Metadata as the catalog takes it: over-long keys left out, over-long values cut, at most 64 entries in order. */
export function fitMetadata(entries: Iterable<[string, string]>): Record<string, string> {
  const metadata: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of entries) {
    if (count === maxEntries) break;
    if (key === "" || key.length > maxKey || key in metadata) continue;
    metadata[key] = value.length > maxValue ? value.slice(0, maxValue) : value;
    count++;
  }
  return metadata;
}

/** JSON fields as metadata entries: nested objects as dotted keys, numbers and booleans as text, arrays and nulls left out. */
export function* flattenFields(value: unknown, prefix = ""): Generator<[string, string]> {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    yield [prefix || "payload", String(value)];
    return;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, field] of Object.entries(value)) yield* flattenFields(field, prefix ? `${prefix}.${key}` : key);
}

/** An id within the catalog's 128 characters: a long leading name is cut to its last segment plus a hash of it. */
export function fitInstanceId(name: string, rest: string): string {
  const id = `${name}:${rest}`;
  if (id.length <= 128) return id;
  const short = `${name.split(".").at(-1) ?? name}-${createHash("sha1").update(name).digest("hex").slice(0, 8)}`;
  return `${short.slice(0, 40)}:${rest}`;
}
