import { endpointRoute } from "@/lib/api/handler";
import { discoverServiceEndpoint } from "@/lib/registry/endpoints";

// GET /api/v1/discovery/:name?index=N&wait=30s - a service's instances able to take traffic, and its policy (lib/registry/endpoints.ts)
export const GET = endpointRoute(discoverServiceEndpoint);
