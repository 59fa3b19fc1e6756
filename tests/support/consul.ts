// A Consul HTTP API on a real port for the Consul source's tests: its answers are HashiCorp's shapes (the
// consul-api-double's /v1/health/service fixture, rendered and then given this test's nodes, ports and checks),
// and it implements blocking queries as Consul does: X-Consul-Index per endpoint, `?index=&wait=` holds the request
// until that index moves or the wait runs out. Agent endpoints record what a write-through sent.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { renderDouble } from "./consul-double";

type TCheck = { CheckID: string; Name: string; Status: string; Output: string; Notes: string };
type TRegistration = {
  id: string;
  name: string;
  node: string;
  port: number;
  tags: string[];
  meta: Record<string, string>;
  weights: { Passing: number; Warning: number };
  checks: TCheck[];
};
export type TConsulRequest = { method: string; path: string; query: Record<string, string>; body: unknown; token: string | undefined };

export type TConsulDouble = Awaited<ReturnType<typeof startConsulDouble>>;

export async function startConsulDouble() {
  const registrations = new Map<string, TRegistration>();
  const nodeChecks = new Map<string, TCheck[]>();
  // Consul keeps an index per table: a check changing does not move /v1/catalog/services.
  const index = { services: 10, checks: 10 };
  const freshness = { knownLeader: true, lastContactMs: 0 };
  // A restore wakes every blocking query, whose index then goes backwards.
  let restores = 0;
  // The paths of the blocking queries being held now.
  const blocked: string[] = [];
  const requests: TConsulRequest[] = [];
  let waiters: (() => void)[] = [];
  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  const bump = (table: "services" | "checks") => {
    index[table] = Math.max(index.services, index.checks) + 1;
    wake();
  };

  const shapes = new Map<string, { Node: Record<string, unknown>; Service: Record<string, unknown> }>();
  const shapeOf = (name: string, seed: number) => {
    const key = `${name}#${seed}`;
    let shape = shapes.get(key);
    if (!shape) {
      [shape] = renderDouble("v1/health/service/_", `/v1/health/service/${name}`, { env: { CONSUL_NODE_COUNT: 1, CONSUL_CHECK_COUNT: 0 }, seed }) as [
        NonNullable<typeof shape>,
      ];
      shapes.set(key, shape);
    }
    return shape;
  };
  const entryOf = (registration: TRegistration, seed: number) => {
    // HashiCorp's entry for this service, with this test's node, address, port and checks in place of the random ones.
    const shape = shapeOf(registration.name, seed);
    const checkOf = (check: TCheck, service: boolean) => ({
      Node: registration.node,
      ...check,
      ServiceID: service ? registration.id : "",
      ServiceName: service ? registration.name : "",
      ServiceTags: service ? registration.tags : [],
      Type: "",
      Definition: {},
      CreateIndex: 10,
      ModifyIndex: index.checks,
    });
    return {
      Node: { ...shape.Node, Node: registration.node, Address: "127.0.0.1", TaggedAddresses: { lan: "127.0.0.1", wan: "127.0.0.1" } },
      Service: {
        ...shape.Service,
        ID: registration.id,
        Service: registration.name,
        Tags: registration.tags,
        Meta: registration.meta,
        Address: "",
        Port: registration.port,
        Weights: registration.weights,
        ModifyIndex: index.services,
      },
      Checks: [...(nodeChecks.get(registration.node) ?? []).map((check) => checkOf(check, false)), ...registration.checks.map((check) => checkOf(check, true))],
    };
  };
  const entries = (name?: string) =>
    [...registrations.values()].flatMap((registration, seed) => (name === undefined || registration.name === name ? [entryOf(registration, seed + 1)] : []));

  const answers: { pattern: RegExp; table: (match: RegExpMatchArray) => "services" | "checks" | "both"; body: (match: RegExpMatchArray) => unknown }[] = [
    {
      pattern: /^\/v1\/catalog\/services$/,
      table: () => "services",
      body: () => {
        const services: Record<string, string[]> = {};
        for (const registration of registrations.values())
          services[registration.name] = [...new Set([...(services[registration.name] ?? []), ...registration.tags])];
        return services;
      },
    },
    { pattern: /^\/v1\/health\/state\/any$/, table: () => "checks", body: () => entries().flatMap((entry) => entry.Checks) },
    {
      pattern: /^\/v1\/health\/service\/([^/]+)$/,
      table: () => "both",
      body: (match) => entries(decodeURIComponent(match[1]!)),
    },
  ];

  async function readBody(request: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? JSON.parse(text) : null;
  }

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(body === undefined ? "" : JSON.stringify(body));
  };

  const agent = async (request: IncomingMessage, response: ServerResponse, path: string, query: Record<string, string>, body: unknown) => {
    let match: RegExpMatchArray | null;
    if (path === "/v1/agent/service/register" && request.method === "PUT") {
      const definition = body as { ID: string; Name: string; Port: number; Tags?: string[]; Meta?: Record<string, string>; Weights?: TRegistration["weights"] };
      const registration = registrations.get(definition.ID);
      if (!registration || registration.name !== definition.Name) return send(response, 400, "unknown service");
      Object.assign(registration, {
        port: definition.Port,
        tags: definition.Tags ?? [],
        meta: definition.Meta ?? {},
        weights: definition.Weights ?? { Passing: 1, Warning: 1 },
      });
      bump("services");
      return send(response, 200, undefined);
    }
    if ((match = /^\/v1\/agent\/service\/maintenance\/([^/]+)$/.exec(path)) && request.method === "PUT") {
      const registration = registrations.get(decodeURIComponent(match[1]!));
      if (!registration) return send(response, 404, "unknown service");
      const id = `_service_maintenance:${registration.id}`;
      registration.checks = registration.checks.filter((check) => check.CheckID !== id);
      if (query.enable === "true")
        registration.checks.push({
          CheckID: id,
          Name: "Service Maintenance Mode",
          Status: "critical",
          Output: "",
          Notes: query.reason ?? "Maintenance mode is enabled for this service",
        });
      bump("checks");
      return send(response, 200, undefined);
    }
    if ((match = /^\/v1\/agent\/service\/([^/]+)$/.exec(path))) {
      const registration = registrations.get(decodeURIComponent(match[1]!));
      if (!registration) return send(response, 404, "unknown service");
      const { Service } = entryOf(registration, 1);
      return send(response, 200, { ...Service, Datacenter: "dc1", ContentHash: "4ecd29c7bc647ca8" });
    }
    if (path === "/v1/agent/checks") {
      const checks: Record<string, unknown> = {};
      for (const registration of registrations.values())
        for (const check of registration.checks) checks[check.CheckID] = { ...check, ServiceID: registration.id };
      return send(response, 200, checks);
    }
    send(response, 404, "no such endpoint");
  };

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://consul");
      const query = Object.fromEntries(url.searchParams);
      const body = request.method === "PUT" ? await readBody(request) : null;
      requests.push({ method: request.method ?? "GET", path: url.pathname, query, body, token: request.headers["x-consul-token"] as string | undefined });
      if (url.pathname.startsWith("/v1/agent/")) return agent(request, response, url.pathname, query, body);
      if (url.pathname === "/v1/status/leader") return send(response, 200, freshness.knownLeader ? "127.0.0.1:8300" : "");
      for (const answer of answers) {
        const match = url.pathname.match(answer.pattern);
        if (!match) continue;
        const table = answer.table(match);
        const current = () => (table === "both" ? Math.max(index.services, index.checks) : index[table]);
        const wanted = Number(query.index ?? 0);
        let blockedHere = false;
        const waitMs = Math.min(600_000, Number.parseInt(query.wait ?? "300", 10) * 1000);
        // Blocking: held while the index has not passed the one asked for, up to the wait.
        if (wanted > 0 && current() <= wanted) {
          const deadline = Date.now() + waitMs;
          const restored = restores;
          blocked.push(url.pathname);
          blockedHere = true;
          // A client that gives up is no longer held: the others re-check and wait on.
          request.once("close", wake);
          while (current() <= wanted && Date.now() < deadline && !request.destroyed && restores === restored) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, deadline - Date.now());
              waiters.push(() => {
                clearTimeout(timer);
                resolve();
              });
            });
          }
        }
        if (blockedHere) blocked.splice(blocked.indexOf(url.pathname), 1);
        if (request.destroyed) return;
        return send(response, 200, answer.body(match), {
          "x-consul-index": String(current()),
          "x-consul-knownleader": String(freshness.knownLeader),
          "x-consul-lastcontact": String(freshness.lastContactMs),
        });
      }
      send(response, 404, "no such endpoint");
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    requests,
    register(registration: Omit<TRegistration, "meta" | "weights" | "checks" | "tags"> & Partial<TRegistration>) {
      registrations.set(registration.id, { tags: [], meta: {}, weights: { Passing: 1, Warning: 1 }, checks: [], ...registration });
      bump("services");
      bump("checks");
    },
    deregister(id: string) {
      registrations.delete(id);
      bump("services");
      bump("checks");
    },
    setCheck(id: string, check: Partial<TCheck> & { CheckID: string }) {
      const registration = registrations.get(id)!;
      const others = registration.checks.filter((each) => each.CheckID !== check.CheckID);
      registration.checks = [...others, { Name: check.CheckID, Status: "passing", Output: "", Notes: "", ...check }];
      bump("checks");
    },
    /** A snapshot restored on the servers: every index goes back. */
    resetIndexes() {
      index.services = 2;
      index.checks = 2;
      restores += 1;
      wake();
    },
    /** The leader lost with no change to wake a query: only a request that is not held sees it. */
    setLeaderQuietly(knownLeader: boolean) {
      freshness.knownLeader = knownLeader;
    },
    setFreshness(next: Partial<typeof freshness>) {
      Object.assign(freshness, next);
      bump("checks");
    },
    registration: (id: string) => registrations.get(id),
    blocked: () => [...blocked],
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
