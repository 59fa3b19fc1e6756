/** The most services and edges one topology answer holds: the fleet Meshdeck is designed for, and no more. */
export const topologyLimits = { services: 1000, edges: 3000 } as const;
