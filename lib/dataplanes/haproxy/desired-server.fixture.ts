// For tests: a server as Meshdeck wants it, ready and up at full weight unless told otherwise.
import type { TDesiredServer } from "./plan";

export const desiredServer = (name: string, overrides: Partial<TDesiredServer> = {}): TDesiredServer => ({
  name,
  instanceId: name,
  address: "127.0.0.1",
  port: 9000,
  weight: 256,
  state: "ready",
  health: "up",
  ...overrides,
});
