// Follows services through Meshdeck's discovery API with blocking queries (`?index=N&wait=30s`),
// so a failover, a drain or a weight change reaches callers as soon as the registry knows it.

export type TEndpoint = { id: string; host: string; port: number; weight: number };
type TDiscoveryAnswer = { service: string; index: number; instances: TEndpoint[] };

const retryMs = 1000;
const waitS = 30;

export class Discovery {
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly endpoints = new Map<string, TEndpoint[]>();
  private readonly stopped = new AbortController();

  constructor({ url, token }: { url: string; token: string }) {
    this.url = url.replace(/\/$/, "");
    this.headers = { authorization: `Bearer ${token}` };
  }

  /** Starts following the services; resolves once each has answered (or failed) once. */
  async follow(services: string[]) {
    await Promise.all(services.map((service) => new Promise<void>((resolve) => void this.watch(service, resolve))));
  }

  /** Waits until every service has an instance able to take traffic, or timeoutMs runs out. */
  async waitForEndpoints(services: string[], { timeoutMs = 20_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && services.some((service) => !this.endpoints.get(service)?.length)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** One instance of the service, picked at random in proportion to its weight; none when none takes traffic. */
  pick(service: string): TEndpoint | undefined {
    const endpoints = this.endpoints.get(service) ?? [];
    let left = Math.random() * endpoints.reduce((sum, endpoint) => sum + endpoint.weight, 0);
    for (const endpoint of endpoints) {
      left -= endpoint.weight;
      if (left < 0) return endpoint;
    }
    return endpoints.at(-1);
  }

  stop() {
    this.stopped.abort();
  }

  private async watch(service: string, answered: () => void) {
    let index = 0;
    let failing = false;
    while (!this.stopped.signal.aborted) {
      try {
        const address = `${this.url}/api/v1/discovery/${encodeURIComponent(service)}?index=${index}&wait=${waitS}s`;
        const signal = AbortSignal.any([this.stopped.signal, AbortSignal.timeout((waitS + 10) * 1000)]);
        const response = await fetch(address, { headers: this.headers, signal });
        if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
        const answer = (await response.json()) as TDiscoveryAnswer;
        this.endpoints.set(
          service,
          answer.instances.filter((endpoint) => endpoint.weight > 0),
        );
        // An index that went back means a new registry: start over, as Consul's clients do.
        const next = answer.index < index ? 0 : answer.index;
        // The same index back means the wait ran out; a short pause keeps a misbehaving server from a hot loop.
        if (next === index) await new Promise((resolve) => setTimeout(resolve, retryMs));
        index = next;
        failing = false;
      } catch (error) {
        if (this.stopped.signal.aborted) break;
        // Said once per run of failures: the registry restarting should not flood the log.
        if (!failing) console.error(`demo fleet: discovery of ${service} failed, retrying every second: ${(error as Error).message}`);
        failing = true;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
      answered();
    }
  }
}
