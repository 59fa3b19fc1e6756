// HAProxy from Debian as the reference load balancer: the same instances with the same weights, weighted
// round-robin, connections to the instances reused (`http-reuse always`). Installing and starting it is
// bench/health/haproxy.ts's; only the configuration is this benchmark's own.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export { ensureHaproxy, startHaproxy } from "../health/haproxy";

export function writeHaproxyConfig({ dir, port, upstreams }: { dir: string; port: number; upstreams: { port: number; weight: number }[] }) {
  const file = join(dir, "haproxy.cfg");
  const servers = upstreams.map((u, i) => `  server s${i + 1} 127.0.0.1:${u.port} weight ${u.weight}`).join("\n");
  writeFileSync(
    file,
    `# Written by bench/gateway/run.ts: the gateway's instances and weights, in HAProxy's terms. No health checks:
# only routing is compared. Threads: HAProxy's default (one per CPU).
global
  maxconn 4096
  stats socket ${join(dir, "haproxy.sock")} mode 600 level admin

defaults
  mode http
  option http-keep-alive
  timeout connect 1s
  timeout client 30s
  timeout server 60s
  timeout http-keep-alive 30s

frontend bench_in
  bind 127.0.0.1:${port}
  default_backend bench

backend bench
  balance roundrobin
  http-reuse always
${servers}
`,
  );
  return { file };
}
