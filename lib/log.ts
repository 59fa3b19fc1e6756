import { getEnv } from "@/lib/env";

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type TLevel = keyof typeof levels;

// One line per event, timestamped, so the app, collector and demo fleet read the same in a terminal.
function write(level: TLevel, message: string, detail?: unknown) {
  if (levels[level] < levels[getEnv().MESHDECK_LOG_LEVEL]) return;
  const suffix = detail === undefined ? "" : ` ${detail instanceof Error ? (detail.stack ?? detail.message) : JSON.stringify(detail)}`;
  const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message}${suffix}`;
  (level === "error" || level === "warn" ? console.error : console.log)(line);
}

export const log = {
  debug: (message: string, detail?: unknown) => write("debug", message, detail),
  info: (message: string, detail?: unknown) => write("info", message, detail),
  warn: (message: string, detail?: unknown) => write("warn", message, detail),
  error: (message: string, detail?: unknown) => write("error", message, detail),
};
