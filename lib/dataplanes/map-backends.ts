// Which proxy backend each service drives: the naming rule (backend `<service>`) or an administrator's explicit map.
import type { TBackendMap } from "./types";

export type TBackendMapping = { service: string; backend: string };

/**
 * The services driven and their backends, and the backends an explicit map names that the proxy lacks. Under the
 * naming rule only services with a backend of their name are driven: a proxy need not route every service.
 */
export function mapBackends({ backends, proxyBackends, services }: { backends: TBackendMap; proxyBackends: readonly string[]; services: Iterable<string> }): {
  mapped: TBackendMapping[];
  missing: string[];
} {
  const present = new Set(proxyBackends);
  if (backends === null) {
    const mapped = [...services].filter((service) => present.has(service)).map((service) => ({ service, backend: service }));
    return { mapped: mapped.sort((a, b) => a.backend.localeCompare(b.backend)), missing: [] };
  }
  const mapped: TBackendMapping[] = [];
  const missing: string[] = [];
  for (const [service, backend] of Object.entries(backends).sort(([, a], [, b]) => a.localeCompare(b))) {
    if (present.has(backend)) mapped.push({ service, backend });
    else missing.push(backend);
  }
  return { mapped, missing };
}
