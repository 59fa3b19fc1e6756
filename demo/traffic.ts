import { Agent, request } from "node:http";
import { clientIdleMs, type TReach } from "./peer-client";

// The pages users open, by share of requests.
const mix = [
  { path: "/api/home", share: 0.4 },
  { path: "/api/products", share: 0.3 },
  { path: "/api/checkout", share: 0.2 },
  { path: "/api/orders", share: 0.1 },
];

// The load swells and ebbs by a quarter over this period, so rate charts have a shape to show.
const swellMs = 15 * 60_000;

function pickPath(): string {
  let left = Math.random();
  for (const { path, share } of mix) {
    left -= share;
    if (left < 0) return path;
  }
  return mix[0]?.path ?? "/";
}

/** Users of the shop: Poisson arrivals at about `rps` on frontend, reached as callers reach theirs (through the gateway when one runs). */
export function startTraffic({ reach, rps }: { reach: TReach; rps: number }) {
  const agent = new Agent({ keepAlive: true, timeout: clientIdleMs });
  const started = Date.now();
  // Arrivals are planned on the clock, not from when the last timer fired, so timer lag does not lower the rate.
  let nextAt = started;
  let timer: NodeJS.Timeout | undefined;

  const send = () => {
    const target = reach("frontend", pickPath());
    if (target) {
      const outgoing = request({ ...target, agent }, (response) => response.resume());
      outgoing.setTimeout(2000, () => outgoing.destroy());
      // The frontend's own metrics record how it went; a user's browser keeps nothing.
      outgoing.on("error", () => {});
      outgoing.end();
    }
    schedule();
  };
  const schedule = () => {
    const rate = rps * (1 + 0.25 * Math.sin((2 * Math.PI * (nextAt - started)) / swellMs));
    // After a long stall (a suspended laptop), at most a second is made up, not a burst of everything missed.
    nextAt = Math.max(nextAt, Date.now() - 1000) + (-Math.log(1 - Math.random()) * 1000) / rate;
    timer = setTimeout(send, Math.max(0, nextAt - Date.now()));
  };
  schedule();

  return {
    stop: () => {
      clearTimeout(timer);
      agent.destroy();
    },
  };
}
