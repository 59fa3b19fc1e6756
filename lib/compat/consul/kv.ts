import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { canReadSecrets } from "@/lib/config/access";
import { deleteConfig, publishConfig } from "@/lib/config/publish/publish";
import { MAX_CONFIG_BYTES, ZConfigRef, type TConfigRef } from "@/lib/config/schemas";
import { loadConfigStates, loadStatesOf } from "@/lib/config/watch/load-states";
import { configNotifier } from "@/lib/config/watch/notifier";
import { resolveForClient, type TConfigState } from "@/lib/config/watch/resolve";
import type { TCompatAnswer, TCompatRequest } from "../listen";
import { consulActor } from "./gate";
import { admitted } from "./read";
import { parseGoDuration } from "./registration";

// /v1/kv/<namespace>/<group>/<key>: Consul's key/value store is the config center. A key's first segment is the
// namespace, the second the group, the rest the item's key; a value is the item's current version (not a gray one).

const text = "text/plain; charset=utf-8";
const maxWaitMs = 120_000;

/** The config item a Consul key names, or undefined when it names none (Consul answers 404 for a missing key). */
export function refOfKey(key: string): TConfigRef | undefined {
  const [namespace, group, ...rest] = key.split("/");
  const parsed = ZConfigRef.safeParse({ namespace, group, key: rest.join("/") });
  return parsed.success ? parsed.data : undefined;
}

const keyOf = (state: { namespace: string; group: string; key: string }) => `${state.namespace}/${state.group}/${state.key}`;

function pair(state: TConfigState, actor: TActor) {
  const content = resolveForClient(state, { tags: [] }).content ?? "";
  const readable = !state.secret || canReadSecrets(actor);
  return {
    LockIndex: 0,
    Key: keyOf(state),
    Flags: 0,
    // A secret item this token may not read is listed without its value.
    Value: readable ? Buffer.from(content).toString("base64") : null,
    CreateIndex: state.seq,
    ModifyIndex: state.seq,
  };
}

// Items under a key prefix ("ns/", "ns/group/", "ns/group/key-prefix"): within one namespace, at most one group's worth.
async function statesUnder(prefix: string): Promise<TConfigState[]> {
  const [namespace, group, ...rest] = prefix.split("/");
  if (!namespace) throw new AppError("bad_request", "a recursive read needs at least a namespace: /v1/kv/<namespace>/?recurse");
  // "ns/gr" may be the start of a group's name: the group is exact only once a "/" follows it.
  const exactGroup = group !== undefined && rest.length > 0;
  const states = await loadConfigStates({ namespace, ...(exactGroup ? { group } : {}), deletedAt: null, version: { gt: 0 } });
  return states.filter((state) => keyOf(state).startsWith(prefix)).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

async function waitPast(request: TCompatRequest, refs: TConfigRef[]) {
  const index = request.query.get("index");
  if (index === null || refs.length === 0) return;
  const wait = request.query.get("wait");
  const waitMs = Math.min(maxWaitMs, wait === null ? 300_000 : (parseGoDuration(wait) ?? 300_000));
  const since = Number(index);
  if (!Number.isSafeInteger(since)) throw new AppError("bad_request", "Invalid index: must be a whole number");
  await configNotifier.watch({ refs, timeoutMs: waitMs, signal: request.signal, evaluate: (read) => refs.filter((ref) => read(ref).seq > since) });
}

// GET /v1/kv/<key>?recurse&raw&keys&index=&wait= - read a key or the keys under a prefix
export async function kvGet(request: TCompatRequest): Promise<TCompatAnswer> {
  const actor = await consulActor(request, "config.read");
  const key = request.params.rest ?? "";
  const recurse = request.query.has("recurse") || request.query.has("keys");
  return admitted(request.query.has("index"), async () => {
    let states: TConfigState[];
    if (recurse) {
      states = await statesUnder(key);
      await waitPast(request, states);
      states = await statesUnder(key);
    } else {
      const ref = refOfKey(key);
      if (!ref) return { status: 404, body: "", contentType: text };
      await waitPast(request, [ref]);
      states = (await loadStatesOf([ref])).filter((state) => state.exists);
    }
    const index = Math.max(1, ...states.map((state) => state.seq));
    const headers = { "x-consul-index": String(index), "x-consul-knownleader": "true", "x-consul-lastcontact": "0" };
    if (states.length === 0) return { status: 404, body: "", contentType: text, headers };
    if (request.query.has("keys")) return { status: 200, body: JSON.stringify(states.map(keyOf)), headers };
    const pairs = states.map((state) => pair(state, actor));
    if (request.query.has("raw") && !recurse) {
      if (pairs[0]!.Value === null) throw new AppError("forbidden", "Permission denied: the item is secret and this token may not read secrets");
      return { status: 200, body: resolveForClient(states[0]!, { tags: [] }).content ?? "", contentType: text, headers };
    }
    return { status: 200, body: JSON.stringify(pairs), headers };
  });
}

function writableRef(request: TCompatRequest): TConfigRef {
  const ref = refOfKey(request.params.rest ?? "");
  if (!ref) throw new AppError("bad_request", "a key is <namespace>/<group>/<key> (a config center item; see docs/registries.md)");
  for (const unsupported of ["acquire", "release", "recurse"]) {
    if (request.query.has(unsupported)) throw new AppError("bad_request", `?${unsupported} is not supported by Meshdeck's KV`);
  }
  return ref;
}

// ?cas=N: only when the item's index is still N (0: only when it does not exist); otherwise Consul answers false.
function casHolds(request: TCompatRequest, state: TConfigState): boolean {
  const cas = request.query.get("cas");
  return cas === null || Number(cas) === (state.exists ? state.seq : 0);
}

// PUT /v1/kv/<key>?cas= - the body is the new value, published as the item's next version
export async function kvPut(request: TCompatRequest): Promise<TCompatAnswer> {
  const actor = await consulActor(request, "config.write");
  const ref = writableRef(request);
  const content = await request.body();
  if (Buffer.byteLength(content) > MAX_CONFIG_BYTES) throw new AppError("payload_too_large", `Value exceeds ${MAX_CONFIG_BYTES} byte limit`);
  return admitted(false, async () => {
    const [state] = await loadStatesOf([ref]);
    if (!casHolds(request, state!)) return { status: 200, body: "false" };
    if (state!.secret && !canReadSecrets(actor)) throw new AppError("forbidden", "Permission denied: the item is secret and this token may not read secrets");
    await publishConfig({
      actor,
      ref,
      input: {
        format: state!.exists ? state!.format : "text",
        content,
        message: "written through the Consul KV API",
        baseVersion: state!.current?.version ?? 0,
      },
    });
    return { status: 200, body: "true" };
  });
}

// DELETE /v1/kv/<key>?cas= - the item is deleted for clients (its history stays)
export async function kvDelete(request: TCompatRequest): Promise<TCompatAnswer> {
  const actor = await consulActor(request, "config.write");
  const ref = writableRef(request);
  return admitted(false, async () => {
    const [state] = await loadStatesOf([ref]);
    if (!casHolds(request, state!)) return { status: 200, body: "false" };
    if (state!.exists) await deleteConfig({ actor, ref, input: { message: "deleted through the Consul KV API", baseVersion: state!.current?.version ?? 0 } });
    return { status: 200, body: "true" };
  });
}
