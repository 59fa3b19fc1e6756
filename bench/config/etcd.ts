// Debian's etcd 3.4 (etcd-server) on 127.0.0.1, data in the run directory, in its own process group.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../shared/process";

export const etcdBin = "/usr/bin/etcd";

/** Installs etcd-server from Debian when it is missing (the service is not started: the benchmark starts its own). */
export function ensureEtcd(log: (message: string) => void): string {
  if (!existsSync(etcdBin)) {
    log("installing etcd-server from Debian");
    const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
    // As scripts/test.sh does: a policy-rc.d answering 101 keeps the package from starting its own etcd.
    const script = `guard=""; if [ ! -e /usr/sbin/policy-rc.d ]; then guard=/usr/sbin/policy-rc.d; printf '#!/bin/sh\\nexit 101\\n' > $guard; chmod 755 $guard; fi
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server; status=$?; [ -z "$guard" ] || rm -f "$guard"; exit $status`;
    const result = spawnSync(sudo.length ? "sudo" : "bash", [...(sudo.length ? ["bash"] : []), "-c", script], { stdio: "inherit" });
    if (result.status !== 0 || !existsSync(etcdBin)) throw new Error("could not install etcd-server; install it with apt-get and run again");
  }
  return /etcd Version: (\S+)/.exec(spawnSync(etcdBin, ["--version"], { encoding: "utf8" }).stdout)?.[1] ?? "unknown";
}

export async function startEtcd({ dir, clientPort, peerPort }: { dir: string; clientPort: number; peerPort: number }) {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const out = openSync(join(dir, "etcd.log"), "a");
  const child = spawn(
    etcdBin,
    [
      "--name",
      "bench",
      "--data-dir",
      join(dir, "etcd-data"),
      "--listen-client-urls",
      client,
      "--advertise-client-urls",
      client,
      "--listen-peer-urls",
      peer,
      "--initial-advertise-peer-urls",
      peer,
      "--initial-cluster",
      `bench=${peer}`,
      "--log-level",
      "warn",
    ],
    { detached: true, stdio: ["ignore", out, out] },
  );
  await waitFor(
    `etcd at ${client}/health`,
    30_000,
    async () => {
      if (child.exitCode !== null) throw new Error(`etcd exited with ${child.exitCode}; see ${join(dir, "etcd.log")}`);
      const response = await fetch(`${client}/health`);
      return response.ok ? true : null;
    },
    250,
  );
  return { child, endpoint: client };
}
