import "server-only";
import { execFile } from "node:child_process";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { waitForChange } from "@/lib/catalog/catalog-index";
import { encodeDrivenBackends } from "@/lib/db/codecs";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { getCatalogSnapshot } from "../catalog-snapshot";
import { haproxyNamePattern } from "../haproxy/plan";
import { PlaneDriver, sleep } from "../plane-status";
import type { TBackendMap } from "../types";
import { renderUpstreams } from "./render-upstreams";

const run = promisify(execFile);

export type TNginxPlane = { id: string; name: string; address: string; backends: TBackendMap };

// nginx is reloaded at most this often: a burst of catalog changes is one reload.
const reloadEveryMs = 1000;

/**
 * Drives one nginx from the catalog: renders an `upstream` per service into a file nginx includes, tests the whole
 * configuration with `nginx -t`, and reloads gracefully (`nginx -s reload`: old workers finish their requests), at
 * most once a second. A rendering nginx refuses is taken back, the last good file kept and an audit event recorded;
 * a file changed by hand is written again (drift). The upstream of a service is named as the service, or mapped.
 */
export class NginxDriver extends PlaneDriver {
  /** The text last reloaded into nginx, and the last one it refused (recorded once, not every round). */
  private applied: string | null = null;
  private refused: string | null = null;
  private reloadedAt = 0;

  constructor(private readonly plane: TNginxPlane) {
    super(plane);
  }

  private get file() {
    return join(getEnv().MESHDECK_NGINX_DIR ?? "/nonexistent", this.plane.address);
  }

  protected async loop() {
    const repairMs = getEnv().MESHDECK_DATAPLANE_REPAIR;
    while (!this.stopped.signal.aborted) {
      let index: number | undefined;
      try {
        index = await this.applyOnce();
      } catch (error) {
        if (this.stopped.signal.aborted) break;
        await this.status.set({ connected: false, note: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
      }
      if (index === undefined) await sleep(repairMs, this.stopped.signal);
      else await waitForChange({ index, waitMs: repairMs, signal: this.stopped.signal }).catch(() => sleep(reloadEveryMs, this.stopped.signal));
      // Changes that come meanwhile wait for the next reload slot, and go together.
      await sleep(this.reloadedAt + reloadEveryMs - Date.now(), this.stopped.signal);
    }
  }

  /** Renders the catalog; when the file differs, writes, tests and reloads. The catalog index rendered. */
  async applyOnce(): Promise<number> {
    const env = getEnv();
    const snapshot = await getCatalogSnapshot();
    const mapped =
      this.plane.backends === null
        ? [...snapshot.services.keys()].sort().map((service) => ({ service, upstream: service }))
        : Object.entries(this.plane.backends).map(([service, upstream]) => ({ service, upstream }));
    const upstreams = mapped
      .filter(({ upstream }) => haproxyNamePattern.test(upstream) && !upstream.includes(":"))
      .map(({ service, upstream }) => ({ service, upstream, instances: snapshot.services.get(service) ?? [] }));
    const text = renderUpstreams(upstreams);
    const driven = encodeDrivenBackends(upstreams.map(({ service, upstream }) => [service, upstream]));
    const current = await readFile(this.file, "utf8").catch(() => null);
    if (current === text && this.applied === text) {
      await this.status.set({ connected: true, note: null, driven });
      return snapshot.index;
    }
    if (text === this.refused && current === this.applied) return snapshot.index;
    const drift = this.applied !== null && current !== this.applied && this.applied === text;
    // Written beside it and renamed: nginx never reads half a file.
    await writeFile(`${this.file}.tmp`, text);
    await rename(`${this.file}.tmp`, this.file);
    const tested = await run(env.MESHDECK_NGINX_BIN, ["-t", "-q", "-c", env.MESHDECK_NGINX_CONF], { timeout: 10_000 }).then(
      () => null,
      (error: { stderr?: string; message: string }) => (error.stderr || error.message).trim(),
    );
    if (tested !== null) {
      // The last good file goes back, so nginx (and its next reload by anyone) keeps routing as before.
      if (current === null) await rm(this.file, { force: true });
      else await writeFile(this.file, current);
      if (this.refused !== text) {
        this.refused = text;
        log.warn(`data plane ${this.plane.name}: nginx -t refused the rendered upstreams; the last good file is kept: ${tested}`);
        await this.status.audit({
          action: "dataplane.rejected",
          after: { file: this.file, error: tested.slice(0, 1000) },
          reason: "nginx -t refused the upstreams rendered from the catalog; the last good file is kept",
        });
      }
      await this.status.set({ connected: true, note: `nginx -t refused the last rendering; the last good file is kept: ${tested}`, driven });
      return snapshot.index;
    }
    await run(env.MESHDECK_NGINX_BIN, ["-s", "reload", "-c", env.MESHDECK_NGINX_CONF], { timeout: 10_000 });
    this.reloadedAt = Date.now();
    if (drift) {
      await this.status.audit({
        action: "dataplane.drift",
        after: { file: this.file },
        reason: "the upstreams file differed from the catalog (changed by hand); written again and nginx reloaded",
      });
    }
    this.applied = text;
    this.refused = null;
    await this.status.set({ connected: true, note: null, driven });
    return snapshot.index;
  }
}
