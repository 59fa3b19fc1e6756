import "server-only";
import { admissionGate, type TAdmission } from "@/lib/api/admission";
import { assertClientWaiting, jsonAnswer, readJsonBody, type TApiAnswer, type TEndpoint } from "@/lib/api/endpoint";
import { waitForChange } from "@/lib/catalog/catalog-index";
import { getEnv } from "@/lib/env";
import { assertPermission, unscoped } from "@/lib/auth/permissions";
import { processSingleton } from "@/lib/process-singleton";
import { getDiscoveredServiceJson, getDiscoveryCatalogJson, type TDiscoveryJson } from "./discovery";
import { recordHeartbeat, recordPassingBeat } from "./heartbeats";
import { deregisterInstance, registerInstance } from "./register-instance";
import { assertInstanceScope } from "./instance-scope";
import { registeredInstanceView } from "./service-detail";
import { ZInstanceId, ZRegisterInstance, ZServiceName, ZWatchQuery } from "./schemas";

// The registry's machine API: answered by its app routes (app/api/v1/registry, app/api/v1/discovery) under `next dev`,
// and beside Next.js by server.mjs (lib/server/start-app.ts), through the same gate and the same code.

// In this process: registrations and deregistrations in one bound, heartbeats in another, so a flood of one never
// sheds the other (a heartbeat refused for long enough expires its instance). The compat APIs share them.
export const registryWrites = () =>
  processSingleton("meshdeck.registry.writes", (): TAdmission => admissionGate({ limit: getEnv().MESHDECK_MAX_INFLIGHT_WRITES }));
export const registryBeats = () =>
  processSingleton("meshdeck.registry.beats", (): TAdmission => admissionGate({ limit: getEnv().MESHDECK_MAX_INFLIGHT_WRITES }));

// POST /api/v1/registry/instances - register (or re-register) an instance of the built-in registry
export const registerEndpoint: TEndpoint = {
  permission: "registry.register",
  admission: registryWrites,
  handle: async ({ request, actor }) => {
    const input = ZRegisterInstance.parse(await readJsonBody(request));
    assertPermission({ actor, permission: "registry.register", service: input.service });
    // Nor may it take over an id another service's instance holds.
    await assertInstanceScope({ actor, instanceId: input.id });
    assertClientWaiting(request);
    const { created, instance, override } = await registerInstance({ input });
    // The row as the batch wrote it: no read after the write.
    return jsonAnswer({ instance: registeredInstanceView(instance, override) }, { status: created ? 201 : 200 });
  },
};

// The answer to every beat of a passing instance: made once.
const passingAnswer: TApiAnswer = jsonAnswer({ health: "passing" });

// PUT /api/v1/registry/instances/:id/heartbeat - a TTL instance says it is alive
export const heartbeatEndpoint: TEndpoint = {
  permission: "registry.register",
  admission: registryBeats,
  answerAtOnce: ({ request, actor }) => {
    const instanceId = ZInstanceId.parse(request.params.id);
    // A token narrowed to some services has its instance's service read first (`handle`).
    if (!unscoped({ actor, permission: "registry.register" })) return undefined;
    assertClientWaiting(request);
    return recordPassingBeat(instanceId) ? passingAnswer : undefined;
  },
  handle: async ({ request, actor }) => {
    const instanceId = ZInstanceId.parse(request.params.id);
    await assertInstanceScope({ actor, instanceId });
    assertClientWaiting(request);
    const { health } = await recordHeartbeat({ instanceId });
    return jsonAnswer({ health });
  },
};

// DELETE /api/v1/registry/instances/:id - deregister an instance
export const deregisterEndpoint: TEndpoint = {
  permission: "registry.register",
  admission: registryWrites,
  handle: async ({ request, actor }) => {
    const instanceId = ZInstanceId.parse(request.params.id);
    await assertInstanceScope({ actor, instanceId });
    assertClientWaiting(request);
    await deregisterInstance({ instanceId });
    return { status: 204 };
  },
};

function discoveryAnswer({ index, json }: TDiscoveryJson) {
  return { status: 200, headers: { "x-meshdeck-index": String(index) }, json };
}

// GET /api/v1/discovery/:name?index=N&wait=30s - instances able to take traffic, with weights and the service's policy.
// With index, blocks until the service changes past it or wait runs out (Consul's blocking query).
export const discoverServiceEndpoint: TEndpoint = {
  permission: "services.read",
  handle: async ({ request }) => {
    const name = ZServiceName.parse(request.params.name);
    const query = ZWatchQuery.parse(Object.fromEntries(request.query));
    const passed =
      query.index === undefined ? undefined : await waitForChange({ service: name, index: query.index, waitMs: query.wait, signal: request.signal });
    return discoveryAnswer(await getDiscoveredServiceJson({ name, index: passed }));
  },
};

// GET /api/v1/discovery?index=N&wait=30s - every service's instances able to take traffic and its policy, for data planes.
// With index, blocks until anything in the catalog changes past it or wait runs out: one watch for a whole fleet.
export const discoverCatalogEndpoint: TEndpoint = {
  permission: "services.read",
  handle: async ({ request }) => {
    const query = ZWatchQuery.parse(Object.fromEntries(request.query));
    const passed = query.index === undefined ? undefined : await waitForChange({ index: query.index, waitMs: query.wait, signal: request.signal });
    return discoveryAnswer(await getDiscoveryCatalogJson({ index: passed }));
  },
};
