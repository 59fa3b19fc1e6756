import { endpointRoute } from "@/lib/api/handler";
import { registerEndpoint } from "@/lib/registry/endpoints";

// POST /api/v1/registry/instances - register (or re-register) an instance of the built-in registry (lib/registry/endpoints.ts)
export const POST = endpointRoute(registerEndpoint);
