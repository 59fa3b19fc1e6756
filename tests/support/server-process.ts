// Real servers for tests (Prometheus, ZooKeeper): spawned without a shell in a process group of their own, logging
// to a file in their temp dir, awaited until ready, and never left behind the test process.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port free on 127.0.0.1 right now; a server started on it may still lose it to another, so callers retry. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Signals a child's whole process group (it was spawned detached), ignoring a group that has gone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

export type TServerProcess = { child: ChildProcess; exit: Promise<void>; onExit: () => void };

/** Waits for `exit` or `ms`, whichever comes first, leaving no timer behind. */
async function within(exit: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const exited = await Promise.race([exit.then(() => true), timedOut]);
  clearTimeout(timer);
  return exited;
}

/** Spawns the server and polls `ready` until it says yes; undefined (the server killed) if it exits or times out first. */
export async function spawnUntilReady(options: {
  command: string;
  args: string[];
  dir: string;
  logFile: string;
  /** Keep what earlier runs logged (a server started again) rather than start the log afresh. */
  appendLog?: boolean;
  ready: () => Promise<boolean>;
  readyTimeoutMs: number;
  pollMs?: number;
}): Promise<TServerProcess | undefined> {
  const logFd = openSync(options.logFile, options.appendLog ? "a" : "w");
  const child = spawn(options.command, options.args, { cwd: options.dir, detached: true, stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exit.then(() => (exited = true));
  child.once("error", () => (exited = true));
  // If the test process dies first, the server must not outlive it.
  const onExit = () => killGroup(child, "SIGKILL");
  process.once("exit", onExit);

  const deadline = Date.now() + options.readyTimeoutMs;
  while (!exited && Date.now() < deadline) {
    if (await options.ready()) return { child, exit, onExit };
    await sleep(options.pollMs ?? 100);
  }
  await endServer({ child, exit, onExit }, "SIGKILL");
  return undefined;
}

/** Ends the server with `signal`, then SIGKILL if it is still there after graceMs. */
export async function endServer({ child, exit, onExit }: TServerProcess, signal: NodeJS.Signals, graceMs = 10_000) {
  killGroup(child, signal);
  if (!(await within(exit, signal === "SIGKILL" ? 5000 : graceMs)) && signal !== "SIGKILL") {
    killGroup(child, "SIGKILL");
    await within(exit, 5000);
  }
  process.removeListener("exit", onExit);
}
