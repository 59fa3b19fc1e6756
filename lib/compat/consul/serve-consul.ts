import "server-only";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { listenCompat, type TCompatAnswer, type TCompatRequest } from "../listen";
import { deregisterService, registerService, serviceMaintenance, ttlStatus, updateCheck } from "./agent";
import { agentChecks, agentServiceById, agentServices, catalogService, catalogServices, healthChecks, healthService, healthState } from "./catalog";
import { answerConsulError, consulActor } from "./gate";
import { kvGet, kvWrite } from "./kv";
import { consulNode } from "./read";

// Consul's HTTP API on MESHDECK_CONSUL_PORT: Consul clients register into the built-in registry and read the catalog.

// Consul's server RPC port: what /v1/status/leader names, as a real cluster would.
const serverPort = 8300;
const json = (payload: unknown): TCompatAnswer => ({ status: 200, body: JSON.stringify(payload) });

// GET /v1/status/leader - this app plays the one server, always the leader
async function statusLeader(): Promise<TCompatAnswer> {
  return json(`${consulNode().address}:${serverPort}`);
}

// GET /v1/status/peers - the servers: this one
async function statusPeers(): Promise<TCompatAnswer> {
  return json([`${consulNode().address}:${serverPort}`]);
}

// GET /v1/agent/self - what the agent is: clients read the datacenter and node name here
async function agentSelf(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "services.read");
  const node = consulNode();
  return json({
    Config: { Datacenter: node.datacenter, NodeName: node.name, NodeID: "", Server: true, Revision: "meshdeck", Version: "1.17.0" },
    Member: { Name: node.name, Addr: node.address, Port: serverPort, Tags: { dc: node.datacenter, role: "consul" }, Status: 1 },
    Meta: {},
  });
}

/** Serves the Consul API when MESHDECK_CONSUL_PORT is set; a port already taken is logged, and the app runs on. */
export async function startConsulApi(): Promise<string | undefined> {
  const env = getEnv();
  if (env.MESHDECK_CONSUL_PORT === undefined) return undefined;
  try {
    const { url } = await listenCompat({
      name: "Consul",
      host: env.MESHDECK_HOST,
      port: env.MESHDECK_CONSUL_PORT,
      // A KV value (the config center's 100 KB) and its request around it.
      maxBodyBytes: 128 * 1024,
      answerError: answerConsulError,
      routes: [
        ["PUT", "/v1/agent/service/register", registerService],
        ["PUT", "/v1/agent/service/deregister/:id", deregisterService],
        ["PUT", "/v1/agent/service/maintenance/:id", serviceMaintenance],
        ["PUT", "/v1/agent/check/pass/:id", ttlStatus("passing")],
        ["PUT", "/v1/agent/check/warn/:id", ttlStatus("warning")],
        ["PUT", "/v1/agent/check/fail/:id", ttlStatus("critical")],
        ["PUT", "/v1/agent/check/update/:id", updateCheck],
        ["GET", "/v1/agent/services", agentServices],
        ["GET", "/v1/agent/service/:id", agentServiceById],
        ["GET", "/v1/agent/checks", agentChecks],
        ["GET", "/v1/agent/self", agentSelf],
        ["GET", "/v1/catalog/services", catalogServices],
        ["GET", "/v1/catalog/service/:name", catalogService],
        ["GET", "/v1/health/service/:name", healthService],
        ["GET", "/v1/health/checks/:name", healthChecks],
        ["GET", "/v1/health/state/:state", healthState],
        ["GET", "/v1/status/leader", statusLeader],
        ["GET", "/v1/status/peers", statusPeers],
        ["GET", "/v1/kv/*", kvGet],
        ["PUT", "/v1/kv/*", kvWrite],
        ["DELETE", "/v1/kv/*", kvWrite],
      ],
    });
    log.info(`Consul API listening on ${url}: point Consul clients at it with a Meshdeck API token (unset MESHDECK_CONSUL_PORT to turn it off)`);
    return url;
  } catch (error) {
    log.error(`the Consul API did not start on ${env.MESHDECK_HOST}:${env.MESHDECK_CONSUL_PORT}`, error);
    return undefined;
  }
}
