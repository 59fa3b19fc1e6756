import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { canReadSecrets } from "@/lib/config/access";
import { ZConfigRef, type TConfigRef } from "@/lib/config/schemas";
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
  const key = request.params.rest ?? "";
  // A KV key's first segment is its namespace: a token narrowed to namespaces reads only under those.
  const actor = await consulActor(request, "config.read", { namespace: key.split("/")[0] || undefined });
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

// PUT and DELETE /v1/kv/<key>: refused. Config is published by a person in Meshdeck (versioned, audited, with a
// gray release); an API token reads it, as on Meshdeck's own config API (`config.publish` takes no token).
export async function kvWrite(request: TCompatRequest): Promise<TCompatAnswer> {
  await consulActor(request, "config.read");
  throw new AppError("forbidden", "Permission denied: KV is read-only; publish config in Meshdeck");
}
