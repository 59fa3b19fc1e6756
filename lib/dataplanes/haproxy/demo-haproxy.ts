import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TActor } from "@/lib/auth/actor";
import { httpUrl, localAddress } from "@/lib/env";
import { log } from "@/lib/log";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { createDataPlane, updateDataPlane } from "../manage-data-planes";
import { getDataPlane } from "../queries";
import { ZDataPlaneInput } from "../schemas";
import { runCommands } from "./runtime-api";

export const demoDataPlaneName = "demo-haproxy";
const haproxyBinary = "/usr/sbin/haproxy";

/**
 * The demo's haproxy.cfg: the Runtime API on a unix socket, and a frontend that routes `/<service>/<path>` to backend
 * `<service>` with `<path>` as the instance sees it, as the built-in gateway does, and serves HAProxy's Prometheus
 * exporter at `/metrics` (no demo service is named so). Backends start empty: Meshdeck fills them.
 */
export function demoHaproxyConfig({ socket, host, port, services }: { socket: string; host: string; port: number; services: readonly string[] }): string {
  return [
    "global",
    `    stats socket ${socket} mode 600 level admin`,
    "defaults",
    "    mode http",
    "    timeout connect 1s",
    "    timeout client 30s",
    "    timeout server 30s",
    "frontend demo",
    `    bind ${host.includes(":") ? `[${host}]` : host}:${port}`,
    "    http-request use-service prometheus-exporter if { path /metrics }",
    "    http-request set-var(req.service) path,field(2,/)",
    "    http-request set-path %[path,regsub(^/[^/?]*/?,/)]",
    "    use_backend %[var(req.service)]",
    ...services.flatMap((service) => [`backend ${service}`, "    balance roundrobin"]),
    "",
  ].join("\n");
}

async function answers(socket: string): Promise<boolean> {
  return runCommands({ address: socket, commands: ["show info"], timeoutMs: 500 }).then(
    ([info]) => Boolean(info?.includes("Name: HAProxy")),
    () => false,
  );
}

/**
 * Starts Debian's HAProxy for the demo fleet, with a backend per demo service, and adds it as the data plane
 * `demo-haproxy` (or points that one at it), and registers it as the instance `demo-haproxy` of service `demo-haproxy`
 * with its exporter as metrics endpoint: a drain on a service page then moves real HAProxy traffic. Undefined when
 * HAProxy is not installed or does not start.
 */
export async function startDemoHaproxy({
  services,
  host,
  port,
  actor,
}: {
  services: readonly string[];
  host: string;
  port: number;
  actor: TActor;
}): Promise<{ child: ChildProcess; url: string } | undefined> {
  if (!existsSync(haproxyBinary)) {
    log.warn(`MESHDECK_DEMO_HAPROXY=1 but ${haproxyBinary} is not installed (apt-get install haproxy); the demo uses the built-in gateway`);
    return undefined;
  }
  // One directory per app port: two apps on one machine do not share a socket.
  const dir = join(tmpdir(), `meshdeck-demo-haproxy-${port}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const socket = join(dir, "admin.sock");
  rmSync(socket, { force: true });
  writeFileSync(join(dir, "haproxy.cfg"), demoHaproxyConfig({ socket, host, port, services }));
  const child = spawn(haproxyBinary, ["-db", "-f", join(dir, "haproxy.cfg")], { stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 5000;
  while (!(await answers(socket))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      log.error(`the demo HAProxy did not start on ${host}:${port}; the demo uses the built-in gateway`);
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const input = ZDataPlaneInput.parse({ name: demoDataPlaneName, kind: "haproxy", address: socket });
  const current = await getDataPlane({ name: demoDataPlaneName });
  if (!current) await createDataPlane({ actor, input });
  else if (current.address !== socket || current.backends !== null || current.healthMode !== "meshdeck" || !current.enabled)
    await updateDataPlane({ actor, name: demoDataPlaneName, input });
  // HAProxy in the catalog too, scraped at its exporter: the topology draws its calls to each service's backend.
  await registerInstance({
    input: ZRegisterInstance.parse({
      service: demoDataPlaneName,
      id: demoDataPlaneName,
      host: localAddress(host),
      port,
      check: { kind: "tcp", interval: "5s", timeout: "1s" },
      metrics: { path: "/metrics" },
    }),
  });
  const url = httpUrl(localAddress(host), port);
  log.info(`demo HAProxy listening on ${url}: it routes /<service>/... and is driven by Meshdeck (data plane ${demoDataPlaneName})`);
  return { child, url };
}
