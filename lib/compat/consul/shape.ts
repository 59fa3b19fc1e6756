// Meshdeck instances in the shapes Consul's HTTP API answers. Pure: rows in, Consul's JSON objects out.

/** What the shapes read of an instance (overrides already applied to weight and enabled). */
export type TConsulInstance = {
  service: string;
  instanceId: string;
  host: string;
  port: number;
  weight: number;
  enabled: boolean;
  tags: string[];
  metadata: Record<string, string>;
  health: string;
  healthOutput: string;
  checkKind: string;
  checkIntervalMs: number;
  checkTimeoutMs: number;
  checkTtlMs: number;
  modifyIndex: number;
};

/** Meshdeck plays one Consul agent: one node, one datacenter. */
export type TConsulNode = { name: string; address: string; datacenter: string };

// Consul's health for Meshdeck's: an instance not yet checked is critical, as a new Consul check is.
export function consulStatus(health: string): "passing" | "warning" | "critical" {
  return health === "passing" || health === "warning" ? health : "critical";
}

const goDuration = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

export function agentService(instance: TConsulInstance, node: TConsulNode) {
  return {
    ID: instance.instanceId,
    Service: instance.service,
    Tags: instance.tags,
    Meta: instance.metadata,
    Port: instance.port,
    Address: instance.host,
    // Weights.Passing is the weight; a warning instance keeps its weight in Meshdeck, so Warning is shown as 1, unused.
    Weights: { Passing: instance.weight, Warning: 1 },
    EnableTagOverride: false,
    Datacenter: node.datacenter,
  };
}

/** The instance's checks as Consul lists them: its one check, and the maintenance check while it is drained. */
export function instanceChecks(instance: TConsulInstance, node: TConsulNode, drainReason?: string) {
  const common = { Node: node.name, ServiceID: instance.instanceId, ServiceName: instance.service, ServiceTags: instance.tags };
  const index = { CreateIndex: instance.modifyIndex, ModifyIndex: instance.modifyIndex };
  const active = instance.checkKind !== "ttl" && instance.checkKind !== "source";
  const checks = [
    {
      ...common,
      CheckID: `service:${instance.instanceId}`,
      Name: `Service '${instance.service}' check`,
      Status: consulStatus(instance.health),
      Notes: "",
      Output: instance.healthOutput,
      Type: instance.checkKind === "source" ? "" : instance.checkKind,
      Interval: active ? goDuration(instance.checkIntervalMs) : "",
      Timeout: active ? goDuration(instance.checkTimeoutMs) : instance.checkKind === "ttl" ? goDuration(instance.checkTtlMs) : "",
      ...index,
    },
  ];
  if (!instance.enabled) {
    checks.push({
      ...common,
      CheckID: `_service_maintenance:${instance.instanceId}`,
      Name: "Service Maintenance Mode",
      Status: "critical",
      Notes: drainReason ?? "drained in Meshdeck (enabled=false)",
      Output: "",
      Type: "maintenance",
      Interval: "",
      Timeout: "",
      ...index,
    });
  }
  return checks;
}

/** Consul's `?passing`: every check passing; in Meshdeck also enabled with a weight above 0 (taking traffic). */
export function isPassing(instance: TConsulInstance): boolean {
  return consulStatus(instance.health) === "passing" && instance.enabled && instance.weight > 0;
}

// The node's fields, which catalog entries carry beside the service's.
function nodeFields(node: TConsulNode) {
  return { ID: "", Node: node.name, Address: node.address, Datacenter: node.datacenter, TaggedAddresses: { lan: node.address, wan: node.address } };
}

/** One entry of GET /v1/health/service/:name. */
export function healthEntry(instance: TConsulInstance, node: TConsulNode) {
  return {
    Node: { ...nodeFields(node), Meta: {}, CreateIndex: instance.modifyIndex, ModifyIndex: instance.modifyIndex },
    Service: { ...agentService(instance, node), CreateIndex: instance.modifyIndex, ModifyIndex: instance.modifyIndex },
    Checks: instanceChecks(instance, node),
  };
}

/** One entry of GET /v1/catalog/service/:name. */
export function catalogEntry(instance: TConsulInstance, node: TConsulNode) {
  const service = agentService(instance, node);
  return {
    ...nodeFields(node),
    NodeMeta: {},
    ServiceKind: "",
    ServiceID: service.ID,
    ServiceName: service.Service,
    ServiceTags: service.Tags,
    ServiceAddress: service.Address,
    ServiceWeights: service.Weights,
    ServiceMeta: service.Meta,
    ServicePort: service.Port,
    ServiceEnableTagOverride: false,
    CreateIndex: instance.modifyIndex,
    ModifyIndex: instance.modifyIndex,
  };
}
