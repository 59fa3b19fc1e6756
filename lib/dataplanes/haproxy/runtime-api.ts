import "server-only";
import { connect, type Socket } from "node:net";
import { connectTarget } from "@/lib/net/policy-lookup";
import { parseRuntimeAddress } from "./runtime-address";

// Answers past this are cut short: `show stat` of 10,000 servers is a few MB.
const maxAnswerBytes = 64 * 1024 * 1024;
// The prompt HAProxy prints after each answer in interactive mode.
const prompt = "\n> ";

export class RuntimeApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuntimeApiError";
  }
}

function open(address: string): Socket {
  const parsed = parseRuntimeAddress(address);
  if (!parsed) throw new RuntimeApiError(`'${address}' is not a unix socket path or ipv4@host:port`);
  if (parsed.kind === "unix") return connect({ path: parsed.path });
  // The address policy decides here too: a name is checked as it resolves.
  return connect({ ...connectTarget(parsed.host), port: parsed.port, family: 4 });
}

/**
 * Runs commands on one connection in HAProxy's prompt mode, sent all at once and answered in order: thousands of
 * server changes cost one connection and one round trip. Returns each command's answer (without the prompt).
 * Commands must be single lines: callers build them from validated names only.
 */
export function runCommands({ address, commands, timeoutMs = 3000 }: { address: string; commands: string[]; timeoutMs?: number }): Promise<string[]> {
  for (const command of commands) if (/[\n\r]/.test(command)) throw new RuntimeApiError("a command spans lines");
  return new Promise((resolve, reject) => {
    let socket: Socket;
    try {
      socket = open(address);
    } catch (error) {
      reject(error instanceof Error ? error : new RuntimeApiError(String(error)));
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      const parts = Buffer.concat(chunks).toString("utf8").split(prompt);
      // The first part is what came before the first prompt (nothing); each answer ends at the next prompt.
      if (parts.length - 1 < commands.length) {
        return reject(new RuntimeApiError(`HAProxy at ${address} answered ${parts.length - 1} of ${commands.length} commands before closing`));
      }
      resolve(parts.slice(1, commands.length + 1));
    };
    // A slow answer to a long batch is allowed a millisecond a command past the base.
    const timer = setTimeout(
      () => finish(new RuntimeApiError(`HAProxy at ${address} did not answer within ${timeoutMs + commands.length} ms`)),
      timeoutMs + commands.length,
    );
    socket.on("connect", () => socket.write(["prompt", ...commands, "quit", ""].join("\n")));
    socket.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxAnswerBytes) return finish(new RuntimeApiError(`HAProxy at ${address} answered more than ${maxAnswerBytes} bytes`));
      chunks.push(chunk);
    });
    socket.on("error", (error) => finish(new RuntimeApiError(`HAProxy at ${address}: ${error.message}`)));
    socket.on("close", () => finish());
  });
}
