import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { TCompatAnswer, TCompatRequest } from "../listen";
import { consulActor } from "./gate";
import { consulNode, consulRead, listConsulInstances, maxRows } from "./read";
import { agentService, catalogEntry, consulStatus, healthEntry, instanceChecks, isPassing, type TConsulInstance } from "./shape";

// The reads: agent, catalog and health endpoints, each a blocking query with ?filter=.

const serviceFields = ["ID", "Service", "Tags", "Meta", "Port", "Address", "Weights", "EnableTagOverride", "Datacenter"];
const checkFields = ["Node", "CheckID", "Name", "Status", "Notes", "Output", "ServiceID", "ServiceName", "ServiceTags", "Type"];
const catalogFields = [
  "Node",
  "Address",
  "Datacenter",
  "ServiceID",
  "ServiceName",
  "ServiceTags",
  "ServiceAddress",
  "ServiceMeta",
  "ServicePort",
  "ServiceWeights",
];

const byTag = (request: TCompatRequest) => {
  const tags = request.query.getAll("tag");
  return (instance: TConsulInstance) => tags.every((tag) => instance.tags.includes(tag));
};

// GET /v1/agent/services - the instances registered through this API, by ID
export async function agentServices(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  const node = consulNode();
  return consulRead({
    request,
    fields: serviceFields,
    read: async () => (await listConsulInstances({ source: "builtin", protocol: "consul" })).map((instance) => agentService(instance, node)),
    answer: (services) => Object.fromEntries(services.map((service) => [service.ID, service])),
  });
}

// GET /v1/agent/checks - the checks of the instances registered through this API, by check id; a maintenance
// check's Notes is the reason the drain was given (a Consul source lifts only the maintenance it put on itself).
export async function agentChecks(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  const node = consulNode();
  const [instances, drains] = await Promise.all([
    listConsulInstances({ source: "builtin", protocol: "consul" }),
    // Only drained instances have one: bounded by the drains, not the fleet.
    db.instanceOverride.findMany({ where: { source: "builtin", enabled: false }, select: { instanceId: true, reason: true } }),
  ]);
  const reasons = new Map(drains.map(({ instanceId, reason }) => [instanceId, reason]));
  const checks = instances.flatMap((instance) => instanceChecks(instance, node, reasons.get(instance.instanceId) ?? undefined));
  return { status: 200, body: JSON.stringify(Object.fromEntries(checks.map((check) => [check.CheckID, check]))) };
}

// GET /v1/agent/service/:id - one instance registered through this API
export async function agentServiceById(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  const [instance] = await listConsulInstances({ source: "builtin", instanceId: request.params.id! });
  if (!instance) throw new AppError("not_found", `unknown service ID: ${request.params.id}`);
  return { status: 200, body: JSON.stringify({ ...agentService(instance, consulNode()), ContentHash: String(instance.modifyIndex) }) };
}

// GET /v1/catalog/services - every service and the tags its instances carry
export async function catalogServices(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  return consulRead({
    request,
    fields: [],
    read: async () => {
      const [services, instances] = await Promise.all([
        db.service.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: maxRows }),
        db.instance.findMany({ select: { tags: true, service: { select: { name: true } } }, take: maxRows }),
      ]);
      const tags = new Map(services.map(({ name }) => [name, new Set<string>()]));
      for (const instance of instances) for (const tag of instance.tags) tags.get(instance.service.name)?.add(tag);
      return [...tags].map(([name, set]) => [name, [...set].sort()] as const);
    },
    answer: (entries) => Object.fromEntries(entries),
  });
}

// GET /v1/catalog/service/:name?tag= - a service's instances, node and service fields side by side
export async function catalogService(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  const service = request.params.name!;
  const node = consulNode();
  const tagged = byTag(request);
  return consulRead({
    request,
    service,
    fields: catalogFields,
    read: async () => (await listConsulInstances({ service: { name: service } })).filter(tagged).map((instance) => catalogEntry(instance, node)),
  });
}

// GET /v1/health/service/:name?passing&tag= - a service's instances with their checks; ?passing keeps those taking traffic
export async function healthService(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  const service = request.params.name!;
  const passing = request.query.has("passing") && request.query.get("passing") !== "false";
  const node = consulNode();
  const tagged = byTag(request);
  return consulRead({
    request,
    service,
    fields: ["Node", "Service", "Checks"],
    read: async () =>
      (await listConsulInstances({ service: { name: service } }))
        .filter((instance) => tagged(instance) && (!passing || isPassing(instance)))
        .map((instance) => healthEntry(instance, node)),
  });
}

// GET /v1/health/checks/:name - the checks of a service's instances
export async function healthChecks(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  const service = request.params.name!;
  const node = consulNode();
  return consulRead({
    request,
    service,
    fields: checkFields,
    read: async () => (await listConsulInstances({ service: { name: service } })).flatMap((instance) => instanceChecks(instance, node)),
  });
}

const states = ["any", "passing", "warning", "critical"];
const healthsOf: Record<string, string[]> = { passing: ["passing"], warning: ["warning"], critical: ["critical", "unknown"] };

// GET /v1/health/state/:state - every check in a state (any, passing, warning, critical)
export async function healthState(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  const state = request.params.state!;
  if (!states.includes(state)) throw new AppError("bad_request", `Invalid state "${state}": must be any, passing, warning or critical`);
  const node = consulNode();
  // Drained instances carry a critical maintenance check too: critical reads them all, passing and warning by health.
  const where =
    state === "any"
      ? {}
      : state === "critical"
        ? { OR: [{ health: { in: healthsOf.critical! } }, { enabledOverride: false }, { enabledOverride: null, enabled: false }] }
        : { health: { in: healthsOf[state]! } };
  return consulRead({
    request,
    fields: checkFields,
    read: async () =>
      (await listConsulInstances(where))
        .flatMap((instance) => instanceChecks(instance, node))
        .filter((check) => state === "any" || consulStatus(check.Status) === state),
  });
}
