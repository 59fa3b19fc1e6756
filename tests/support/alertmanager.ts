// A real Alertmanager (Debian's /usr/bin/prometheus-alertmanager) for tests: its own temp dir and free port on
// 127.0.0.1, no cluster, its own process group, stopped and removed with it. Started without a shell.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endServer, freePort, spawnUntilReady } from "./server-process";

export type TAlertmanagerAlert = {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
};

export async function startAlertmanager({ binary = "/usr/bin/prometheus-alertmanager" }: { binary?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "meshdeck-alertmanager-"));
  // Every alert goes to a receiver that sends nowhere: the test reads them through the API.
  writeFileSync(join(dir, "alertmanager.yml"), JSON.stringify({ route: { receiver: "nowhere", group_wait: "1s" }, receivers: [{ name: "nowhere" }] }));
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const server = await spawnUntilReady({
      command: binary,
      args: [
        `--config.file=${join(dir, "alertmanager.yml")}`,
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ],
      dir,
      logFile: join(dir, "alertmanager.log"),
      ready: () =>
        fetch(`${baseUrl}/-/ready`, { signal: AbortSignal.timeout(1000) }).then(
          (response) => response.ok,
          () => false,
        ),
      readyTimeoutMs: 20_000,
    });
    if (!server) continue;
    return {
      baseUrl,
      /** The alerts Alertmanager holds and has not seen end (GET /api/v2/alerts). */
      alerts: async () => (await (await fetch(`${baseUrl}/api/v2/alerts`)).json()) as TAlertmanagerAlert[],
      /** Adds a silence on `service` for an hour (POST /api/v2/silences). */
      silence: (service: string, { createdBy, comment }: { createdBy: string; comment: string }) =>
        fetch(`${baseUrl}/api/v2/silences`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            matchers: [{ name: "service", value: service, isRegex: false, isEqual: true }],
            startsAt: new Date().toISOString(),
            endsAt: new Date(Date.now() + 3_600_000).toISOString(),
            createdBy,
            comment,
          }),
        }),
      log: () => readFileSync(join(dir, "alertmanager.log"), "utf8"),
      stop: async () => {
        await endServer(server, "SIGTERM");
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`Alertmanager did not start (${binary})`);
}
