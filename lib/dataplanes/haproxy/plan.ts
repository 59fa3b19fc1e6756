// What to tell HAProxy so a backend's servers match the catalog: pure, from `show servers state` and the instances.
import { createHash } from "node:crypto";
import { parseHost } from "@/lib/net/ip-address";
import type { THealthMode } from "../types";
import { adminStateOf, checkConfigured, checkEnabled, isUp, type TServerState } from "./parse";

/** An instance of the catalog as a data plane needs it, overrides applied. */
export type TCatalogInstance = { source: string; instanceId: string; host: string; port: number; weight: number; enabled: boolean; health: string };

/** A server as Meshdeck wants it in HAProxy. */
export type TDesiredServer = {
  name: string;
  instanceId: string;
  address: string;
  port: number;
  /** 0..256, scaled from the service's weights. */
  weight: number;
  state: "ready" | "drain";
  /** Meshdeck's health, forced on HAProxy in meshdeck mode; ignored in haproxy mode. */
  health: "up" | "down";
};

export type TServerChange = { server: string; change: "add" | "remove" | "address" | "weight" | "state" | "health" | "checks" };

// HAProxy takes letters, digits, '.', '_', '-' and ':' in a proxy or server name.
export const haproxyNamePattern = /^[A-Za-z0-9._:-]{1,128}$/;
export const haproxyMaxWeight = 256;

/** The server's name: the instance's id when HAProxy takes it as is; else a readable part and a hash, unique per instance. */
export function serverName({ source, instanceId }: { source: string; instanceId: string }): string {
  if (source === "builtin" && haproxyNamePattern.test(instanceId)) return instanceId;
  const readable = instanceId.replace(/[^A-Za-z0-9._:-]/g, "_").slice(0, 40);
  return `${readable}-${createHash("sha256").update(`${source}\0${instanceId}`).digest("hex").slice(0, 12)}`;
}

/**
 * Meshdeck weights (0..10000, relative within a service) scaled to HAProxy's 0..256: the service's highest weight
 * becomes 256 and the others keep their ratio to it, rounded; a weight above 0 never rounds down to 0 (no traffic).
 */
export function haproxyWeight(weight: number, highest: number): number {
  if (weight <= 0 || highest <= 0) return 0;
  return Math.max(1, Math.round((weight * haproxyMaxWeight) / highest));
}

const trafficHealths = new Set(["passing", "warning"]);

/** The servers a service's instances become. Instances whose host is not an IP address are left out (HAProxy 2.6 adds servers by address). */
export function desiredServers(instances: readonly TCatalogInstance[]): { servers: TDesiredServer[]; skipped: string[] } {
  const highest = instances.reduce((max, instance) => Math.max(max, instance.weight), 0);
  const servers: TDesiredServer[] = [];
  const skipped: string[] = [];
  for (const instance of instances) {
    const host = parseHost(instance.host);
    if (host?.kind !== "ip" || host.ip.family !== 4 || instance.port < 1 || instance.port > 65535) {
      skipped.push(instance.instanceId);
      continue;
    }
    servers.push({
      name: serverName(instance),
      instanceId: instance.instanceId,
      address: instance.host,
      port: instance.port,
      weight: haproxyWeight(instance.weight, highest),
      state: instance.enabled ? "ready" : "drain",
      health: trafficHealths.has(instance.health) ? "up" : "down",
    });
  }
  return { servers, skipped };
}

/** A desired server's settings as one text: what was last applied is compared by it. */
export function serverSignature(server: TDesiredServer, mode: THealthMode): string {
  return [server.address, server.port, server.weight, server.state, mode === "meshdeck" ? server.health : "-"].join(" ");
}

// HAProxy 2.6 adds a dynamic server with no idle connection pool (pool-max-conn 0, pool-purge-delay 0) where a
// configured one has -1 and 5s: without these, every request opens a new connection to the instance (measured by
// bench:dataplane at a third of static HAProxy's throughput). With them it reuses connections as a configured one does.
const reuseOptions = "pool-max-conn -1 pool-purge-delay 5s";

function addCommands(backend: string, server: TDesiredServer, mode: THealthMode): string[] {
  const id = `${backend}/${server.name}`;
  // Dynamic servers start in maintenance; checks, when HAProxy decides health, are enabled by hand.
  return [
    `add server ${id} ${server.address}:${server.port} weight ${server.weight} ${reuseOptions}${mode === "haproxy" ? " check" : ""}`,
    ...(mode === "haproxy" ? [`enable health ${id}`] : []),
    `set server ${id} state ${server.state}`,
    ...(mode === "meshdeck" ? [`set server ${id} health ${server.health}`] : []),
  ];
}

function removeCommands(backend: string, name: string): string[] {
  // Only a server in maintenance may be deleted.
  return [`set server ${backend}/${name} state maint`, `del server ${backend}/${name}`];
}

export type TPlannedCommand = { command: string; server: string; change: TServerChange["change"] };

/** The commands that take a backend from `actual` to `desired`, in order, each tagged with its server and change. */
export function planBackend({
  backend,
  actual,
  desired,
  mode,
}: {
  backend: string;
  actual: readonly TServerState[];
  desired: readonly TDesiredServer[];
  mode: THealthMode;
}): TPlannedCommand[] {
  const planned: TPlannedCommand[] = [];
  const push = (server: string, change: TServerChange["change"], commands: string[]) => {
    for (const command of commands) planned.push({ command, server, change });
  };
  const actualByName = new Map(actual.map((server) => [server.name, server]));
  const wanted = new Set(desired.map((server) => server.name));
  for (const server of actual) if (!wanted.has(server.name)) push(server.name, "remove", removeCommands(backend, server.name));
  for (const server of desired) {
    const id = `${backend}/${server.name}`;
    const current = actualByName.get(server.name);
    if (!current) {
      push(server.name, "add", addCommands(backend, server, mode));
      continue;
    }
    // A server added without checks cannot have them enabled: it is added again, with them.
    if (mode === "haproxy" && !(current.checkState & checkConfigured)) {
      push(server.name, "checks", [...removeCommands(backend, server.name), ...addCommands(backend, server, mode)]);
      continue;
    }
    if (current.address !== server.address || current.port !== server.port) {
      push(server.name, "address", [`set server ${id} addr ${server.address} port ${server.port}`]);
    }
    if (current.weight !== server.weight) push(server.name, "weight", [`set server ${id} weight ${server.weight}`]);
    if (adminStateOf(current) !== server.state) push(server.name, "state", [`set server ${id} state ${server.state}`]);
    if (mode === "haproxy" && !(current.checkState & checkEnabled)) push(server.name, "checks", [`enable health ${id}`]);
    if (mode === "meshdeck") {
      if (current.checkState & checkEnabled) push(server.name, "checks", [`disable health ${id}`]);
      // After a state change HAProxy brings a server up on its own: health is set again whenever the state changed.
      const stateChanged = adminStateOf(current) !== server.state;
      if (stateChanged || isUp(current) !== (server.health === "up")) push(server.name, "health", [`set server ${id} health ${server.health}`]);
    }
  }
  return planned;
}

/** Whether HAProxy's answer to a command says it was done. */
export function commandSucceeded(command: string, answer: string): boolean {
  const text = answer.trim();
  if (command.startsWith("add server")) return text === "New server registered.";
  if (command.startsWith("del server")) return text === "Server deleted.";
  if (command.includes(" addr ")) return /^(IP changed|no need to change|port changed)/.test(text);
  return text === "";
}
