// nginx `upstream` blocks from the catalog: pure, so the same catalog always renders the same text.
import { parseHost } from "@/lib/net/ip-address";
import type { TCatalogInstance } from "../haproxy/plan";

const trafficHealths = new Set(["passing", "warning"]);

/** An instance as an nginx `server` line: its weight as is (nginx takes any positive integer); drained, critical or weight 0 is `down`. */
function serverLine(instance: TCatalogInstance): string {
  const host = parseHost(instance.host);
  const address = host?.kind === "ip" && host.ip.family === 6 ? `[${instance.host}]` : instance.host;
  const up = instance.enabled && instance.weight > 0 && trafficHealths.has(instance.health);
  return `    server ${address}:${instance.port}${up ? ` weight=${instance.weight}` : " down"}; # ${instance.instanceId}`;
}

// Names that reach nginx's configuration must not open a block or end a statement.
const safeHost = /^[A-Za-z0-9.:_-]+$/;
const safeId = /^[^\n\r]*$/;

/**
 * One `upstream` per service. nginx refuses an upstream with no server, so a service with no instance gets one
 * `down` placeholder (requests to it fail at once, as with no instance). Instances whose host or id would not read
 * back as one server line are left out.
 */
export function renderUpstreams(upstreams: readonly { upstream: string; instances: readonly TCatalogInstance[] }[]): string {
  const blocks = upstreams.map(({ upstream, instances }) => {
    const lines = instances.filter((instance) => safeHost.test(instance.host) && safeId.test(instance.instanceId)).map(serverLine);
    if (lines.length === 0) lines.push("    server 127.0.0.1:9 down; # no instance");
    return [`upstream ${upstream} {`, ...lines, "}"].join("\n");
  });
  return ["# Written by Meshdeck from its catalog: edits here are replaced.", ...blocks, ""].join("\n");
}
