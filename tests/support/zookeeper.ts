// A real ZooKeeper (Debian's package) for tests: standalone ZooKeeperServerMain with its own zoo.cfg, data
// dir and free port on 127.0.0.1, in its own process group, started without a shell. It can be stopped and
// started again on the same port and data, to play a registry that goes away and comes back.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endServer, freePort, spawnUntilReady, type TServerProcess } from "./server-process";

export type TZookeeperOptions = {
  /** ZooKeeper's tick; sessions last 2 to 20 ticks, so a short tick makes session expiry quick in tests. */
  tickTime?: number;
  readyTimeoutMs?: number;
};

export type TZookeeper = {
  connectString: string;
  port: number;
  dir: string;
  /** Milliseconds the last start took, from spawn to serving. */
  startedInMs: number;
  /** Ends the server (as a crash would: SIGKILL), keeping its port and data for startServer. */
  stopServer(): Promise<void>;
  /**
   * Starts the server again on the same port and data; its sessions are still valid if it comes back in time.
   * With freshData the data is wiped first, so every client's session is unknown to it: expired.
   */
  startServer(options?: { freshData?: boolean }): Promise<void>;
  /** Reads what ZooKeeper logged, to explain a failure. */
  log(): string;
  stop(): Promise<void>;
};

// Debian's zookeeper.jar names its dependencies in its manifest's Class-Path, as zkEnv.sh relies on.
const jars = ["/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-simple.jar"];
// Measured on this 2-core machine: ~0.3 s to serving with these, ~0.45 s with the JVM's defaults.
const jvmFlags = ["-Xmx128m", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xss512k"];

/** The four-letter `srvr` command; it answers "Mode: standalone" once the server takes requests. */
function serving(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = "";
    const socket = connect({ host: "127.0.0.1", port }, () => socket.end("srvr"));
    socket.setTimeout(1000, () => socket.destroy());
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(answer.includes("Mode: standalone")));
  });
}

function writeConfig(dir: string, port: number, tickTime: number) {
  const lines = [
    `tickTime=${tickTime}`,
    `dataDir=${join(dir, "data")}`,
    `clientPort=${port}`,
    "clientPortAddress=127.0.0.1",
    "admin.enableServer=false",
    "4lw.commands.whitelist=ruok,srvr",
    "maxClientCnxns=0",
  ];
  writeFileSync(join(dir, "zoo.cfg"), `${lines.join("\n")}\n`);
}

function launch(dir: string, port: number, readyTimeoutMs: number): Promise<TServerProcess | undefined> {
  return spawnUntilReady({
    command: process.env.JAVA_BIN ?? "/usr/bin/java",
    args: [
      ...jvmFlags,
      // Tests need no durability against power loss; skipping fsync keeps a shared disk out of the timings.
      "-Dzookeeper.forceSync=no",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
      "-cp",
      jars.join(":"),
      "org.apache.zookeeper.server.ZooKeeperServerMain",
      join(dir, "zoo.cfg"),
    ],
    dir,
    logFile: join(dir, "zookeeper.log"),
    appendLog: true,
    ready: () => serving(port),
    readyTimeoutMs,
    pollMs: 50,
  });
}

export async function startZookeeper(options: TZookeeperOptions = {}): Promise<TZookeeper> {
  for (const jar of jars) if (!existsSync(jar)) throw new Error(`${jar} is missing: install Debian's zookeeper package (scripts/test.sh does)`);
  const tickTime = options.tickTime ?? 500;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), "meshdeck-zookeeper-"));
  const log = () => (existsSync(join(dir, "zookeeper.log")) ? readFileSync(join(dir, "zookeeper.log"), "utf8") : "");
  const fail = (what: string) => {
    const tail = log().slice(-2000);
    return new Error(`ZooKeeper ${what}:\n${tail}`);
  };

  // The free port can be taken between finding it and ZooKeeper binding it: try another then.
  let running: TServerProcess | undefined;
  let port = 0;
  let startedInMs = 0;
  for (let attempt = 0; attempt < 3 && !running; attempt++) {
    port = await freePort();
    writeConfig(dir, port, tickTime);
    const started = Date.now();
    running = await launch(dir, port, readyTimeoutMs);
    startedInMs = Date.now() - started;
    if (!running && !log().includes("Address already in use")) break;
  }
  if (!running) {
    const error = fail("did not start");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const zookeeper: TZookeeper = {
    connectString: `127.0.0.1:${port}`,
    port,
    dir,
    startedInMs,
    log,
    async stopServer() {
      if (!running) return;
      const current = running;
      running = undefined;
      await endServer(current, "SIGKILL");
    },
    async startServer({ freshData = false } = {}) {
      if (running) return;
      if (freshData) rmSync(join(dir, "data"), { recursive: true, force: true });
      const started = Date.now();
      running = await launch(dir, port, readyTimeoutMs);
      if (!running) throw fail(`did not start again on port ${port}`);
      zookeeper.startedInMs = Date.now() - started;
    },
    stop() {
      stopped ??= (async () => {
        await zookeeper.stopServer();
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  return zookeeper;
}
