import { endpointRoute } from "@/lib/api/handler";
import { deregisterEndpoint } from "@/lib/registry/endpoints";

// DELETE /api/v1/registry/instances/:id - deregister an instance (lib/registry/endpoints.ts)
export const DELETE = endpointRoute(deregisterEndpoint);
