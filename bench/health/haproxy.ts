// HAProxy from Debian as the reference checker: installed if missing, given the same 1000 endpoints,
// its DOWN decisions read from its own log (sent to a UDP syslog listener here) and its state from
// the stats socket.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { existsSync, openSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

export const haproxyBin = "/usr/sbin/haproxy";
export const backend = "bench";

function serverName(index: number): string {
  return `s${String(index).padStart(4, "0")}`;
}

/** Installs Debian's haproxy when it is not there yet (apt-get update first, as the machine requires). */
export function ensureHaproxy(): string {
  if (!existsSync(haproxyBin)) {
    console.log("haproxy not found: apt-get update && apt-get install -y haproxy");
    for (const args of [["update"], ["install", "-y", "haproxy"]]) {
      const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status})`);
    }
  }
  const version = spawnSync(haproxyBin, ["-v"], { encoding: "utf8" }).stdout.split("\n")[0] ?? "";
  return /version (\S+)/.exec(version)?.[1] ?? version.trim();
}

export type TDownEvent = { index: number; at: number; receivedAt: number; line: string };

/** A syslog listener on 127.0.0.1 that keeps HAProxy's "Server bench/sNNNN is DOWN" lines. */
export async function startSyslog(): Promise<{ port: number; downs: TDownEvent[]; lines: number; socket: Socket }> {
  const socket = createSocket("udp4");
  const state = { port: 0, downs: [] as TDownEvent[], lines: 0, socket };
  socket.on("message", (buffer) => {
    const receivedAt = Date.now();
    const line = buffer.toString("utf8");
    state.lines += 1;
    const down = new RegExp(`Server ${backend}/s(\\d+) is DOWN`).exec(line);
    if (!down) return;
    // RFC 5424 header: "<pri>1 2026-01-02T03:04:05.123456+00:00 host ...": HAProxy's own moment of decision.
    const stamped = Date.parse(/^<\d+>1 (\S+) /.exec(line)?.[1] ?? "");
    state.downs.push({ index: Number(down[1]), at: Number.isFinite(stamped) ? stamped : receivedAt, receivedAt, line: line.trim() });
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  state.port = socket.address().port;
  return state;
}

export function writeHaproxyConfig({ dir, ports, syslogPort, tcp }: { dir: string; ports: number[]; syslogPort: number; tcp: boolean }) {
  const file = join(dir, "haproxy.cfg");
  const socket = join(dir, "haproxy.sock");
  const servers = ports.map((port, index) => `  server ${serverName(index)} 127.0.0.1:${port}`).join("\n");
  writeFileSync(
    file,
    `# Written by bench/health/run.ts: Meshdeck's defaults (interval 1 s, timeout 800 ms, fall 2, rise 2) in HAProxy's terms.
global
  log 127.0.0.1:${syslogPort} format rfc5424 local0 info
  stats socket ${socket} mode 600 level admin
  maxconn 8192

defaults
  mode http
  log global
  timeout connect 800ms
  timeout check 800ms
  timeout client 5s
  timeout server 5s

backend ${backend}
${tcp ? "  # No httpchk: a plain connect check (L4OK)." : "  option httpchk GET /health"}
  default-server check inter 1s fall 2 rise 2
${servers}
`,
  );
  return { file, socket };
}

export function startHaproxy({ file, dir }: { file: string; dir: string }): ChildProcess {
  const check = spawnSync(haproxyBin, ["-c", "-f", file], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`haproxy rejected ${file}:\n${check.stdout}${check.stderr}`);
  const out = openSync(join(dir, "haproxy.log"), "a");
  // -db: stay in the foreground, one process (no master), so its pid is the checker's.
  return spawn(haproxyBin, ["-db", "-f", file], { stdio: ["ignore", out, out] });
}

/** `show stat` over the stats socket: per server, its status (UP/DOWN) and last check status ("* " = one running, dropped). */
export function showStat(socketPath: string): Promise<Map<number, { status: string; check: string }>> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = "";
    socket.setTimeout(5000, () => socket.destroy(new Error("stats socket timed out")));
    socket.on("connect", () => socket.write("show stat\n"));
    socket.on("data", (chunk) => (text += chunk.toString("utf8")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [header, ...rows] = text.split("\n").filter(Boolean);
      const columns = (header ?? "").replace(/^# /, "").split(",");
      const at = (name: string) => columns.indexOf(name);
      const servers = new Map<number, { status: string; check: string }>();
      for (const row of rows) {
        const cells = row.split(",");
        const name = /^s(\d+)$/.exec(cells[at("svname")] ?? "");
        if (cells[at("pxname")] !== backend || !name) continue;
        servers.set(Number(name[1]), { status: cells[at("status")] ?? "", check: (cells[at("check_status")] ?? "").replace(/^\* /, "") });
      }
      resolve(servers);
    });
  });
}
