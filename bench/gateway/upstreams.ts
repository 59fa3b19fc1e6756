// The benchmark's instances: small node:http servers on 127.0.0.1, one port each, forked by bench/gateway/run.ts.
// Each answers every request with a small JSON body and counts what reached it: the instance's own
// counter, not the gateway's or HAProxy's. For the propagation part it also keeps the arrival times of
// the requests to one watched instance, stamped on arrival (epoch ms with sub-ms precision, comparable
// across processes on this machine).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type TUpstreamsMessage =
  { type: "counts" } | { type: "reset" } | { type: "watch"; index: number | null } | { type: "arrivals"; since: number } | { type: "stop" };

export type TUpstreamsReport =
  | { type: "ready"; ports: number[] }
  | { type: "counts"; counts: number[] }
  | { type: "reset" }
  | { type: "watch" }
  | { type: "arrivals"; at: number[] }
  | { type: "error"; message: string };

const count = Number(process.env.BENCH_UPSTREAMS ?? "4");
const now = () => performance.timeOrigin + performance.now();

function send(report: TUpstreamsReport) {
  process.send?.(report);
}

async function main() {
  const counts = Array<number>(count).fill(0);
  let watched: number | null = null;
  let arrivals: number[] = [];
  const servers: Server[] = [];
  for (let index = 0; index < count; index += 1) {
    const body = JSON.stringify({ id: `bench-${index + 1}` });
    const server = createServer((request, response) => {
      if (index === watched) arrivals.push(now());
      counts[index]! += 1;
      request.resume();
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      response.end(body);
    });
    // Longer than the gateway's and HAProxy's idle reuse, so neither finds a connection closed under it.
    server.keepAliveTimeout = 65_000;
    servers.push(server);
  }
  const ports: number[] = [];
  for (const server of servers) {
    ports.push(
      await new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        // Port 0: the kernel picks a free port, so the run never collides with a server someone else started.
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
      }),
    );
  }
  send({ type: "ready", ports });

  process.on("message", (message: TUpstreamsMessage) => {
    if (message.type === "counts") send({ type: "counts", counts: [...counts] });
    else if (message.type === "reset") {
      counts.fill(0);
      send({ type: "reset" });
    } else if (message.type === "watch") {
      watched = message.index;
      arrivals = [];
      send({ type: "watch" });
    } else if (message.type === "arrivals") {
      // Arrivals are in time order: the tail from `since` on.
      let from = arrivals.length;
      while (from > 0 && arrivals[from - 1]! >= message.since) from -= 1;
      send({ type: "arrivals", at: arrivals.slice(from) });
    } else if (message.type === "stop") {
      for (const server of servers) server.close();
      process.exit(0);
    }
  });
  // The orchestrator went away: do not outlive it.
  process.on("disconnect", () => process.exit(0));
}

main().catch((error: unknown) => {
  send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
