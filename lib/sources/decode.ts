import { createHash } from "node:crypto";
import { literalRefusal } from "@/lib/net/address-policy";
import { ZHost, ZInstanceId, ZServiceName } from "@/lib/registry/schemas";
import type { TSourceInstance } from "./types";

// Small readers shared by the conventions: addresses, metadata, weights as registries write them.

/** What one key or node decodes to, with a note when part of it was left out; or why it was skipped whole. */
export type TDecoded = { instance: TSourceInstance; warning?: string } | { skipped: string };

export const skip = (skipped: string): TDecoded => ({ skipped });

/** `host:port`, `[::1]:port` or a URL's authority; null when there is no usable port. */
export function parseAddress(text: string): { host: string; port: number } | null {
  const authority = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split(/[/?#]/)[0]! : text.trim();
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(authority) ?? /^([^:\s]+):(\d+)$/.exec(authority);
  if (!match) return null;
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: match[1]!, port };
}

/** Why a source's instance host is not taken, to follow it in a skip reason ("is not a host name..."), or null. */
export function hostIssue(host: string): string | null {
  const refusal = literalRefusal(host);
  if (refusal) return `is ${refusal}`;
  return ZHost.safeParse(host).success ? null : "is not a host name or address";
}

/** String-valued fields of a JSON object (numbers and booleans written as text); nested values are left out. */
export function stringFields(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  const fields: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === "string") fields[key] = field;
    else if (typeof field === "number" || typeof field === "boolean") fields[key] = String(field);
  }
  return fields;
}

/** A weight as text or number, clamped to Meshdeck's 0..10000; `fallback` when absent or not a number. */
export function parseWeight(value: unknown, fallback = 100): number {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(number)) return fallback;
  return Math.min(10_000, Math.max(0, Math.round(number)));
}

export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Service names from a source, in the registry's alphabet: path separators become dots. */
export function serviceNameOf(text: string): string | null {
  const parsed = ZServiceName.safeParse(text.replace(/^\/+|\/+$/g, "").replace(/\//g, "."));
  return parsed.success ? parsed.data : null;
}

/** Instance ids from a source, in the registry's alphabet (':' allowed, for host:port ids). */
export function instanceIdOf(text: string): string | null {
  const parsed = ZInstanceId.safeParse(text);
  return parsed.success ? parsed.data : null;
}

// The catalog takes at most 64 metadata entries, keys up to 64 and values up to 512 characters.
const maxEntries = 64;
const maxKey = 64;
const maxValue = 512;

/**
 * Metadata as the catalog takes it: entries over its limits (a long key or value, past the 64th) are left out,
 * named in `warning`, so one registration cannot grow every discovery answer.
 */
export function fitMetadata(entries: Iterable<[string, string]>): { metadata: Record<string, string>; warning?: string } {
  const metadata: Record<string, string> = {};
  const leftOut: string[] = [];
  let count = 0;
  for (const [key, value] of entries) {
    if (key === "" || key in metadata) continue;
    if (count === maxEntries || key.length > maxKey || value.length > maxValue) leftOut.push(key.slice(0, 40));
    else {
      metadata[key] = value;
      count++;
    }
  }
  if (leftOut.length === 0) return { metadata };
  const named = `${leftOut.slice(0, 3).join(", ")}${leftOut.length > 3 ? ` and ${leftOut.length - 3} more` : ""}`;
  return {
    metadata,
    warning: `${leftOut.length} metadata entries over the catalog's limits (${maxEntries} entries, ${maxKey}-character keys, ${maxValue}-character values) left out: ${named}`,
  };
}

/** An id within the catalog's 128 characters: a long leading name is cut to its last segment plus a hash of it. */
export function fitInstanceId(name: string, rest: string): string {
  const id = `${name}:${rest}`;
  if (id.length <= 128) return id;
  const short = `${name.split(".").at(-1) ?? name}-${createHash("sha1").update(name).digest("hex").slice(0, 8)}`;
  return `${short.slice(0, 40)}:${rest}`;
}
