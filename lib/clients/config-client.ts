// A small client of the config center's API, as a service in any language would write one: read an item, then
// long-poll the watch and apply each new version. The demo fleet reads its behaviour through it.
export type TConfigUpdate = {
  namespace: string;
  group: string;
  key: string;
  format: string;
  version: number;
  content: string | null;
  gray: boolean;
  etag: string;
};

const retryMs = 1000;

export class ConfigClient {
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly stopped = new AbortController();

  constructor({ url, token }: { url: string; token: string }) {
    this.url = url.replace(/\/$/, "");
    this.headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  }

  /**
   * Follows the items: `onUpdate` runs with each one's current version (for this instance: gray releases reach it by id
   * or tag) and again on every change, within the watch's round trip of the publish.
   */
  follow({
    instance,
    tags = [],
    address,
    items,
    onUpdate,
    onError,
  }: {
    instance: string;
    tags?: string[];
    address?: string;
    items: { namespace: string; group: string; key: string }[];
    onUpdate: (update: TConfigUpdate) => void;
    onError?: (error: Error) => void;
  }) {
    const held = new Map(items.map((item) => [`${item.namespace}/${item.group}/${item.key}`, { version: 0, gray: false }]));
    void (async () => {
      let failing = false;
      while (!this.stopped.signal.aborted) {
        try {
          const body = {
            instance,
            tags,
            ...(address ? { address } : {}),
            items: items.map((item) => ({ ...item, ...held.get(`${item.namespace}/${item.group}/${item.key}`) })),
          };
          const signal = AbortSignal.any([this.stopped.signal, AbortSignal.timeout(45_000)]);
          const response = await fetch(`${this.url}/api/v1/config/watch`, { method: "POST", headers: this.headers, body: JSON.stringify(body), signal });
          if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
          const { changed } = (await response.json()) as { changed: TConfigUpdate[] };
          for (const update of changed) {
            held.set(`${update.namespace}/${update.group}/${update.key}`, { version: update.version, gray: update.gray });
            onUpdate(update);
          }
          failing = false;
        } catch (error) {
          if (this.stopped.signal.aborted) break;
          // Said once per run of failures: Meshdeck restarting should not flood the log.
          if (!failing) onError?.(error as Error);
          failing = true;
          await new Promise((resolve) => setTimeout(resolve, retryMs));
        }
      }
    })();
  }

  stop() {
    this.stopped.abort();
  }
}
