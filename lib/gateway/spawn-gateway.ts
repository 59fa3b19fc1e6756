import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { join } from "node:path";

/** What the gateway tells the process that started it, once it listens. */
export type TGatewayListening = { type: "gateway-listening"; url: string };

export function isGatewayListening(message: unknown): message is TGatewayListening {
  return typeof message === "object" && message !== null && (message as TGatewayListening).type === "gateway-listening";
}

/**
 * Runs gateway/index.ts in a process of its own with exactly `env`, tied to this one by an IPC channel (it stops when
 * this process goes). `listening` resolves with the gateway's URL, or undefined if it exits (a port taken) or stays
 * silent for timeoutMs first.
 */
export function spawnGateway({
  env,
  cwd = process.cwd(),
  output = "inherit",
  timeoutMs = 30_000,
}: {
  env: Record<string, string | undefined>;
  cwd?: string;
  output?: "inherit" | "ignore" | "pipe";
  timeoutMs?: number;
}) {
  const stdio: StdioOptions = ["ignore", output, output, "ipc"];
  // tsx as a loader in the one process, not its CLI: the CLI's extra process would outlive an app that dies.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(cwd, "gateway", "index.ts")], {
    cwd,
    env: { NODE_ENV: process.env.NODE_ENV, ...env },
    stdio,
  });
  const listening = new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    child.on("message", (message) => {
      if (!isGatewayListening(message)) return;
      clearTimeout(timer);
      resolve(message.url);
    });
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
  return { child, listening };
}
