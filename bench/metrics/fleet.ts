// Names of the benchmark's fleet, shared by the runner (which registers it) and the targets (which serve it).
export const perService = 10;

export const serviceName = (service: number) => `bench-svc-${String(service).padStart(3, "0")}`;
export const instanceId = (index: number) => `bench-${String(index).padStart(4, "0")}`;
export const serviceOf = (index: number) => Math.floor(index / perService);

/** Each service calls up to three others: the edges of the topology. */
export const calleesOf = (service: number, services: number) =>
  [...new Set([1, 7, 31].map((step) => (service + step) % services))].filter((s) => s !== service);
