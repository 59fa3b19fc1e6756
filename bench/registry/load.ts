// The load generator of bench:registry, forked by run.ts so the client never shares an event loop with the app:
// undici keep-alive pools, one per app process, clients spread over them round-robin. It answers one question
// at a time over IPC (askingChild in bench/shared/process.ts). Every request has a deadline: a stage never hangs.
import { Pool } from "undici";
import { sleep } from "../shared/process";
import { Recorder, type TFigures } from "./figures";
import { bigServiceSize, registrationBody, type TFleet } from "./fleet";

export type TLoadKind = "heartbeat" | "discovery-service" | "discovery-catalog";

export type TLoadMessage =
  | { type: "configure"; origins: string[]; token: string }
  | { type: "register"; fleet: TFleet; ttl: string; concurrency: number; deadlineMs: number }
  | { type: "load"; kind: TLoadKind; service: string; concurrency: number; seconds: number }
  | { type: "healthz-start"; everyMs: number }
  | { type: "healthz-stop" }
  | { type: "soak"; fleet: TFleet; ttl: string; beatEveryMs: number; seconds: number; concurrency: number };

export type TLoadReport =
  | { type: "ready" }
  | { type: "error"; message: string }
  | { type: "configure" }
  | { type: "register"; figures: TFigures; okIds: string[]; attempted: number; stoppedAtDeadline: boolean }
  | { type: "load"; figures: TFigures }
  | { type: "healthz-start" }
  | { type: "healthz-stop"; figures: TFigures }
  | { type: "soak"; register: TFigures; beats: TFigures; gaps: Record<string, number>; startedAt: number; endedAt: number };

// A request unanswered after this long counts as a timeout: undici's own (cheap) timers, not an AbortSignal per
// request, which cost the client a quarter of its rate and so lowered the bare server's ceiling. No request
// waits in a pool's queue: a stage never has more in flight than the pool has connections.
const requestTimeoutMs = 15_000;
const connections = 64;
const retryAfterCapMs = 5000;
const maxAttempts = 5;

let origins: string[] = [];
let token = "";
let pools: Pool[] = [];
let healthPools: Pool[] = [];
// Registered (2xx) instance index -> id, kept for the stages after registration.
let registered: { k: number; id: string }[] = [];

const send = (report: TLoadReport) => process.send?.(report);

function poolsFor(list: string[], connections: number) {
  return list.map(
    (origin) => new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: requestTimeoutMs, bodyTimeout: requestTimeoutMs }),
  );
}

type TAnswer = { status: number; retryAfter: string | null };

/** One request, recorded: its latency and status, or a timeout or error. Null when it got no answer. */
async function call(recorder: Recorder, pool: Pool, method: "GET" | "PUT" | "POST", path: string, body?: string): Promise<TAnswer | null> {
  const started = performance.now();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  try {
    const response = await pool.request({ method, path, headers, body });
    await response.body.text();
    const retryAfter = response.headers["retry-after"];
    const answer = { status: response.statusCode, retryAfter: typeof retryAfter === "string" ? retryAfter : null };
    recorder.answer(performance.now() - started, answer.status, answer.retryAfter);
    return answer;
  } catch (error) {
    // UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT; anything else (a reset, a refused connection) is an error.
    recorder.failure(error, /TIMEOUT/i.test(String((error as { code?: unknown }).code)));
    return null;
  }
}

/** At most `size` holders at a time; the rest wait in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async take(): Promise<() => void> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }
}

const isOk = (answer: TAnswer | null) => answer !== null && answer.status >= 200 && answer.status < 300;
const isShed = (answer: TAnswer | null) => answer !== null && (answer.status === 429 || answer.status === 503);

/** Registers with retries of overload answers (as Retry-After says, capped); true on a 2xx. */
async function register(recorder: Recorder, pool: Pool, body: string, deadline: number): Promise<boolean> {
  for (let attempt = 1; attempt <= maxAttempts && Date.now() < deadline; attempt += 1) {
    const answer = await call(recorder, pool, "POST", "/api/v1/registry/instances", body);
    if (isOk(answer)) return true;
    if (!isShed(answer)) return false;
    await sleep(Math.min(retryAfterCapMs, Number(answer!.retryAfter ?? 1) * 1000 || 1000));
  }
  return false;
}

// Where the registrations over 100 ms fell: in which part of the fleet (the big service, the first instance of each
// other service, which creates it, or the rest) and in which second of the flood; the why of a tail.
function slowRegistrations(fleet: TFleet) {
  const from = performance.now();
  const big = bigServiceSize(fleet);
  const parts = new Map<string, number>();
  const seconds = new Map<number, number>();
  let count = 0;
  return {
    note(k: number, started: number, ms: number) {
      if (ms <= 100) return;
      count += 1;
      const part = k < big ? "big service" : k < big + fleet.services - 1 ? "creating a service" : "existing services";
      parts.set(part, (parts.get(part) ?? 0) + 1);
      const second = Math.floor((started - from) / 1000);
      seconds.set(second, (seconds.get(second) ?? 0) + 1);
    },
    line: () =>
      `load: ${count} registrations over 100 ms; by part: ${[...parts].map(([part, n]) => `${part} ${n}`).join(", ")}; by second of the flood (began): ${[
        ...seconds,
      ]
        .sort(([a], [b]) => a - b)
        .map(([second, n]) => `${second}s ${n}`)
        .join(", ")}`,
  };
}

async function registerFleet({ fleet, ttl, concurrency, deadlineMs }: Extract<TLoadMessage, { type: "register" }>) {
  const recorder = new Recorder();
  const slow = slowRegistrations(fleet);
  const deadline = Date.now() + deadlineMs;
  const ok: { k: number; id: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const pool = pools[worker % pools.length]!;
      while (next < fleet.instances && Date.now() < deadline) {
        const k = next++;
        const body = registrationBody(fleet, k, ttl);
        const started = performance.now();
        if (await register(recorder, pool, body, deadline)) ok.push({ k, id: (JSON.parse(body) as { id: string }).id });
        slow.note(k, started, performance.now() - started);
      }
    }),
  );
  recorder.end();
  console.log(slow.line());
  registered = ok.sort((a, b) => a.k - b.k);
  send({ type: "register", figures: recorder.figures(), okIds: registered.map((r) => r.id), attempted: next, stoppedAtDeadline: next < fleet.instances });
}

function pathOf(kind: TLoadKind, service: string, i: number): { method: "GET" | "PUT"; path: string } {
  if (kind === "discovery-service") return { method: "GET", path: `/api/v1/discovery/${service}` };
  if (kind === "discovery-catalog") return { method: "GET", path: "/api/v1/discovery" };
  const target = registered[i % Math.max(1, registered.length)];
  return { method: "PUT", path: `/api/v1/registry/instances/${target?.id ?? "i-00000"}/heartbeat` };
}

/** As many requests as `concurrency` clients get answered in `seconds`, each client waiting for its answer. */
async function load({ kind, service, concurrency, seconds }: Extract<TLoadMessage, { type: "load" }>) {
  const recorder = new Recorder();
  const until = Date.now() + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const pool = pools[worker % pools.length]!;
      while (Date.now() < until) {
        const { method, path } = pathOf(kind, service, i++);
        await call(recorder, pool, method, path);
      }
    }),
  );
  recorder.end();
  send({ type: "load", figures: recorder.figures() });
}

// /api/healthz sampled on a timer, not after the previous answer: a stall shows as slow samples, not missing ones.
let healthz: { recorder: Recorder; timer: NodeJS.Timeout; inFlight: Set<Promise<unknown>> } | null = null;

function startHealthz({ everyMs }: { everyMs: number }) {
  const recorder = new Recorder();
  const inFlight = new Set<Promise<unknown>>();
  let i = 0;
  const timer = setInterval(() => {
    const request = call(recorder, healthPools[i++ % healthPools.length]!, "GET", "/api/healthz");
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }, everyMs);
  healthz = { recorder, timer, inFlight };
  send({ type: "healthz-start" });
}

async function stopHealthz() {
  if (!healthz) return send({ type: "healthz-stop", figures: new Recorder().figures() });
  clearInterval(healthz.timer);
  await Promise.all(healthz.inFlight);
  healthz.recorder.end();
  send({ type: "healthz-stop", figures: healthz.recorder.figures() });
  healthz = null;
}

/**
 * Re-registers every registered instance with the soak's TTL, then beats each every `beatEveryMs` until the soak
 * ends. Records, per instance, the longest gap between the starts of two successful beats (the registration
 * counts as the first, the soak's end as the last): a gap over the TTL is the client's pause, not a false expiry.
 */
async function soak({ fleet, ttl, beatEveryMs, seconds, concurrency }: Extract<TLoadMessage, { type: "soak" }>) {
  const registerRecorder = new Recorder();
  const beats = new Recorder();
  const startedAt = Date.now();
  const endAt = startedAt + seconds * 1000;
  const gaps: Record<string, number> = {};
  const loops: Promise<void>[] = [];
  const slots = new Map(pools.map((pool) => [pool, new Slots(connections)]));
  const beat = async (id: string, pool: Pool, registeredAt: number) => {
    let lastOk = registeredAt;
    let maxGap = 0;
    let next = registeredAt + beatEveryMs;
    while (next < endAt) {
      await sleep(next - Date.now());
      // A beat waiting for a free connection has not been sent: the gap counts from when it is.
      const release = await slots.get(pool)!.take();
      const started = Date.now();
      const answer = await call(beats, pool, "PUT", `/api/v1/registry/instances/${id}/heartbeat`).finally(release);
      if (isOk(answer)) {
        maxGap = Math.max(maxGap, started - lastOk);
        lastOk = started;
      }
      // Fallen behind (a slow answer): the next beat goes now, never a burst to catch up.
      next = Math.max(next + beatEveryMs, Date.now());
    }
    gaps[id] = Math.max(maxGap, endAt - lastOk);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < registered.length && Date.now() < endAt) {
        const { k, id } = registered[next++]!;
        const pool = pools[k % pools.length]!;
        const release = await slots.get(pool)!.take();
        const at = Date.now();
        const ok = await register(registerRecorder, pool, registrationBody(fleet, k, ttl), endAt).finally(release);
        if (ok) loops.push(beat(id, pool, at));
        else gaps[id] = Number.POSITIVE_INFINITY;
      }
    }),
  );
  registerRecorder.end();
  await Promise.all(loops);
  beats.end();
  send({ type: "soak", register: registerRecorder.figures(), beats: beats.figures(), gaps, startedAt, endedAt: endAt });
}

async function answer(message: TLoadMessage) {
  switch (message.type) {
    case "configure":
      origins = message.origins;
      token = message.token;
      await Promise.all([...pools, ...healthPools].map((pool) => pool.close()));
      pools = poolsFor(origins, connections);
      // Samples taken every 20 ms through a stall of seconds: enough connections that none waits for one.
      healthPools = poolsFor(origins, 1024);
      return send({ type: "configure" });
    case "register":
      return registerFleet(message);
    case "load":
      return load(message);
    case "healthz-start":
      return startHealthz(message);
    case "healthz-stop":
      return stopHealthz();
    case "soak":
      return soak(message);
  }
}

process.on("message", (message: TLoadMessage) => {
  answer(message).catch((error: unknown) => send({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});
send({ type: "ready" });
