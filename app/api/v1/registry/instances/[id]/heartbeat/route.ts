import { endpointRoute } from "@/lib/api/handler";
import { heartbeatEndpoint } from "@/lib/registry/endpoints";

// PUT /api/v1/registry/instances/:id/heartbeat - a TTL instance says it is alive (lib/registry/endpoints.ts)
export const PUT = endpointRoute(heartbeatEndpoint);
