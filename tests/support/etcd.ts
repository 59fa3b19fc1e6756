// A real etcd (Debian's /usr/bin/etcd) for tests and benchmarks: its own temp dir and free ports on 127.0.0.1,
// its own process group; it can be stopped and started again on the same port and data, as an outage.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Etcd3 } from "etcd3";
import { freePort, killGroup, sleep } from "./server-process";

export type TEtcd = {
  endpoint: string;
  pid: () => number | undefined;
  /** A client of its own, closed with the server. */
  client: Etcd3;
  /** Stops the server (SIGKILL, as a crash) and keeps its data. */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and data. */
  startServer(): Promise<void>;
  log(): string;
  stop(): Promise<void>;
};

export async function startEtcd({ binary = process.env.ETCD_BIN ?? "/usr/bin/etcd" }: { binary?: string } = {}): Promise<TEtcd> {
  const dir = mkdtempSync(join(tmpdir(), "meshdeck-etcd-"));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `127.0.0.1:${clientPort}`;
  const logFile = join(dir, "etcd.log");
  let child: ChildProcess | undefined;
  let exit: Promise<void> = Promise.resolve();
  const onExit = () => child && killGroup(child, "SIGKILL");
  process.once("exit", onExit);
  const probe = new Etcd3({ hosts: `http://${endpoint}`, dialTimeout: 1000 });

  const startServer = async () => {
    const fd = openSync(logFile, "a");
    const peer = `http://127.0.0.1:${peerPort}`;
    child = spawn(
      binary,
      [
        `--data-dir=${join(dir, "data")}`,
        `--listen-client-urls=http://${endpoint}`,
        `--advertise-client-urls=http://${endpoint}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=default=${peer}`,
        "--log-level=warn",
      ],
      { cwd: dir, detached: true, stdio: ["ignore", fd, fd] },
    );
    closeSync(fd);
    const started = child;
    exit = new Promise<void>((resolve) => started.once("exit", () => resolve()));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null) break;
      const ready = await probe.get("meshdeck-ready").then(
        () => true,
        () => false,
      );
      if (ready) return;
      await sleep(100);
    }
    killGroup(started, "SIGKILL");
    throw new Error(`etcd did not become ready:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
  };

  const stopServer = async () => {
    if (child) killGroup(child, "SIGKILL");
    await Promise.race([exit, sleep(5000)]);
    child = undefined;
  };

  await startServer();
  return {
    endpoint,
    pid: () => child?.pid,
    client: probe,
    stopServer,
    startServer,
    log: () => readFileSync(logFile, "utf8"),
    async stop() {
      probe.close();
      await stopServer();
      process.removeListener("exit", onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
