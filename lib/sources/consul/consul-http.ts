import "server-only";
import { sendOutbound } from "@/lib/net/outbound-http";
import type { TSourceSettings } from "../types";

/** What an answer says besides its body: its blocking-query index and how fresh the answering server is. */
export type TConsulAnswer<T> = { body: T; index: number; knownLeader: boolean; lastContactMs: number };

// A server that has not heard from the leader for this long answers from data too old to call in sync.
export const maxLastContactMs = 10_000;
// A request that is not a blocking query fails after this long, so an unreachable source shows as stale within seconds.
const callTimeoutMs = 5000;

type TConsulSettings = Pick<TSourceSettings, "endpoints" | "password" | "tls" | "prefix">;

/** Why an answer is too old to sync from, or null: no known leader, or no contact with it for too long. */
export function staleness({ knownLeader, lastContactMs }: Pick<TConsulAnswer<unknown>, "knownLeader" | "lastContactMs">): string | null {
  if (!knownLeader) return "stale: the Consul servers know no leader (X-Consul-KnownLeader: false)";
  if (lastContactMs > maxLastContactMs) return `stale: the answering server last heard from the leader ${Math.round(lastContactMs / 1000)} s ago`;
  return null;
}

export function headerNumber(value: string | string[] | undefined): number {
  const number = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(number) ? number : 0;
}

/** One HTTP exchange with a Consul agent: the ACL token as a header (never in the URL), TLS as the source sets it. */
export async function consulRequest<T>(
  settings: TConsulSettings,
  {
    address,
    method = "GET",
    path,
    query = {},
    body,
    timeoutMs = callTimeoutMs,
    signal,
  }: { address: string; method?: string; path: string; query?: Record<string, string>; body?: unknown; timeoutMs?: number; signal?: AbortSignal },
): Promise<TConsulAnswer<T>> {
  // An https:// endpoint, or TLS settings, mean HTTPS.
  const url = new URL(`${address.includes("://") ? address : `${settings.tls ? "https" : "http"}://${address}`}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const headers: Record<string, string> = { accept: "application/json" };
  if (settings.password) headers["x-consul-token"] = settings.password;
  const text = body === undefined ? undefined : JSON.stringify(body);
  if (text !== undefined) headers["content-type"] = "application/json";
  const tls = settings.tls ?? undefined;
  const answer = await sendOutbound({ url, method, headers, body: text, timeoutMs, signal, ...(tls ? { tls } : {}) });
  if (answer.status !== 200) throw new Error(`${method} ${path} on ${address}: HTTP ${answer.status} ${answer.text.slice(0, 200).trim()}`);
  let parsed: unknown = null;
  if (answer.text.trim() !== "") {
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      throw new Error(`${method} ${path} on ${address}: the answer is not JSON`);
    }
  }
  return {
    body: parsed as T,
    index: headerNumber(answer.headers["x-consul-index"]),
    knownLeader: answer.headers["x-consul-knownleader"] !== "false",
    lastContactMs: headerNumber(answer.headers["x-consul-lastcontact"]),
  };
}

/** Read parameters every catalog and health read carries: any server may answer (`stale`), in the source's datacenter. */
export function readQuery(settings: Pick<TSourceSettings, "prefix">, extra: Record<string, string> = {}): Record<string, string> {
  return { stale: "", ...(settings.prefix ? { dc: settings.prefix } : {}), ...extra };
}
