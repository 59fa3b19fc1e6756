// A real nginx (Debian's /usr/sbin/nginx) for tests: its own temp dir, main config, pid file and free port on
// 127.0.0.1, in the foreground in its own process group. Its http block includes every *.conf of `includeDir` (where
// Meshdeck writes upstreams) and routes /<service>/<path> to upstream <service>, as Meshdeck's gateway does.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endServer, freePort, spawnUntilReady, type TServerProcess } from "./server-process";

export type TNginx = { dir: string; includeDir: string; config: string; url: string; log(): string; stop(): Promise<void> };

export async function startNginx({
  extraHttp = [],
  binary = process.env.NGINX_BIN ?? "/usr/sbin/nginx",
}: { extraHttp?: string[]; binary?: string } = {}): Promise<TNginx> {
  const dir = mkdtempSync(join(tmpdir(), "meshdeck-nginx-"));
  const includeDir = join(dir, "upstreams");
  mkdirSync(includeDir);
  const port = await freePort();
  const config = join(dir, "nginx.conf");
  const temp = (name: string) => `  ${name}_temp_path ${join(dir, name)};`;
  writeFileSync(
    config,
    [
      "worker_processes 2;",
      `pid ${join(dir, "nginx.pid")};`,
      `error_log ${join(dir, "error.log")} notice;`,
      "events { worker_connections 1024; }",
      "http {",
      "  access_log off;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp),
      ...extraHttp.map((line) => `  ${line}`),
      `  include ${includeDir}/*.conf;`,
      "  server {",
      `    listen 127.0.0.1:${port};`,
      "    location ~ ^/(?<svc>[^/]+)(?<rest>/.*)?$ { proxy_pass http://$svc$rest$is_args$args; }",
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: TServerProcess | undefined = await spawnUntilReady({
    command: binary,
    args: ["-c", config, "-g", "daemon off;"],
    dir,
    logFile: join(dir, "stdout.log"),
    ready: () =>
      fetch(`${url}/`).then(
        () => true,
        () => false,
      ),
    readyTimeoutMs: 10_000,
  });
  if (!server) throw new Error(`nginx did not start:\n${readFileSync(join(dir, "error.log"), "utf8").slice(-2000)}`);
  return {
    dir,
    includeDir,
    config,
    url,
    log: () => readFileSync(join(dir, "error.log"), "utf8"),
    async stop() {
      await endServer(server, "SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
