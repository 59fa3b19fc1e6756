// A process of N watchers of one config item, forked by bench/config/run.ts: Meshdeck's long poll (one HTTP
// connection each) or etcd's watch (etcd3's gRPC stream, as etcd clients multiplex them). It records when each
// watcher heard of each version, by the wall clock the driver stamps its publishes with.
import { Etcd3 } from "etcd3";
import { Agent, request } from "node:http";

export type TWatchersStart =
  | {
      kind: "start";
      mode: "meshdeck";
      baseUrl: string;
      token: string;
      count: number;
      staggerMs: number;
      item: { namespace: string; group: string; key: string };
    }
  | { kind: "start"; mode: "etcd"; endpoint: string; count: number; key: string };
export type TWatchersMessage =
  { kind: "ready"; count: number } | { kind: "report"; received: Record<number, number[]>; errors: number; lastError: string | null };

const received = new Map<number, number[]>();
let errors = 0;
let lastError: string | null = null;
let stopped = false;
const record = (version: number, at: number) => received.set(version, [...(received.get(version) ?? []), at]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (message: TWatchersMessage) => process.send?.(message);

function post(agent: Agent, url: URL, token: string, body: string): Promise<{ status: number; text: string; at: number }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: "POST", agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), at: Date.now() }));
        response.on("error", reject);
      },
    );
    outgoing.setTimeout(60_000, () => outgoing.destroy(new Error("watch timed out")));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

async function meshdeck(start: Extract<TWatchersStart, { mode: "meshdeck" }>) {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const url = new URL("/api/v1/config/watch", start.baseUrl);
  let ready = 0;
  const loop = async (index: number) => {
    await sleep((index / start.count) * start.staggerMs);
    let held = 0;
    while (!stopped) {
      try {
        const answer = await post(
          agent,
          url,
          start.token,
          JSON.stringify({ instance: `watcher-${index}`, items: [{ ...start.item, version: held }], timeout: "30s" }),
        );
        if (answer.status !== 200) throw new Error(`${answer.status} ${answer.text.slice(0, 200)}`);
        for (const item of (JSON.parse(answer.text) as { changed: { version: number }[] }).changed) {
          record(item.version, answer.at);
          if (held === 0 && ++ready === start.count) send({ kind: "ready", count: ready });
          held = item.version;
        }
      } catch (error) {
        errors += 1;
        lastError = (error as Error).message;
        await sleep(1000);
      }
    }
  };
  for (let index = 0; index < start.count; index += 1) void loop(index);
}

async function etcd(start: Extract<TWatchersStart, { mode: "etcd" }>) {
  const client = new Etcd3({ hosts: start.endpoint });
  for (let index = 0; index < start.count; index += 1) {
    const watcher = await client.watch().key(start.key).create();
    watcher.on("put", (kv) => record(Number(kv.value.toString()), Date.now()));
    watcher.on("error", (error: Error) => {
      errors += 1;
      lastError = error.message;
    });
  }
  send({ kind: "ready", count: start.count });
}

process.on("message", (message: TWatchersStart | { kind: "report" } | { kind: "stop" }) => {
  if (message.kind === "start") void (message.mode === "meshdeck" ? meshdeck(message) : etcd(message));
  else if (message.kind === "report") send({ kind: "report", received: Object.fromEntries(received), errors, lastError });
  else {
    stopped = true;
    process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));
