import "server-only";
import type { IncomingMessage } from "node:http";
import { admissionGate, type TAdmission } from "@/lib/api/admission";
import type { TActor } from "@/lib/auth/actor";
import type { TPermission } from "@/lib/auth/permissions";
import { MAX_CONFIG_BODY_BYTES } from "@/lib/config/schemas";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { authenticateNacos, login } from "./auth";
import { deleteNacosConfig, getNacosConfig, listenNacosConfigs, publishNacosConfig } from "./config";
import { json, readParams, text, type NacosParams, type TNacosAnswer } from "./http";
import { deregisterNacosInstance, getNacosInstance, listNacosInstances, nacosBeat, registerNacosInstance, updateNacosInstance } from "./naming";

type TContext = { params: NacosParams; request: IncomingMessage; address: string; signal: AbortSignal };
type THandle = (context: TContext) => Promise<TNacosAnswer>;
type TRoute = { admission?: () => TAdmission; maxBytes?: number; handle: THandle };

/** A handler for callers who may do `permission` (else a 403). */
function caller(permission: TPermission, handle: (context: TContext & { actor: TActor }) => Promise<TNacosAnswer>): THandle {
  return async (context) => handle({ ...context, actor: await authenticateNacos({ params: context.params, address: context.address, permission }) });
}

// Bounds on the requests in progress in this process, as the registry's own API has: writes, beats and held listeners
// apart, so a flood of one never sheds the others. Past one: a 503 with Retry-After, nothing read or stored.
const gate = (name: string, limit: () => number) => () => processSingleton(`meshdeck.nacos.${name}`, (): TAdmission => admissionGate({ limit: limit() }));
const writes = gate("writes", () => getEnv().MESHDECK_MAX_INFLIGHT_WRITES);
const beats = gate("beats", () => getEnv().MESHDECK_MAX_INFLIGHT_WRITES);
// 1,000 config watchers with room.
const listeners = gate("listeners", () => 4000);

const routes = new Map<string, TRoute>([
  ["POST /nacos/v1/auth/login", { handle: async ({ params, address }) => json(await login({ params, address })) }],
  ["POST /nacos/v1/auth/users/login", { handle: async ({ params, address }) => json(await login({ params, address })) }],
  [
    "POST /nacos/v1/ns/instance",
    { admission: writes, handle: caller("registry.register", async ({ params, actor }) => text(await registerNacosInstance(params, actor))) },
  ],
  [
    "PUT /nacos/v1/ns/instance",
    { admission: writes, handle: caller("registry.register", async ({ params, actor }) => text(await updateNacosInstance(params, actor))) },
  ],
  [
    "DELETE /nacos/v1/ns/instance",
    { admission: writes, handle: caller("registry.register", async ({ params, actor }) => text(await deregisterNacosInstance(params, actor))) },
  ],
  [
    "PUT /nacos/v1/ns/instance/beat",
    { admission: beats, handle: caller("registry.register", async ({ params, actor }) => json(await nacosBeat(params, actor))) },
  ],
  ["GET /nacos/v1/ns/instance", { handle: caller("services.read", async ({ params }) => json(await getNacosInstance(params))) }],
  // The SDKs' server health probe.
  ["GET /nacos/v1/ns/operator/metrics", { handle: caller("services.read", async () => json({ status: "UP" })) }],
  ["GET /nacos/v1/ns/instance/list", { handle: caller("services.read", async ({ params }) => json(await listNacosInstances(params))) }],
  ["GET /nacos/v1/cs/configs", { handle: caller("config.read", async (context) => configText(await getNacosConfig(context))) }],
  [
    "POST /nacos/v1/cs/configs",
    { admission: writes, maxBytes: MAX_CONFIG_BODY_BYTES, handle: caller("config.publish", async (context) => text(await publishNacosConfig(context))) },
  ],
  ["DELETE /nacos/v1/cs/configs", { admission: writes, handle: caller("config.publish", async (context) => text(await deleteNacosConfig(context))) }],
  [
    "POST /nacos/v1/cs/configs/listener",
    {
      admission: listeners,
      handle: caller("config.read", async ({ request, ...context }) =>
        text(
          await listenNacosConfigs({
            ...context,
            timeoutHeader: header(request, "long-pulling-timeout"),
            noHangUp: header(request, "long-pulling-timeout-no-hangup") === "true",
          }),
        ),
      ),
    },
  ],
]);

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const configText = ({ content, headers }: { content: string; headers: Record<string, string> }) => text(content, headers);

/** Answers a Nacos API request: admission, parameters, who is calling and whether they may, then the endpoint. */
export async function answerNacos(request: IncomingMessage, signal: AbortSignal): Promise<TNacosAnswer> {
  const url = new URL(request.url ?? "/", "http://nacos");
  const route = routes.get(`${request.method} ${url.pathname.replace(/\/+$/, "")}`);
  if (!route) throw new AppError("not_found", `no Nacos API ${request.method} ${url.pathname} here (naming and config v1 only)`);
  const release = route.admission?.().tryEnter();
  if (route.admission && !release) throw new AppError("unavailable", "this server is at its limit of Nacos requests in progress; try again");
  try {
    const params = await readParams(request, url, { maxBytes: route.maxBytes });
    const address = request.socket.remoteAddress ?? "unknown";
    return await route.handle({ params, request, address, signal });
  } finally {
    release?.();
  }
}
