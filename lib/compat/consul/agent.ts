import "server-only";
import { parseJsonBody } from "@/lib/api/gate";
import type { TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { changeInstances } from "@/lib/governance/change-instances";
import { ZChangeInstances } from "@/lib/governance/schemas";
import { forbiddenCharacter } from "@/lib/plain-text";
import { beatState } from "@/lib/registry/beat-state";
import { recordHeartbeat, setTtlStatus } from "@/lib/registry/heartbeats";
import { assertInstanceScope } from "@/lib/registry/instance-scope";
import { deregisterInstance, registerInstance } from "@/lib/registry/register-instance";
import type { TCheck } from "@/lib/registry/schemas";
import type { TCompatAnswer, TCompatRequest } from "../listen";
import { assertConsulPermission, consulActor, toldAsConsul } from "./gate";
import { admitted } from "./read";
import { toRegistration } from "./registration";

// The agent's writes: register, deregister, TTL check updates, maintenance. Each answers 200 with an empty body, as Consul.

export const maxConsulBodyBytes = 64 * 1024;
const ok: TCompatAnswer = { status: 200, body: "", contentType: "text/plain; charset=utf-8" };

const storedCheckSelect = {
  checkKind: true,
  checkPath: true,
  checkIntervalMs: true,
  checkTimeoutMs: true,
  checkTtlMs: true,
  checkRise: true,
  checkFall: true,
  deregisterAfterMs: true,
} as const;
type TStoredCheck = {
  [K in keyof typeof storedCheckSelect]: K extends "checkPath" | "deregisterAfterMs"
    ? K extends "checkPath"
      ? string | null
      : number | null
    : K extends "checkKind"
      ? string
      : number;
};

/** The check an instance registered with, as stored. */
function storedCheck(row: TStoredCheck): TCheck {
  const deregisterAfter = row.deregisterAfterMs;
  if (row.checkKind === "ttl") return { kind: "ttl", ttl: row.checkTtlMs, deregisterAfter };
  const active = { interval: row.checkIntervalMs, timeout: row.checkTimeoutMs, rise: row.checkRise, fall: row.checkFall, deregisterAfter };
  if (row.checkKind === "http") return { kind: "http", path: row.checkPath ?? "/health", ...active };
  if (row.checkKind === "grpc") return { kind: "grpc", service: row.checkPath ?? "", ...active };
  if (row.checkKind === "script") return { kind: "script", args: JSON.parse(row.checkPath ?? "[]") as string[], ...active };
  return { kind: "tcp", ...active };
}

// An IPv4 peer as Node shows it on a dual-stack socket (::ffff:10.0.0.7) is the IPv4 address.
const plainAddress = (peer: string | null) => (peer ?? "").replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");

// PUT /v1/agent/service/register - register (or re-register) a service instance with its check
export async function registerService(request: TCompatRequest): Promise<TCompatAnswer> {
  const actor = await consulActor(request, "registry.register");
  const body = parseJsonBody(await request.body(), maxConsulBodyBytes);
  const input = toRegistration(body, { peer: plainAddress(request.peer), scriptChecks: getEnv().MESHDECK_CONSUL_SCRIPT_CHECKS === "1" });
  assertConsulPermission(actor, "registry.register", { service: input.service });
  await consulInstanceScope(actor, input.id);
  const checkGiven = typeof body === "object" && body !== null && ("Check" in body || "Checks" in body);
  return admitted(false, async () => {
    // Re-registered without a check (a weight change, say), a service keeps the one it has, as Consul's agent does
    // unless asked to replace-existing-checks.
    if (!checkGiven) {
      const row = await db.instance.findUnique({ where: { source_instanceId: { source: "builtin", instanceId: input.id } }, select: storedCheckSelect });
      if (row) input.check = storedCheck(row);
    }
    await registerInstance({ input, protocol: "consul" });
    return ok;
  });
}

// PUT /v1/agent/service/deregister/:id - deregister an instance
export async function deregisterService(request: TCompatRequest): Promise<TCompatAnswer> {
  const actor = await consulActor(request, "registry.register");
  await consulInstanceScope(actor, request.params.id!);
  return admitted(false, async () => {
    try {
      await deregisterInstance({ instanceId: request.params.id!, reason: "deregistered through the Consul API" });
    } catch (error) {
      if ((error as { code?: unknown }).code === "not_found") throw new AppError("not_found", `Unknown service ID "${request.params.id}"`);
      throw error;
    }
    return ok;
  });
}

const consulInstanceScope = (actor: TActor, instanceId: string) => toldAsConsul(assertInstanceScope({ actor, instanceId }));

// Consul names a service's only check `service:<id>`; that is the one check a Meshdeck instance has.
function instanceOfCheck(checkId: string): string {
  const match = /^service:(.+)$/.exec(checkId);
  if (!match) throw new AppError("not_found", `Unknown check ID "${checkId}": Meshdeck's checks are named service:<service id>`);
  return match[1]!;
}

type TTtlStatus = "passing" | "warning" | "critical";

async function setCheckStatus(checkId: string, status: TTtlStatus, note: string) {
  const instanceId = instanceOfCheck(checkId);
  if (forbiddenCharacter(note, { multiline: true })) throw new AppError("bad_request", "the note or output holds a control character");
  const beat = beatState.beats.get(instanceId);
  // A TTL instance this process tracks is known without a read: a pass costs what a native heartbeat does.
  const row = beat
    ? { id: beat.id, checkKind: "ttl" }
    : await db.instance.findUnique({ where: { source_instanceId: { source: "builtin", instanceId } }, select: { id: true, checkKind: true } });
  if (!row) throw new AppError("not_found", `Unknown check ID "${checkId}"`);
  if (row.checkKind !== "ttl") throw new AppError("bad_request", `CheckID "${checkId}" does not have associated TTL`);
  if (status === "passing") await recordHeartbeat({ instanceId });
  else await setTtlStatus({ instanceId, id: row.id, status, reason: note.slice(0, 500) || `TTL check set ${status} through the Consul API` });
}

// PUT /v1/agent/check/pass|warn|fail/:id?note= - a TTL check's status
export function ttlStatus(status: TTtlStatus) {
  return async (request: TCompatRequest): Promise<TCompatAnswer> => {
    const actor = await consulActor(request, "registry.register");
    await consulInstanceScope(actor, instanceOfCheck(request.params.id!));
    return admitted(false, async () => {
      await setCheckStatus(request.params.id!, status, request.query.get("note") ?? "");
      return ok;
    });
  };
}

// PUT /v1/agent/check/update/:id - a TTL check's status and output, in the body
export async function updateCheck(request: TCompatRequest): Promise<TCompatAnswer> {
  const actor = await consulActor(request, "registry.register");
  await consulInstanceScope(actor, instanceOfCheck(request.params.id!));
  const body = parseJsonBody(await request.body(), maxConsulBodyBytes) as { Status?: unknown; Output?: unknown };
  if (body.Status !== "passing" && body.Status !== "warning" && body.Status !== "critical") {
    throw new AppError("bad_request", `Invalid status "${String(body.Status)}": must be passing, warning or critical`);
  }
  const status = body.Status;
  const output = typeof body.Output === "string" ? body.Output : "";
  return admitted(false, async () => {
    await setCheckStatus(request.params.id!, status, output);
    return ok;
  });
}

// PUT /v1/agent/service/maintenance/:id?enable=true&reason= - maintenance is a drain, audited as any governance change
export async function serviceMaintenance(request: TCompatRequest): Promise<TCompatAnswer> {
  const actor = await consulActor(request, "registry.register");
  const enable = request.query.get("enable");
  if (enable !== "true" && enable !== "false") throw new AppError("bad_request", 'Missing value for enable: must be "true" or "false"');
  const instanceId = request.params.id!;
  const row = await db.instance.findUnique({
    where: { source_instanceId: { source: "builtin", instanceId } },
    select: { service: { select: { name: true } } },
  });
  if (!row) throw new AppError("not_found", `Unknown service ID "${instanceId}"`);
  const reason = request.query.get("reason") || `maintenance ${enable === "true" ? "on" : "off"} through the Consul API`;
  // Consul always lets a service enter maintenance: the last instance too, so the change is forced (with its reason).
  const input = ZChangeInstances.parse({
    selector: { service: row.service.name, ids: [instanceId] },
    change: { enabled: enable !== "true" },
    reason,
    force: true,
  });
  return admitted(false, async () => {
    await changeInstances({ actor, input, permission: "registry.register" });
    return ok;
  });
}
