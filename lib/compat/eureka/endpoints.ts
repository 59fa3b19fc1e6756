import "server-only";
import { assertClientWaiting, type TApiAnswer, type TApiRequest, type TEndpoint } from "@/lib/api/endpoint";
import { maxBodyBytes, parseJsonBody } from "@/lib/api/gate";
import { assertPermission } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { changeInstances } from "@/lib/governance/change-instances";
import { ZChangeInstances, type TInstanceChange } from "@/lib/governance/schemas";
import { registryBeats, registryWrites } from "@/lib/registry/endpoints";
import { recordHeartbeat } from "@/lib/registry/heartbeats";
import { assertInstanceScope } from "@/lib/registry/instance-scope";
import { deregisterInstance, registerInstance } from "@/lib/registry/register-instance";
import { ZInstanceId } from "@/lib/registry/schemas";
import { applicationsDocument, appsHashcode, groupApps, type TEurekaInstance } from "./eureka-view";
import { getRecentChanges, getRegistryView } from "./registry-view";
import { toRegistration, ZEurekaStatus } from "./registration";
import { parseXml, toXml } from "./xml";

// Eureka's REST operations (Netflix's ApplicationsResource, ApplicationResource, InstanceResource), each through the
// API's one gate (lib/api/endpoint.ts): admission, token and permission, errors. Writes go to the built-in registry.

// A delta that may lack changes answers a hashcode no registry can have (statuses are upper-case words), so the client
// fetches the full registry, as a Eureka client does on any mismatch.
const resyncMark = "RESYNC_0_";

/** JSON when the client asks for it, else XML: Eureka's own choice. */
function answer(request: TApiRequest, document: Record<string, unknown>, cached?: { key: string; serialized: Map<string, string> }): TApiAnswer {
  const json = /json/i.test(request.header("accept") ?? "");
  const key = `${json ? "json" : "xml"} ${cached?.key}`;
  const body = (cached && cached.serialized.get(key)) ?? (json ? JSON.stringify(document) : toXml(document));
  if (cached) cached.serialized.set(key, body);
  return { status: 200, headers: { "content-type": json ? "application/json" : "application/xml" }, json: body };
}

const notFound = (what: string) => new AppError("not_found", `${what} is not registered`);

// GET /eureka/apps - every application and its instances
export const listAppsEndpoint: TEndpoint = {
  permission: "services.read",
  handle: async ({ request }) => {
    const view = await getRegistryView();
    return answer(request, applicationsDocument({ version: view.index, hashcode: view.hashcode, apps: view.apps }), {
      key: "apps",
      serialized: view.serialized,
    });
  },
};

// GET /eureka/apps/delta - the changes of the last 3 minutes, each with its actionType
export const deltaEndpoint: TEndpoint = {
  permission: "services.read",
  handle: async ({ request }) => {
    const view = await getRegistryView();
    const { entries, complete } = getRecentChanges();
    const instances = entries.map(({ actionType, instance }) => ({ ...instance, actionType }));
    const hashcode = complete ? view.hashcode : view.hashcode + resyncMark;
    return answer(request, applicationsDocument({ version: view.index, hashcode, apps: groupApps(instances) }));
  },
};

// GET /eureka/apps/:app - one application
export const getAppEndpoint: TEndpoint = {
  permission: "services.read",
  handle: async ({ request }) => {
    const app = (await getRegistryView()).byName.get(request.params.app!.toUpperCase());
    if (!app) throw notFound(`application ${request.params.app}`);
    return answer(request, { application: app });
  },
};

// GET /eureka/apps/:app/:id - one instance
export const getInstanceEndpoint: TEndpoint = {
  permission: "services.read",
  handle: async ({ request }) => {
    const app = (await getRegistryView()).byName.get(request.params.app!.toUpperCase());
    const instance = app?.instance.find(({ instanceId }) => instanceId === request.params.id);
    if (!instance) throw notFound(`instance ${request.params.app}/${request.params.id}`);
    return answer(request, { instance });
  },
};

/** GET /eureka/vips/:vip and /eureka/svips/:vip - the instances of a (secure) VIP address, as applications. */
export function vipEndpoint(field: "vipAddress" | "secureVipAddress"): TEndpoint {
  return {
    permission: "services.read",
    handle: async ({ request }) => {
      const view = await getRegistryView();
      const vip = request.params.vip!;
      const instances: TEurekaInstance[] = [];
      for (const app of view.apps) for (const instance of app.instance) if (instance[field].split(",").includes(vip)) instances.push(instance);
      if (instances.length === 0) throw notFound(`VIP address ${vip}`);
      return answer(request, applicationsDocument({ version: view.index, hashcode: appsHashcode(instances), apps: groupApps(instances) }));
    },
  };
}

async function readRegistration(request: TApiRequest): Promise<unknown> {
  const type = request.header("content-type") ?? "";
  if (!/json|xml/i.test(type)) throw new AppError("unsupported_media_type", "send the instance as application/json or application/xml");
  const text = await request.body(maxBodyBytes);
  return /json/i.test(type) ? parseJsonBody(text) : parseXml(text);
}

// POST /eureka/apps/:app - register (or re-register) an instance; 204 as Eureka answers
export const registerEndpoint: TEndpoint = {
  permission: "registry.register",
  admission: registryWrites,
  handle: async ({ request, actor }) => {
    const input = toRegistration(request.params.app!, await readRegistration(request));
    assertPermission({ actor, permission: "registry.register", service: input.service });
    await assertInstanceScope({ actor, instanceId: input.id });
    assertClientWaiting(request);
    await registerInstance({ input, protocol: "eureka" });
    return { status: 204 };
  },
};

// PUT /eureka/apps/:app/:id - renew the lease (a heartbeat); 404 tells the client to register again
export const renewEndpoint: TEndpoint = {
  permission: "registry.register",
  admission: registryBeats,
  handle: async ({ request, actor }) => {
    // The hot path: the id alone, as the registry's heartbeat (the app is not looked up for each renewal).
    const instanceId = ZInstanceId.parse(request.params.id);
    await assertInstanceScope({ actor, instanceId });
    assertClientWaiting(request);
    await recordHeartbeat({ instanceId });
    return { status: 200 };
  },
};

/** The instance `id` of `app`, read now (a write must not act on another app's instance of the same id). */
async function findInstance(request: TApiRequest) {
  const instanceId = ZInstanceId.parse(request.params.id);
  const app = request.params.app!.toUpperCase();
  const rows = await db.instance.findMany({
    where: { instanceId },
    select: { source: true, instanceId: true, weightOverride: true, enabledOverride: true, service: { select: { name: true } } },
  });
  const row = rows.find((candidate) => candidate.service.name.toUpperCase() === app);
  if (!row) throw notFound(`instance ${app}/${instanceId}`);
  return row;
}

// DELETE /eureka/apps/:app/:id - cancel the lease: the instance is deregistered
export const cancelEndpoint: TEndpoint = {
  permission: "registry.register",
  admission: registryWrites,
  handle: async ({ request, actor }) => {
    const row = await findInstance(request);
    assertPermission({ actor, permission: "registry.register", service: row.service.name });
    if (row.source !== "builtin") throw new AppError("conflict", `instance ${row.instanceId} comes from the ${row.source} source; deregister it there`);
    assertClientWaiting(request);
    await deregisterInstance({ instanceId: row.instanceId, reason: "eureka cancel" });
    return { status: 200 };
  },
};

async function overrideStatus(request: TApiRequest, actor: Parameters<typeof changeInstances>[0]["actor"], change: TInstanceChange, reason: string) {
  const row = await findInstance(request);
  assertClientWaiting(request);
  // Eureka takes an override as it is asked (deploy tools take a whole fleet out of service), so the guard is forced; the audit says why.
  const input = ZChangeInstances.parse({ selector: { service: row.service.name, ids: [row.instanceId] }, change, reason, force: true });
  await changeInstances({ actor, input, permission: "registry.register" });
  return { status: 200 };
}

// PUT /eureka/apps/:app/:id/status?value=OUT_OF_SERVICE - Eureka's status override, as a drain (UP: enabled again)
export const setStatusEndpoint: TEndpoint = {
  permission: "registry.register",
  admission: registryWrites,
  handle: async ({ request, actor }) => {
    const value = ZEurekaStatus.parse(request.query.get("value") ?? undefined);
    if (value === "STARTING" || value === "UNKNOWN") throw new AppError("validation_failed", "value: override with OUT_OF_SERVICE, DOWN or UP", "value");
    return overrideStatus(request, actor, { enabled: value === "UP" }, `eureka status override ${value}`);
  },
};

// DELETE /eureka/apps/:app/:id/status - lift the override: the instance is back to what it registers
export const deleteStatusEndpoint: TEndpoint = {
  permission: "registry.register",
  admission: registryWrites,
  handle: async ({ request, actor }) => {
    const row = await findInstance(request);
    if (row.enabledOverride === null) return { status: 200 };
    // A weight an operator set stays: only the drain is lifted.
    const change: TInstanceChange = row.weightOverride === null ? { reset: true } : { enabled: true };
    return overrideStatus(request, actor, change, "eureka status override removed");
  },
};
