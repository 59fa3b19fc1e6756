import { noop } from "cockatiel";
import { Etcd3 } from "etcd3";
import type { TSourceSettings } from "../types";

// A call that etcd does not answer in this long fails, so an unreachable source shows as stale within seconds.
const callTimeoutMs = 3000;

/** An etcd v3 client for a source: its endpoints, password auth and TLS as the administrator set them. */
export function createEtcdClient(settings: Pick<TSourceSettings, "endpoints" | "username" | "password" | "tls">): Etcd3 {
  const { tls } = settings;
  const scheme = tls ? "https" : "http";
  return new Etcd3({
    hosts: settings.endpoints.map((endpoint) => (endpoint.includes("://") ? endpoint : `${scheme}://${endpoint}`)),
    ...(settings.username ? { auth: { username: settings.username, password: settings.password ?? "" } } : {}),
    ...(tls?.ca
      ? {
          credentials: {
            rootCertificate: Buffer.from(tls.ca),
            ...(tls.key ? { privateKey: Buffer.from(tls.key) } : {}),
            ...(tls.cert ? { certChain: Buffer.from(tls.cert) } : {}),
          },
        }
      : {}),
    dialTimeout: callTimeoutMs,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: new Date(Date.now() + callTimeoutMs) }),
    // Our own loop retries with backoff; the client's circuit breaker would only delay seeing etcd come back.
    faultHandling: { host: () => noop, global: noop },
    grpcOptions: { "grpc.keepalive_time_ms": 10_000, "grpc.keepalive_timeout_ms": 3000 },
  });
}
