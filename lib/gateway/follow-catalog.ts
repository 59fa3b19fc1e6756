import { ZDiscoveryCatalog, type TDiscoveryCatalog } from "@/lib/registry/schemas";

export type TFollowCatalogOptions = {
  /** Meshdeck's address and an API token that may read discovery. */
  url: string;
  token: string;
  /** Each answer: the whole catalog, newer than the last one (or the same, when a wait ran out). */
  onCatalog: (catalog: TDiscoveryCatalog) => void;
  /** A failed call; `retryMs` is how long until the next one. */
  onError: (error: Error, retryMs: number) => void;
  /** The first good answer after failures. */
  onRecovered?: () => void;
  waitS?: number;
  minRetryMs?: number;
  maxRetryMs?: number;
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * Follows the whole catalog through one blocking watch (`GET /api/v1/discovery?index=N&wait=30s`), so a change reaches
 * the caller as soon as Meshdeck commits it. When Meshdeck cannot be reached the caller keeps what it last got, and the
 * watch retries after 250 ms, doubling up to 10 s.
 */
export function followCatalog({ url, token, onCatalog, onError, onRecovered, waitS = 30, minRetryMs = 250, maxRetryMs = 10_000 }: TFollowCatalogOptions) {
  const stopped = new AbortController();
  const base = `${url.replace(/\/$/, "")}/api/v1/discovery`;
  const headers = { authorization: `Bearer ${token}` };

  const loop = async () => {
    // The first call does not block: the table is needed now, whatever index the catalog is at.
    let index: number | undefined;
    let retryMs = 0;
    while (!stopped.signal.aborted) {
      const startedAt = Date.now();
      try {
        const address = index === undefined ? base : `${base}?index=${index}&wait=${waitS}s`;
        const signal = AbortSignal.any([stopped.signal, AbortSignal.timeout((waitS + 10) * 1000)]);
        const response = await fetch(address, { headers, signal });
        if (!response.ok) throw new Error(`${address} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
        const catalog = ZDiscoveryCatalog.parse(await response.json());
        onCatalog(catalog);
        if (retryMs > 0) onRecovered?.();
        retryMs = 0;
        // The same index back at once is a server that does not block: a pause keeps it from becoming a hot loop.
        if (catalog.index === index && Date.now() - startedAt < (waitS * 1000) / 2) await sleep(1000, stopped.signal);
        // A full answer each time, so an index that went back (a new database) needs no catching up: it is taken as is.
        index = catalog.index;
      } catch (error) {
        if (stopped.signal.aborted) break;
        retryMs = Math.min(maxRetryMs, retryMs === 0 ? minRetryMs : retryMs * 2);
        onError(error as Error, retryMs);
        await sleep(retryMs, stopped.signal);
      }
    }
  };

  const done = loop();
  return {
    /** Resolves once the watch in flight is abandoned. */
    stop: async () => {
      stopped.abort();
      await done;
    },
  };
}
