import "server-only";
import { admissionGate } from "@/lib/api/admission";
import { getCatalogIndex, getServiceIndex, waitForChange } from "@/lib/catalog/catalog-index";
import { trafficState } from "@/lib/catalog/traffic-state";
import { db, type Prisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { TCompatAnswer, TCompatRequest } from "../listen";
import { parseFilter } from "./filter";
import { parseGoDuration } from "./registration";
import type { TConsulInstance, TConsulNode } from "./shape";

// The rows Consul's reads answer with, at most this many per answer (Consul has no paging; a service of 5,000 fits).
export const maxRows = 10_000;

const select = {
  instanceId: true,
  host: true,
  port: true,
  weight: true,
  weightOverride: true,
  enabled: true,
  enabledOverride: true,
  tags: true,
  metadata: true,
  health: true,
  healthOutput: true,
  checkKind: true,
  checkIntervalMs: true,
  checkTimeoutMs: true,
  checkTtlMs: true,
  modifyIndex: true,
  service: { select: { name: true } },
} as const;

/** Instances as the Consul shapes read them, in id order. */
export async function listConsulInstances(where: Prisma.InstanceWhereInput): Promise<TConsulInstance[]> {
  const rows = await db.instance.findMany({ where, select, orderBy: { instanceId: "asc" }, take: maxRows });
  return rows.map((row) => {
    const { weight, enabled } = trafficState(row);
    return { ...row, service: row.service.name, weight, enabled, healthOutput: row.healthOutput ?? "" };
  });
}

export function consulNode(): TConsulNode {
  return { name: "meshdeck", address: getEnv().MESHDECK_HOST, datacenter: "dc1" };
}

// Blocking queries held at once (1,000 watchers and room to spare), and other requests in progress: past either, 503.
const held = admissionGate({ limit: 2000 });
const busy = admissionGate({ limit: 256 });
const maxWaitMs = 600_000;

function blockingParams(query: URLSearchParams): { index: number; waitMs: number } | undefined {
  const index = query.get("index");
  if (index === null) return undefined;
  if (!/^\d{1,15}$/.test(index)) throw new AppError("bad_request", "Invalid index: must be a whole number", "index");
  const wait = query.get("wait");
  const waitMs = wait === null ? 300_000 : parseGoDuration(wait);
  if (waitMs === null) throw new AppError("bad_request", `Invalid wait time: '${wait}'`, "wait");
  // Consul adds up to wait/16 so that many watchers do not come back at once.
  const capped = Math.min(waitMs, maxWaitMs);
  return { index: Number(index), waitMs: capped + Math.floor(Math.random() * (capped / 16)) };
}

/** A read request in progress, refused with 503 and Retry-After past the admission limits. */
export async function admitted(blocking: boolean, run: () => Promise<TCompatAnswer>): Promise<TCompatAnswer> {
  const release = (blocking ? held : busy).tryEnter();
  if (!release) throw new AppError("unavailable", "too many requests in progress; try again shortly");
  try {
    return await run();
  } finally {
    release();
  }
}

/**
 * A read answered as Consul does: with ?index=&wait= it waits until the service (or, without one, the catalog) passes
 * the index; X-Consul-Index is the index read before the data, so the client's next wait cannot miss a change.
 * `?filter=` keeps the items matching it (over `fields`).
 */
export async function consulRead<T>({
  request,
  service,
  fields,
  read,
  answer,
}: {
  request: TCompatRequest;
  service?: string;
  fields: readonly string[];
  read: () => Promise<T[]>;
  answer?: (items: T[]) => unknown;
}): Promise<TCompatAnswer> {
  const filterText = request.query.get("filter");
  const filter = filterText ? parseFilter(filterText, fields) : undefined;
  const blocking = blockingParams(request.query);
  return admitted(blocking !== undefined, async () => {
    if (blocking && blocking.index > 0) {
      await waitForChange({ ...(service ? { service } : {}), index: blocking.index, waitMs: blocking.waitMs, signal: request.signal });
    }
    const index = service ? await getServiceIndex({ name: service }) : await getCatalogIndex();
    const items = await read();
    const kept = filter ? items.filter(filter) : items;
    return {
      status: 200,
      body: JSON.stringify(answer ? answer(kept) : kept),
      // Consul's index is never 0 (clients treat 0 as a broken answer).
      headers: { "x-consul-index": String(Math.max(1, index)), "x-consul-knownleader": "true", "x-consul-lastcontact": "0" },
    };
  });
}
