import { endpointRoute } from "@/lib/api/handler";
import { discoverCatalogEndpoint } from "@/lib/registry/endpoints";

// GET /api/v1/discovery?index=N&wait=30s - every service's traffic set and policy, one watch for a fleet (lib/registry/endpoints.ts)
export const GET = endpointRoute(discoverCatalogEndpoint);
