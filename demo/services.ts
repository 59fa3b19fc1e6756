// What each demo service does when it serves a request: its routes, the calls each route makes
// downstream (in order), its own processing time and its background error rate. The declared
// dependencies are read from here too, so the declared graph and the observed one agree.

export type TDemoService = "frontend" | "orders" | "payments" | "inventory" | "users";
export type TMethod = "GET" | "POST";
export type TCall = { service: TDemoService; method: TMethod; path: string };
export type TRoute = { method: TMethod; path: string; calls: TCall[] };

export type TBehaviour = {
  /** Own processing time: log-normal around medianMs, plus up to tailMs on about 2% of requests. */
  medianMs: number;
  tailMs: number;
  /** Share of requests answered 500 out of plain bad luck. */
  errorRate: number;
  routes: TRoute[];
};

const profile: TCall = { service: "users", method: "GET", path: "/users/profile" };

export const behaviours: Record<TDemoService, TBehaviour> = {
  frontend: {
    medianMs: 3,
    tailMs: 40,
    errorRate: 0.001,
    routes: [
      { method: "GET", path: "/api/home", calls: [profile] },
      { method: "GET", path: "/api/products", calls: [{ service: "inventory", method: "GET", path: "/stock" }] },
      { method: "GET", path: "/api/checkout", calls: [profile, { service: "orders", method: "POST", path: "/orders" }] },
      { method: "GET", path: "/api/orders", calls: [{ service: "orders", method: "GET", path: "/orders" }] },
    ],
  },
  orders: {
    medianMs: 6,
    tailMs: 60,
    errorRate: 0.002,
    routes: [
      {
        method: "POST",
        path: "/orders",
        calls: [
          { service: "inventory", method: "POST", path: "/stock/reserve" },
          { service: "payments", method: "POST", path: "/charges" },
        ],
      },
      { method: "GET", path: "/orders", calls: [] },
    ],
  },
  payments: { medianMs: 12, tailMs: 150, errorRate: 0.01, routes: [{ method: "POST", path: "/charges", calls: [profile] }] },
  inventory: {
    medianMs: 4,
    tailMs: 50,
    errorRate: 0.003,
    routes: [
      { method: "GET", path: "/stock", calls: [] },
      { method: "POST", path: "/stock/reserve", calls: [] },
    ],
  },
  users: { medianMs: 2, tailMs: 25, errorRate: 0.001, routes: [{ method: "GET", path: "/users/profile", calls: [] }] },
};

/** The services a service calls, for the `dependencies` metadata Meshdeck reads as declared edges. */
export function listDependencies(service: TDemoService): TDemoService[] {
  return [...new Set(behaviours[service].routes.flatMap((route) => route.calls.map((call) => call.service)))];
}

// Box-Muller: a standard normal sample.
function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

/** One request's own processing time, in ms: a log-normal body and a rare tail (a GC pause, a cold cache). */
export function sampleWorkMs({ medianMs, tailMs }: TBehaviour): number {
  const body = medianMs * Math.exp(0.4 * gaussian());
  return Math.random() < 0.02 ? body + Math.random() * tailMs : body;
}
