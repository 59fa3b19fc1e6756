// Dubbo's override rules, read the way Dubbo's clients read them (dubbo-cluster: ConfigParser, AbstractConfigurator),
// so the weight and enabled flag Meshdeck lists are what a Dubbo consumer uses. Two forms:
// - legacy `override://host[:port]/<interface>?weight=..&disabled=..` nodes under `/dubbo/<interface>/configurators`;
// - Dubbo 2.7+ YAML documents `/dubbo/config/dubbo/<interface>:<version>:<group>.configurators` (scope: service)
//   and `/dubbo/config/dubbo/<application>.configurators` (scope: application), as Dubbo Admin writes them.
// Only rules for the provider side change what Meshdeck lists: consumer-side rules are one consumer's view.
import { parse } from "yaml";
import type { TSourceInstance } from "../types";
import { parseDubboUrl, serviceKey } from "./dubbo-url";
import { javaBoolean, parseWeight } from "./fields";

export type TDubboRule = {
  /** Rules for 0.0.0.0 are applied before rules naming a host, as Dubbo sorts its configurators. */
  anyHost: boolean;
  priority: number;
  applies(instance: TSourceInstance): boolean;
  weight?: number;
  disabled?: boolean;
  /** Meshdeck's own item (`type: meshdeck`): Dubbo's clients apply it, Meshdeck holds it as the catalog's override. */
  meshdeck?: boolean;
};

export type TRuleDocument = { scope: "service" | "application"; key: string; rules: TDubboRule[] };

const anyHost = "0.0.0.0";
const meta = (instance: TSourceInstance, key: string) => instance.metadata[key] ?? "";

/** What a rule sets, from its parameters; null when it sets neither weight nor disabled. */
function effect(get: (key: string) => unknown): Pick<TDubboRule, "weight" | "disabled"> | null {
  const weight = get("weight");
  const disabled = get("disabled");
  if (weight === undefined && disabled === undefined) return null;
  return {
    ...(weight === undefined ? {} : { weight: parseWeight(weight) }),
    ...(disabled === undefined ? {} : { disabled: javaBoolean(disabled) }),
  };
}

/** A legacy override URL (a decoded node name under `<interface>/configurators`, or a string of the JSON-array form). */
export function ruleFromOverrideUrl(text: string): { rule: TDubboRule | null } | { skipped: string } {
  const url = parseDubboUrl(text);
  if (!url) return { skipped: `'${text.slice(0, 80)}' is not an override URL` };
  if (url.protocol === "empty") return { rule: null };
  if (url.protocol !== "override") return { skipped: `${url.protocol}:// rules are not read, only override://` };
  // `enabled` on a rule turns the rule itself on or off; it is not the instance's flag.
  const ruleEnabled = url.params.get("enabled");
  if (ruleEnabled !== undefined && !javaBoolean(ruleEnabled)) return { rule: null };
  const sets = effect((key) => url.params.get(key));
  if (!sets) return { rule: null };
  const conditions = [...url.params].filter(([key]) => key === "application" || key === "side" || key.startsWith("~"));
  const group = url.params.get("group") ?? "";
  const version = url.params.get("version") ?? "";
  const any = url.host === anyHost;
  const rule: TDubboRule = {
    anyHost: any,
    priority: Number(url.params.get("priority") ?? 0) || 0,
    ...sets,
    applies(instance) {
      // A rule with a port names one provider; without one, only 0.0.0.0 reaches providers (a bare IP is a consumer).
      if (url.port !== 0 ? instance.port !== url.port || (!any && url.host !== instance.host) : !any) return false;
      if (group !== "*" && group !== meta(instance, "group")) return false;
      if (version !== "*" && version !== meta(instance, "version")) return false;
      return conditions.every(([key, value]) => {
        const own = key === "side" ? (instance.metadata.side ?? "provider") : meta(instance, key.replace(/^~/, ""));
        return value === "*" || value === own;
      });
    },
  };
  return { rule };
}

const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);

function splitAddress(address: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(address);
  return bracketed ? bracketed[1]! : address.split(":")[0]!;
}

/** One `configs` item for providers, one rule per address (as Dubbo makes one override URL per address). */
function itemRules(item: Record<string, unknown>, doc: { scope: string; key: string; enabled: boolean }): TDubboRule[] {
  const parameters = item.parameters as Record<string, unknown>;
  if (item.side !== "provider") return [];
  const general = item.type === undefined || item.type === null || item.type === "general";
  // Typed items (Dubbo Admin's `weight`, Meshdeck's own) carry their own switch; a missing one reads as off in Dubbo.
  if (!(general ? doc.enabled : javaBoolean(item.enabled))) return [];
  const sets = effect((key) => parameters[key]);
  if (!sets) return [];
  const addresses = strings(item.addresses)?.length ? strings(item.addresses)! : [anyHost];
  const providers = strings(item.providerAddresses)?.length ? strings(item.providerAddresses)! : addresses;
  const applications = doc.scope === "application" ? [doc.key] : (strings(item.applications) ?? []);
  const services = doc.scope === "application" && strings(item.services)?.length ? strings(item.services)! : ["*"];
  const priority = Number(parameters.priority ?? 0) || 0;
  const meshdeck = item.type === "meshdeck";
  return addresses.map((address) => {
    const host = splitAddress(address);
    return {
      anyHost: host === anyHost,
      priority,
      ...(meshdeck ? { meshdeck } : {}),
      ...sets,
      applies(instance) {
        if (host !== anyHost && host !== instance.host) return false;
        const hostPort = `${instance.host}:${instance.port}`;
        const named = [hostPort, anyHost, `${anyHost}:*`, `${anyHost}:${instance.port}`, instance.host];
        if (!providers.some((provider) => named.includes(provider))) return false;
        if (applications.length > 0 && !applications.some((app) => app === "*" || app === meta(instance, "application"))) return false;
        const own = serviceKey({ interface: instance.service, group: instance.metadata.group, version: instance.metadata.version });
        return services.some((service) => service === "*" || service === own);
      },
    };
  });
}

/** A `.configurators` document; one Dubbo would refuse (no key, an item without parameters) is skipped whole, as Dubbo does. */
export function rulesFromDocument(text: string): TRuleDocument | { skipped: string } {
  let value: unknown;
  try {
    // Errors throw; warnings about what others wrote are not worth a log line each time the tree is read.
    value = parse(text, { logLevel: "error" });
  } catch (error) {
    return { skipped: `not YAML: ${(error as Error).message.split("\n")[0]}` };
  }
  if (Array.isArray(value)) {
    const rules = value.map((url) => ruleFromOverrideUrl(String(url)));
    return { scope: "service", key: "", rules: rules.flatMap((read) => ("rule" in read && read.rule ? [read.rule] : [])) };
  }
  if (!value || typeof value !== "object") return { skipped: "not a configurator document (a YAML mapping)" };
  const doc = value as Record<string, unknown>;
  const scope = doc.scope === "application" ? "application" : "service";
  const key = typeof doc.key === "string" ? doc.key : "";
  if (key === "") return { skipped: "the document has no key" };
  if (!Array.isArray(doc.configs)) return { skipped: "the document has no configs list" };
  const items = doc.configs as unknown[];
  const valid = (item: unknown): item is Record<string, unknown> => {
    const parameters = item && typeof item === "object" ? (item as Record<string, unknown>).parameters : undefined;
    return !!parameters && typeof parameters === "object" && Object.keys(parameters).length > 0;
  };
  if (!items.every(valid)) return { skipped: "an item has no parameters, which Dubbo refuses for the whole document" };
  const enabled = doc.enabled === undefined || doc.enabled === null ? true : javaBoolean(doc.enabled);
  return { scope, key, rules: items.flatMap((item) => itemRules(item, { scope, key, enabled })) };
}

/** The instance as Dubbo's clients see it once the rules that match it are applied, in Dubbo's order. */
export function applyRules(instance: TSourceInstance, rules: TDubboRule[]): TSourceInstance {
  const matching = rules.filter((rule) => rule.applies(instance));
  if (matching.length === 0) return instance;
  // Array.prototype.sort is stable, as Java's is: rules of the same rank keep their order.
  matching.sort((a, b) => Number(!a.anyHost) - Number(!b.anyHost) || a.priority - b.priority);
  let { weight, enabled } = instance;
  for (const rule of matching) {
    if (rule.weight !== undefined) weight = rule.weight;
    if (rule.disabled !== undefined) enabled = !rule.disabled;
  }
  return weight === instance.weight && enabled === instance.enabled ? instance : { ...instance, weight, enabled };
}
