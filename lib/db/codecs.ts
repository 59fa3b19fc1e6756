// Columns the schema stores as text (enums as String, lists and objects as JSON), decoded once here: the rest
// of the code reads THealth, TRole, string[]... and writes through the encoders below, never JSON text.
// A stored value that does not decode (an old or bad row, a newer version's value) reads as its codec's
// fallback: a read never throws. Pure, so browser-side modules (rollup rows) may use the encoders too.
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { ZGrants } from "@/lib/auth/grants";
import type { TGrant } from "@/lib/auth/permissions";
import { ZRole } from "@/lib/auth/roles";
import { ZBalancingPolicy } from "@/lib/balancing/policies";
import { ZConfigFormat } from "@/lib/config/schemas";
import { alertKinds, alertSeverities, alertStates } from "@/lib/alerts/rule-schema";
import { failoverKinds, webhookKinds, type TFailoverKind, type TWebhookKind } from "@/lib/health/event-filters";
import { healthStates, ZHealth } from "@/lib/health/health";
import { ZTakeover, type TTakeover } from "@/lib/health/takeover";
import { incidentCauses, type TIncidentEnding } from "@/lib/incidents/group-events";
import type { TBuckets } from "@/lib/metrics/types";
import { dataPlaneKinds, healthModes, type TBackendMap } from "@/lib/dataplanes/types";
import { conventionsByKind, sourceKinds, type TConvention, type TSourceKind, type TSkip, type TSourceTls, type TSourceOverride } from "@/lib/sources/types";

const invalid: unique symbol = Symbol("invalid");
type TDecode<T> = (value: unknown) => T | typeof invalid;

function parsedOr<T>(text: string, decode: TDecode<T>, fallback: () => T): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fallback();
  }
  const decoded = decode(value);
  return decoded === invalid ? fallback() : decoded;
}

function fromSchema<T>(schema: z.ZodType<T>): TDecode<T> {
  return (value) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : invalid;
  };
}

const asAnyValue: TDecode<unknown> = (value) => value;
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");
const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === "string");

// --- enums ---

// User.role: an unknown role reads as viewer, the least it could be (it used to fail the session read).
const ZStoredRole = ZRole.catch("viewer");
export const decodeRole = (text: string) => ZStoredRole.parse(text);

// ApiToken.permissions: a grant list that no longer decodes (a permission since removed) grants nothing.
const asGrants = fromSchema(ZGrants);
export const decodeGrants = (text: string): TGrant[] => parsedOr(text, asGrants, () => []);
export const encodeGrants = (grants: readonly TGrant[]) => JSON.stringify(grants);

// Instance.health: an unknown state reads as unknown, which takes no traffic.
const ZStoredHealth = ZHealth.catch("unknown");
export const decodeHealth = (text: string) => ZStoredHealth.parse(text);

// HealthEvent.from/to: a health state, flapping (set-instance-flapping) or deregistered; anything else reads as unknown.
const ZHealthEventState = z.enum([...healthStates, "flapping", "deregistered"]).catch("unknown");
export type THealthEventState = z.infer<typeof ZHealthEventState>;
export const decodeHealthEventState = (text: string): THealthEventState => ZHealthEventState.parse(text);

// Service.policy: a policy the balancers do not know (written by a newer version) reads as the default.
const ZStoredPolicy = ZBalancingPolicy.catch("weighted-round-robin");
export const decodePolicy = (text: string) => ZStoredPolicy.parse(text);

// Instance.checkKind: ttl, http and tcp as registered, source for an instance of etcd or ZooKeeper; an unknown
// kind reads as http (it was shown as an active check before, and the collector selects by the stored text).
const checkKinds = ["ttl", "http", "tcp", "grpc", "script", "source"] as const;
export type TCheckKind = (typeof checkKinds)[number];
const ZCheckKind = z.enum(checkKinds).catch("http");
export const decodeCheckKind = (text: string): TCheckKind => ZCheckKind.parse(text);

// ConfigItem.format and ConfigVersion.format: an unknown format reads as text, shown and served as it is.
const ZStoredFormat = ZConfigFormat.catch("text");
export const decodeConfigFormat = (text: string) => ZStoredFormat.parse(text);

// FailoverEvent.kind: an unknown kind reads as failover, the generic "traffic moved" story.
export type { TFailoverKind };
const ZFailoverKind = z.enum(failoverKinds).catch("failover");
export const decodeFailoverKind = (text: string): TFailoverKind => ZFailoverKind.parse(text);

// Incident.cause: an unknown cause reads as failover; Incident.ending: anything but retired reads as resolved, null as open.
const ZIncidentCause = z.enum(incidentCauses).catch("failover");
export const decodeIncidentCause = (text: string) => ZIncidentCause.parse(text);
export const decodeIncidentEnding = (text: string | null): TIncidentEnding | null => (text === null ? null : text === "retired" ? "retired" : "resolved");

// MetricRollup.scope: an unknown scope reads as service.
const rollupScopes = ["service", "instance", "edge"] as const;
export type TRollupScope = (typeof rollupScopes)[number];
const ZRollupScope = z.enum(rollupScopes).catch("service");
export const decodeRollupScope = (text: string): TRollupScope => ZRollupScope.parse(text);

// AuditEvent.actorType: an unknown actor reads as system (no user or token to link to).
const ZActorType = z.enum(["user", "token", "system"] as const satisfies readonly TActor["type"][]).catch("system");
export const decodeActorType = (text: string): TActor["type"] => ZActorType.parse(text);

// Source.kind and Source.convention: an unknown kind reads as etcd, a convention its kind does not have as the kind's first.
const ZSourceKind = z.enum(sourceKinds).catch("etcd");
export const decodeSourceKind = (text: string): TSourceKind => ZSourceKind.parse(text);
export function decodeConvention({ kind, convention }: { kind: string; convention: string }): TConvention {
  const known: readonly TConvention[] = conventionsByKind[decodeSourceKind(kind)];
  return known.find((name) => name === convention) ?? known[0]!;
}

// DataPlane.kind and healthMode: an unknown kind reads as haproxy, an unknown mode as meshdeck (Meshdeck's health).
const ZDataPlaneKind = z.enum(dataPlaneKinds).catch("haproxy");
export const decodeDataPlaneKind = (text: string) => ZDataPlaneKind.parse(text);
const ZHealthMode = z.enum(healthModes).catch("meshdeck");
export const decodeHealthMode = (text: string) => ZHealthMode.parse(text);

// --- JSON ---

// Instance.tags, ConfigGray.instanceIds/tags, Source.endpoints: a JSON array of strings; anything else reads as [].
const asStringList: TDecode<string[]> = (value) => (isStringList(value) ? value : invalid);
export const decodeStringList = (text: string): string[] => parsedOr(text, asStringList, () => []);
export const encodeStringList = (list: readonly string[]) => JSON.stringify(list);

// Instance.metadata: a JSON object of string values; anything else reads as {}.
const asStringMap: TDecode<Record<string, string>> = (value) => (isStringMap(value) ? value : invalid);
export const decodeStringMap = (text: string): Record<string, string> => parsedOr(text, asStringMap, () => ({}));
export const encodeStringMap = (map: Record<string, string>) => JSON.stringify(map);

// DataPlane.backends: a JSON object service -> backend, or null for the naming rule; text that does not decode reads
// as an empty map, which drives no backend (never every backend by mistake).
export const decodeBackendMap = (text: string | null): TBackendMap => (text === null ? null : parsedOr(text, asStringMap, () => ({})));
export const encodeBackendMap = (map: TBackendMap) => (map === null ? null : JSON.stringify(map));
// DataPlane.drivenBackends: JSON [[service, backend], ...]; anything else reads as none.
const isPairList = (value: unknown): value is [string, string][] => Array.isArray(value) && value.every((pair) => isStringList(pair) && pair.length === 2);
const asPairList: TDecode<[string, string][]> = (value) => (isPairList(value) ? value : invalid);
export const decodeDrivenBackends = (text: string | null): [string, string][] => (text === null ? [] : parsedOr(text, asPairList, () => []));
export const encodeDrivenBackends = (pairs: readonly (readonly [string, string])[]) => JSON.stringify(pairs);

// Source.tls: JSON { ca, cert, key } in PEM, or null; text that does not decode reads as null (no TLS settings).
const ZSourceTls = z.object({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional() });
const asSourceTls = fromSchema(ZSourceTls);
// Source.skipReasons: JSON [{key, reason}], the latest few; anything else reads as none.
const isSkip = (item: unknown): item is TSkip =>
  !!item && typeof item === "object" && typeof (item as TSkip).key === "string" && typeof (item as TSkip).reason === "string";
const isSkipList = (value: unknown): value is TSkip[] => Array.isArray(value) && value.every(isSkip);
export const decodeSkipReasons = (text: string | null): TSkip[] =>
  text === null
    ? []
    : parsedOr<TSkip[]>(
        text,
        (value) => (isSkipList(value) ? value : invalid),
        () => [],
      );
export const encodeSkipReasons = (skips: readonly TSkip[]) => (skips.length > 0 ? JSON.stringify(skips) : null);

export const decodeSourceTls = (text: string | null): TSourceTls | null => (text === null ? null : parsedOr<TSourceTls | null>(text, asSourceTls, () => null));
export const encodeSourceTls = (tls: TSourceTls | null | undefined) => (tls ? JSON.stringify(tls) : null);

// InstanceOverride.revert: what an expiring override goes back to, null for none; a field that does not decode
// reads as null (what the instance registers), as does text that is no JSON object.
const asRevert = fromSchema(z.object({ weight: z.number().int().nullable().catch(null), enabled: z.boolean().nullable().catch(null) }));
export const decodeRevert = (text: string | null): TSourceOverride | null =>
  text === null ? null : parsedOr(text, asRevert, () => ({ weight: null, enabled: null }));
export const encodeRevert = (revert: TSourceOverride | null) => (revert ? JSON.stringify({ weight: revert.weight, enabled: revert.enabled }) : null);

// FailoverEvent.takeover: the instances taking traffic afterwards and their shares; anything else reads as [].
const asTakeover = fromSchema(ZTakeover);
export const decodeTakeover = (text: string): TTakeover => parsedOr(text, asTakeover, () => []);
export const encodeTakeover = (takeover: TTakeover) => JSON.stringify(takeover);

// Webhook.kinds: the failover kinds (and alerts) it wants; kinds this version does not know are dropped, and text that is no list reads as [].
export const decodeWebhookKinds = (text: string): TWebhookKind[] =>
  decodeStringList(text).filter((kind): kind is TWebhookKind => (webhookKinds as readonly string[]).includes(kind));
export const encodeWebhookKinds = (kinds: readonly TWebhookKind[]) => JSON.stringify(kinds);

// AlertRule.kind / severity, AlertState.state, AlertEvent.from / to: a value a newer version wrote reads as the mildest.
const ZStoredAlertKind = z.enum(alertKinds).catch("request-rate");
const ZStoredSeverity = z.enum(alertSeverities).catch("info");
const ZStoredAlertState = z.enum(alertStates).catch("inactive");
export const decodeAlertKind = (text: string) => ZStoredAlertKind.parse(text);
export const decodeAlertSeverity = (text: string) => ZStoredSeverity.parse(text);
export const decodeAlertState = (text: string) => ZStoredAlertState.parse(text);

// Incident.times: a JSON array of times in ms; anything else reads as [].
const asTimes: TDecode<number[]> = (value) => (Array.isArray(value) && value.every((item) => typeof item === "number") ? value : invalid);
export const decodeTimes = (text: string): number[] => parsedOr(text, asTimes, () => []);
export const encodeTimes = (times: readonly number[]) => JSON.stringify(times);

// AuditEvent.before/after: any JSON value, null (and undefined) stored as NULL; text that is not JSON (not written
// by recordAudit) reads as that text.
export const decodeAuditValue = (text: string | null): unknown => (text === null ? null : parsedOr(text, asAnyValue, () => text));
export const encodeAuditValue = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

// MetricRollup.buckets: JSON [[le seconds, cumulative count], ...] with +Inf written as null (JSON has no Infinity), or
// null when latency came from a summary; text that does not decode reads as null, so the row's quantiles are used.
const isStoredBucket = (bucket: unknown): bucket is [number | null, number] =>
  Array.isArray(bucket) && bucket.length === 2 && (bucket[0] === null || typeof bucket[0] === "number") && typeof bucket[1] === "number";
const asBuckets: TDecode<TBuckets> = (value) =>
  Array.isArray(value) && value.every(isStoredBucket) ? value.map(([le, count]): [number, number] => [le ?? Infinity, count]) : invalid;
export const decodeBuckets = (text: string | null): TBuckets | null => (text ? parsedOr<TBuckets | null>(text, asBuckets, () => null) : null);
export const encodeBuckets = (buckets: TBuckets | null) =>
  buckets ? JSON.stringify(buckets.map(([le, count]) => [Number.isFinite(le) ? le : null, count])) : null;

// Setting.value holding JSON (the metrics settings): text that is not JSON reads as undefined, for the reader's defaults.
export const decodeSettingJson = (text: string): unknown => parsedOr(text, asAnyValue, () => undefined);
export const encodeSettingJson = (value: unknown) => JSON.stringify(value);

// --- the client extension ---

/** A computed field that shadows its column: Prisma reads the stored text and hands out the decoded value. */
function column<K extends string, TStored, T>(name: K, decode: (stored: TStored) => T) {
  return { needs: { [name]: true } as Record<K, true>, compute: (row: Record<K, TStored>) => decode(row[name]) };
}

/**
 * Each decoded column as a Prisma result extension would declare it: lib/db types its client with it, so every read
 * (select, include, nested relations, transactions, groupBy) is typed decoded. Writes take the stored text: give
 * them the encoders above.
 */
export const decodedColumns = {
  user: { role: column("role", decodeRole) },
  service: { policy: column("policy", decodePolicy) },
  instance: {
    tags: column("tags", decodeStringList),
    metadata: column("metadata", decodeStringMap),
    health: column("health", decodeHealth),
    checkKind: column("checkKind", decodeCheckKind),
  },
  source: {
    kind: column("kind", decodeSourceKind),
    convention: { needs: { kind: true, convention: true }, compute: (row: { kind: string; convention: string }) => decodeConvention(row) },
    endpoints: column("endpoints", decodeStringList),
    tls: column("tls", decodeSourceTls),
    skipReasons: column("skipReasons", decodeSkipReasons),
  },
  dataPlane: {
    kind: column("kind", decodeDataPlaneKind),
    backends: column("backends", decodeBackendMap),
    healthMode: column("healthMode", decodeHealthMode),
    drivenBackends: column("drivenBackends", decodeDrivenBackends),
  },
  instanceOverride: { revert: column("revert", decodeRevert) },
  healthEvent: { from: column("from", decodeHealthEventState), to: column("to", decodeHealthEventState) },
  failoverEvent: { kind: column("kind", decodeFailoverKind), takeover: column("takeover", decodeTakeover) },
  incident: { cause: column("cause", decodeIncidentCause), ending: column("ending", decodeIncidentEnding), times: column("times", decodeTimes) },
  metricRollup: { scope: column("scope", decodeRollupScope), buckets: column("buckets", decodeBuckets) },
  webhook: { kinds: column("kinds", decodeWebhookKinds) },
  alertRule: { kind: column("kind", decodeAlertKind), severity: column("severity", decodeAlertSeverity) },
  alertState: { state: column("state", decodeAlertState) },
  alertEvent: { severity: column("severity", decodeAlertSeverity), from: column("from", decodeAlertState), to: column("to", decodeAlertState) },
  auditEvent: { actorType: column("actorType", decodeActorType), before: column("before", decodeAuditValue), after: column("after", decodeAuditValue) },
  configItem: { format: column("format", decodeConfigFormat) },
  configVersion: { format: column("format", decodeConfigFormat) },
  configGray: { instanceIds: column("instanceIds", decodeStringList), tags: column("tags", decodeStringList) },
};

// The relations of schema.prisma, so rows nested by include or select are decoded as their own model (codecs.test checks them).
export const modelRelations: Record<string, Record<string, string>> = {
  User: { apiTokens: "ApiToken", sessions: "Session" },
  Session: { user: "User" },
  ApiToken: { createdBy: "User" },
  Service: { instances: "Instance", status: "ServiceStatus" },
  ServiceStatus: { service: "Service" },
  Instance: { service: "Service" },
  Webhook: { deliveries: "WebhookDelivery" },
  WebhookDelivery: { webhook: "Webhook" },
  AlertRule: { states: "AlertState" },
  AlertState: { rule: "AlertRule" },
  ConfigItem: { versions: "ConfigVersion", grays: "ConfigGray" },
  ConfigVersion: { item: "ConfigItem" },
  ConfigGray: { item: "ConfigItem" },
};

type TRow = Record<string, unknown>;
type TComputed = { compute: (row: never) => unknown };
const columnsOfModel = new Map(
  Object.entries(decodedColumns as Record<string, Record<string, TComputed>>).map(([name, columns]) => [
    name[0]!.toUpperCase() + name.slice(1),
    Object.entries(columns),
  ]),
);

function decodeRow(model: string, row: unknown): unknown {
  if (typeof row !== "object" || row === null || row instanceof Date) return row;
  const stored = row as TRow;
  const decoded: TRow = { ...stored };
  for (const [field, column] of columnsOfModel.get(model) ?? []) if (field in stored) decoded[field] = column.compute(stored as never); // holds the stored column it needs
  for (const [field, related] of Object.entries(modelRelations[model] ?? {})) if (field in stored) decoded[field] = decodeResult(related, stored[field]);
  return decoded;
}

/**
 * A query's result with every decoded column of `model`, and of the rows nested in it, decoded, as new plain objects.
 * Run by lib/db's query extension: Prisma's own result extensions cost about 100 µs a row and hand out proxies.
 */
export function decodeResult<T>(model: string, result: T): T {
  return (Array.isArray(result) ? result.map((row: unknown) => decodeRow(model, row)) : decodeRow(model, result)) as T;
}
