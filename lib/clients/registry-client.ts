// A small client of Meshdeck's registry API, the way a service in any language would use it: the
// demo fleet's instances and the gateway register and heartbeat through it.
import type { TRegistration } from "@/lib/registry/schemas";

export type { TRegistration };

// A registry that hangs must not hold a heartbeat loop forever.
const callTimeoutMs = 5000;

export class RegistryClient {
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor({ url, token }: { url: string; token: string }) {
    this.url = url.replace(/\/$/, "");
    this.headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  }

  /** Waits until the registry answers, for a fleet started alongside the app. */
  async waitUntilReady({ timeoutMs = 120_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ok = await fetch(`${this.url}/api/healthz`, { signal: AbortSignal.timeout(callTimeoutMs) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`Meshdeck did not answer at ${this.url} within ${timeoutMs / 1000} s`);
  }

  async register(registration: TRegistration) {
    const response = await fetch(`${this.url}/api/v1/registry/instances`, {
      method: "POST",
      headers: this.headers,
      body: JSON.stringify(registration),
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    if (!response.ok) throw new Error(`register ${registration.id}: ${response.status} ${await response.text()}`);
  }

  /** Heartbeats; re-registers when the registry no longer knows the instance (as Nacos clients do). */
  async heartbeat(registration: TRegistration) {
    try {
      const response = await fetch(`${this.url}/api/v1/registry/instances/${registration.id}/heartbeat`, {
        method: "PUT",
        headers: this.headers,
        signal: AbortSignal.timeout(callTimeoutMs),
      });
      if (response.status === 404) await this.register(registration);
    } catch {
      // The registry is restarting; the next beat tries again.
    }
  }

  async deregister(id: string) {
    await fetch(`${this.url}/api/v1/registry/instances/${id}`, { method: "DELETE", headers: this.headers, signal: AbortSignal.timeout(callTimeoutMs) });
  }
}
