// A real HAProxy (Debian's /usr/sbin/haproxy) for tests: its own temp dir, config and stats sockets (a unix one and a
// TCP one on a free 127.0.0.1 port, both at level admin) and its Prometheus exporter, in the foreground in its own process group. It can be
// stopped (as a crash) and started again on the same config: its dynamic servers are then gone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endServer, freePort, spawnUntilReady, type TServerProcess } from "./server-process";

export type THaproxy = {
  /** The Runtime API as a data plane names it: the unix socket path. */
  socket: string;
  /** The same API on TCP: ipv4@127.0.0.1:port. */
  tcpAddress: string;
  /** Its frontend (to the first backend), and the port of its stats frontend, which serves the Prometheus exporter at /metrics. */
  url: string;
  metricsPort: number;
  /** One command on its own connection; the answer as HAProxy wrote it. */
  command(line: string): Promise<string>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  log(): string;
  stop(): Promise<void>;
};

export function runtimeCommand(path: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = connect({ path }, () => socket.write(`${line}\n`));
    socket.setTimeout(2000, () => socket.destroy(new Error(`no answer to ${line}`)));
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
  });
}

/** Starts HAProxy with an empty backend of each name (servers come from Meshdeck) and a frontend on a free port. */
export async function startHaproxy({
  backends,
  binary = process.env.HAPROXY_BIN ?? "/usr/sbin/haproxy",
}: {
  backends: string[];
  binary?: string;
}): Promise<THaproxy> {
  const dir = mkdtempSync(join(tmpdir(), "meshdeck-haproxy-"));
  const socket = join(dir, "admin.sock");
  const [statsPort, frontendPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const config = [
    "global",
    `  stats socket ${socket} level admin`,
    `  stats socket ipv4@127.0.0.1:${statsPort} level admin`,
    "defaults",
    "  mode http",
    "  timeout connect 1s",
    "  timeout client 5s",
    "  timeout server 5s",
    "frontend stats",
    `  bind 127.0.0.1:${metricsPort}`,
    "  http-request use-service prometheus-exporter if { path /metrics }",
    "frontend web",
    `  bind 127.0.0.1:${frontendPort}`,
    `  default_backend ${backends[0]}`,
    ...backends.flatMap((name) => [`backend ${name}`, "  balance roundrobin"]),
    "",
  ].join("\n");
  writeFileSync(join(dir, "haproxy.cfg"), config);
  let server: TServerProcess | undefined;

  const startServer = async () => {
    rmSync(socket, { force: true });
    server = await spawnUntilReady({
      command: binary,
      args: ["-db", "-f", join(dir, "haproxy.cfg")],
      dir,
      logFile: join(dir, "haproxy.log"),
      appendLog: true,
      ready: () =>
        runtimeCommand(socket, "show info").then(
          (answer) => answer.includes("Name: HAProxy"),
          () => false,
        ),
      readyTimeoutMs: 10_000,
      pollMs: 50,
    });
    if (!server) throw new Error(`haproxy did not start:\n${readFileSync(join(dir, "haproxy.log"), "utf8").slice(-2000)}`);
  };

  const stopServer = async () => {
    if (server) await endServer(server, "SIGKILL");
    server = undefined;
  };

  await startServer();
  return {
    socket,
    tcpAddress: `ipv4@127.0.0.1:${statsPort}`,
    url: `http://127.0.0.1:${frontendPort}`,
    metricsPort,
    command: (line) => runtimeCommand(socket, line),
    stopServer,
    startServer,
    log: () => readFileSync(join(dir, "haproxy.log"), "utf8"),
    async stop() {
      await stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
