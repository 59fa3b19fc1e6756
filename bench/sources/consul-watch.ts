// `tsx --conditions=react-server bench/sources/consul-watch.ts [services] [per service]`: how the Consul source
// watches at fleet size, against the blocking Consul API of the tests (tests/support/consul.ts) on 127.0.0.1: the
// requests and time of a first listing, the size of /v1/health/state/any, and what one check going critical costs
// (requests, time to the change handed to the sync). Prints figures; no database.
import type { TSourceChange } from "@/lib/sources/types";
import { ConsulAdapter } from "@/lib/sources/consul/consul-adapter";
import { startConsulDouble } from "@/tests/support/consul";

const [services = 1000, perService = 10] = process.argv.slice(2).map(Number);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const consul = await startConsulDouble();
  for (let s = 0; s < services; s++)
    for (let i = 0; i < perService; i++)
      consul.register({
        id: `svc-${s}-${i}`,
        name: `svc-${s}`,
        node: `node-${(s * perService + i) % 1000}`,
        port: 20000 + i,
        checks: [{ CheckID: `service:svc-${s}-${i}`, Name: "http", Status: "passing", Output: "200 OK", Notes: "" }],
      });
  const changes: { at: number; change: TSourceChange }[] = [];
  const adapter = new ConsulAdapter({
    name: "bench",
    kind: "consul",
    convention: "catalog",
    endpoints: [consul.endpoint],
    prefix: "",
    username: null,
    password: null,
    tls: null,
  });
  const started = Date.now();
  adapter.start({ onChange: async (change) => void changes.push({ at: Date.now(), change }), onState: () => undefined });
  while (changes.length === 0) await sleep(20);
  const listed = changes[0]!.change;
  console.log(
    `first listing: ${listed.kind === "snapshot" ? listed.instances.length : 0} instances, ${consul.requests.length} requests, ${changes[0]!.at - started} ms`,
  );
  const checks = await fetch(`http://${consul.endpoint}/v1/health/state/any`).then((response) => response.text());
  console.log(`/v1/health/state/any: ${(checks.length / 2 ** 20).toFixed(2)} MiB`);
  await sleep(300);
  const before = consul.requests.length;
  const flipped = Date.now();
  consul.setCheck("svc-7-3", { CheckID: "service:svc-7-3", Status: "critical", Output: "connection refused" });
  while (changes.length === 1) await sleep(5);
  await sleep(300);
  const made = consul.requests.slice(before).map((request) => `${request.method} ${request.path}${request.query.index ? "?index=" : ""}`);
  console.log(`one check critical: handed to the sync in ${changes[1]!.at - flipped} ms; requests: ${made.join(", ")}`);
  console.log(`long polls open: 2 (catalog/services, health/state/any); one per service would be ${services}`);
  await adapter.stop();
  await consul.stop();
}

void main();
