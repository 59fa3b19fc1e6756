// Child processes of a benchmark: waiting for a condition, stopping a child, a throwaway PostgreSQL.
import { spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function waitFor<T>(what: string, limitMs: number, probe: () => Promise<T | null>, everyMs = 500): Promise<T> {
  const deadline = Date.now() + limitMs;
  let lastError = "";
  for (;;) {
    const value = await probe().catch((error: unknown) => {
      lastError = error instanceof Error ? error.message : String(error);
      return null;
    });
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}`);
    await sleep(everyMs);
  }
}

/** SIGTERM, then SIGKILL after 8 s; `group`: to its whole process group (a child spawned with `detached: true` leads one). */
export async function stopChild(child: ChildProcess, name: string, log: (message: string) => void, { group = false }: { group?: boolean } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const signal = (which: NodeJS.Signals) => {
    try {
      if (group && child.pid) process.kill(-child.pid, which);
      else child.kill(which);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const clean = await Promise.race([exited.then(() => true), sleep(8000).then(() => false)]);
  if (!clean) {
    log(`${name} (pid ${child.pid}) did not stop on SIGTERM; SIGKILL`);
    signal("SIGKILL");
    await exited;
  }
}

/** PostgreSQL 15 in a temp dir (scripts/postgres.sh), and how to stop it. */
export function startPostgres(port: number): { url: string; dir: string; stop: () => void } {
  const out = spawnSync("bash", ["-c", `source scripts/postgres.sh && postgres_start ${port} >&2 && echo "$PG_DIR $MESHDECK_TEST_PG_URL"`], {
    encoding: "utf8",
  });
  if (out.status !== 0) throw new Error(`postgres_start failed:\n${out.stderr}`);
  const [dir, url] = out.stdout.trim().split(" ");
  return { url: url!, dir: dir!, stop: () => void spawnSync("bash", ["-c", `source scripts/postgres.sh && PG_DIR=${dir} postgres_stop`]) };
}

/** Runs a benchmark's main and exits with its code, stopping what it started on the way out, on Ctrl-C and SIGTERM too. */
export function runBench({ main, shutdown }: { main: () => Promise<number>; shutdown: () => Promise<void> }) {
  process.once("SIGINT", () => void shutdown().then(() => process.exit(130)));
  process.once("SIGTERM", () => void shutdown().then(() => process.exit(143)));
  main()
    .then(async (code) => {
      await shutdown();
      process.exit(code);
    })
    .catch(async (error: unknown) => {
      console.error(error);
      await shutdown();
      process.exit(2);
    });
}

/** A port free on 127.0.0.1 right now (the kernel's pick), for servers that cannot be told port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type TReport = { type: string };
export type TAsk<TMessage extends TReport, TAnswer extends TReport> = <T extends TAnswer["type"]>(
  message: TMessage & { type: T },
) => Promise<Extract<TAnswer, { type: T }>>;

/** Questions to a forked child over IPC, one at a time per type (answers come back in order); resolves with its ready report. */
export function askingChild<TMessage extends TReport, TAnswer extends TReport>(
  child: ChildProcess,
  name: string,
): Promise<{ ask: TAsk<TMessage, TAnswer>; ready: Extract<TAnswer, { type: "ready" }> }> {
  const ask: TAsk<TMessage, TAnswer> = (message) =>
    new Promise((done) => {
      const listener = (report: TAnswer) => {
        if (report.type !== message.type) return;
        child.off("message", listener);
        done(report as never);
      };
      child.on("message", listener);
      child.send(message);
    });
  return new Promise((done, fail) => {
    const onReady = (report: TAnswer & { message?: string }) => {
      if (report.type === "ready") {
        child.off("message", onReady);
        done({ ask, ready: report as Extract<TAnswer, { type: "ready" }> });
      } else if (report.type === "error") fail(new Error(`${name}: ${report.message}`));
    };
    child.on("message", onReady);
    child.once("exit", (code) => fail(new Error(`${name} exited (${code}) before it was ready`)));
  });
}

/** The environment `npm run collector` gives the collector (glibc's malloc arenas), over the caller's. */
export const collectorEnv = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2" };

/** The collector as `npm run collector` starts it (its young generation's size too), run by node itself with the event-loop monitor. */
export const collectorNodeArgs = [
  "--max-semi-space-size=2",
  "--import",
  "./bench/shared/loop-monitor.mjs",
  "--import",
  "tsx",
  "--conditions=react-server",
  "collector/index.ts",
];
