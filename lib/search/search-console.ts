import "server-only";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { plainTextCheck } from "@/lib/plain-text";
import { containing } from "@/lib/registry/instance-where";

// What the command palette (Ctrl-K) finds on the server. Each kind is one query with its own LIMIT: the
// answer is the same size with 10 instances or 10,000, and no parameter list grows with the fleet.

export const searchLimits = { services: 5, instances: 8, tags: 4, config: 5 } as const;

export const ZSearchQuery = z.strictObject({
  q: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters").check(plainTextCheck()),
});

export type TSearchHit = {
  kind: "page" | "service" | "instance" | "tag" | "config" | "action";
  label: string;
  detail: string;
  href: string;
};

const servicePath = (name: string) => `/services/${encodeURIComponent(name)}`;
const instancePath = (service: string, id: string) => `${servicePath(service)}/instances/${encodeURIComponent(id)}`;

// "10.0.0.7:8080" is an address: its host and port; anything else is a part of an id, a host or a tag.
function instanceMatch(q: string) {
  const address = /^(.+):(\d{1,5})$/.exec(q);
  if (address?.[1] && address[2]) return { host: containing(address[1]), port: Number(address[2]) };
  return { OR: [{ instanceId: containing(q) }, { host: containing(q) }, { tags: containing(q) }] };
}

/** Services, instances (by id, address or tag), config keys and the actions on them that `actor` may take. */
export async function searchConsole({ q, actor }: { q: string; actor: TActor }): Promise<TSearchHit[]> {
  const role = actor.type === "user" ? actor.role : null;
  const browsesConfig = role !== null && can({ role, permission: "config.browse" });
  const governs = role !== null && can({ role, permission: "governance.change" });
  const [services, instances, items] = await Promise.all([
    db.service.findMany({ where: { name: containing(q) }, orderBy: { name: "asc" }, take: searchLimits.services, select: { name: true } }),
    db.instance.findMany({
      where: instanceMatch(q),
      orderBy: [{ instanceId: "asc" }, { id: "asc" }],
      take: searchLimits.instances,
      select: {
        instanceId: true,
        host: true,
        port: true,
        tags: true,
        enabled: true,
        enabledOverride: true,
        weightOverride: true,
        service: { select: { name: true } },
      },
    }),
    browsesConfig
      ? db.configItem.findMany({
          where: { deletedAt: null, version: { gt: 0 }, OR: [{ key: containing(q) }, { group: containing(q) }] },
          orderBy: [{ namespace: "asc" }, { group: "asc" }, { key: "asc" }],
          take: searchLimits.config,
          select: { namespace: true, group: true, key: true, version: true },
        })
      : [],
  ]);

  const hits: TSearchHit[] = services.map(({ name }) => ({ kind: "service", label: name, detail: "service", href: servicePath(name) }));
  const tags = new Map<string, TSearchHit>();
  const needle = q.toLowerCase();
  for (const row of instances) {
    const service = row.service.name;
    const address = `${row.host}:${row.port}`;
    hits.push({ kind: "instance", label: row.instanceId, detail: `${service} · ${address}`, href: instancePath(service, row.instanceId) });
    for (const tag of row.tags) {
      if (tag.toLowerCase().includes(needle) && tags.size < searchLimits.tags)
        tags.set(`${service} ${tag}`, {
          kind: "tag",
          label: `${service} tagged ${tag}`,
          detail: "instances",
          href: `${servicePath(service)}?tag=${encodeURIComponent(tag)}`,
        });
    }
  }
  hits.push(...tags.values());
  hits.push(
    ...items.map((item) => ({
      kind: "config" as const,
      label: `${item.group}/${item.key}`,
      detail: `config · ${item.namespace} · v${item.version}`,
      href: `/config/${[item.namespace, item.group, item.key].map(encodeURIComponent).join("/")}`,
    })),
  );
  // Actions only for a role that may take them; the panel they open asks for a reason and checks again on the server.
  if (governs) {
    for (const row of instances) {
      const href = instancePath(row.service.name, row.instanceId);
      const drained = (row.enabledOverride ?? row.enabled) === false;
      hits.push({
        kind: "action",
        label: `${drained ? "Enable" : "Drain"} ${row.instanceId}…`,
        detail: row.service.name,
        href: `${href}?change=${drained ? "enable" : "drain"}`,
      });
      if (row.enabledOverride !== null || row.weightOverride !== null)
        hits.push({
          kind: "action",
          label: `Reset ${row.instanceId}…`,
          detail: `${row.service.name} · back to what it registers`,
          href: `${href}?change=reset`,
        });
    }
  }
  for (const { name } of services)
    hits.push({ kind: "action", label: `Events of ${name}`, detail: "events", href: `/events?service=${encodeURIComponent(name)}` });
  return hits;
}
