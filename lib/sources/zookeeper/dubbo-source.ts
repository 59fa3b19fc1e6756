import "server-only";
import { AppError } from "@/lib/errors";
import type { TSourceInstance } from "../types";
import { maxWriteTries, namesOnly, type TSkipped, type TZkConvention } from "./conventions";
import { decodeDubboProvider } from "./dubbo";
import { ConfiguratorsConflict, configuratorsPath, mergeMeshdeckOverride } from "./dubbo-configurators";
import { applyRules, ruleFromOverrideUrl, rulesFromDocument, type TDubboRule } from "./dubbo-rules";
import { colonSeparatedKey, decodeNodeName } from "./dubbo-url";
import type { TTree, TWatchSpec } from "./tree-watch";
import { create, getData, isBadVersion, isNodeExists, isNoNode, joinPath, mkdirp, remove, setData } from "./zk";

// Dubbo in ZooKeeper: providers under `<prefix>/<interface>/providers`, legacy rules under
// `<prefix>/<interface>/configurators`, Dubbo 2.7+ rule documents under `<prefix>/config/dubbo`.

// Dubbo's own nodes beside the interfaces: the config center, the metadata report and the service-name mapping.
const dubboNotInterfaces = new Set(["config", "metadata", "mapping"]);
const suffix = ".configurators";

export function dubboConvention(prefix: string): TZkConvention {
  const configGroup = joinPath(joinPath(prefix, "config"), "dubbo");
  const interfaceSpec: TWatchSpec = { children: (name) => (name === "providers" || name === "configurators" ? namesOnly : null) };
  const configSpec: TWatchSpec = { children: (group) => (group === "dubbo" ? { children: (name) => (name.endsWith(suffix) ? { data: true } : null) } : null) };

  function documents(tree: TTree, skipped: TSkipped[]) {
    const services = new Map<string, TDubboRule[]>();
    const applications = new Map<string, TDubboRule[]>();
    for (const name of tree.children(configGroup)) {
      const path = joinPath(configGroup, name);
      const text = tree.data(path);
      if (!name.endsWith(suffix) || text === undefined) continue;
      const read = rulesFromDocument(text);
      if ("skipped" in read) skipped.push({ path, reason: read.skipped });
      else if (read.scope === "application") applications.set(read.key, [...(applications.get(read.key) ?? []), ...read.rules]);
      else services.set(name.slice(0, -suffix.length), read.rules);
    }
    return { services, applications };
  }

  function legacyRules(tree: TTree, iface: string, skipped: TSkipped[]): TDubboRule[] {
    const parent = joinPath(joinPath(prefix, iface), "configurators");
    return tree.children(parent).flatMap((name) => {
      const read = ruleFromOverrideUrl(decodeNodeName(name) ?? "");
      if ("skipped" in read) skipped.push({ path: joinPath(parent, name), reason: read.skipped });
      return "rule" in read && read.rule ? [read.rule] : [];
    });
  }

  return {
    roots: [{ path: prefix, spec: { children: (name) => (name === "config" ? configSpec : dubboNotInterfaces.has(name) ? null : interfaceSpec) } }],
    list(tree) {
      const skipped: TSkipped[] = [];
      const instances: TSourceInstance[] = [];
      const { services, applications } = documents(tree, skipped);
      for (const iface of tree.children(prefix)) {
        if (dubboNotInterfaces.has(iface)) continue;
        const legacy = legacyRules(tree, iface, skipped);
        const providers = joinPath(joinPath(prefix, iface), "providers");
        for (const name of tree.children(providers)) {
          const decoded = decodeDubboProvider(name, iface);
          if ("skipped" in decoded) {
            skipped.push({ path: joinPath(providers, name), reason: decoded.skipped });
            continue;
          }
          const { instance } = decoded;
          if (decoded.warning) skipped.push({ path: joinPath(providers, name), reason: decoded.warning });
          const key = colonSeparatedKey({ interface: iface, version: instance.metadata.version, group: instance.metadata.group });
          // Dubbo applies registry rules, then the application's document, then the service's, each in its own order.
          const withLegacy = applyRules(instance, legacy);
          const withApplication = applyRules(withLegacy, applications.get(instance.metadata.application ?? "") ?? []);
          // Meshdeck's own rule is the catalog's override: the listing keeps what the provider registered apart from it.
          instances.push(
            applyRules(
              withApplication,
              (services.get(key) ?? []).filter((rule) => !rule.meshdeck),
            ),
          );
        }
      }
      return { instances, skipped };
    },
    // A provider registered with dynamic=false is a persistent node, put there by an operator; the rest are ephemeral.
    goneCause: (instance) => (instance.metadata.dynamic === "false" ? "node deleted" : "session expired"),
    async writeOverride(client, instance, override) {
      const parts = { interface: instance.service, version: instance.metadata.version, group: instance.metadata.group };
      const path = configuratorsPath(prefix, parts);
      const address = `${instance.host}:${instance.port}`;
      for (let attempt = 1; attempt <= maxWriteTries; attempt++) {
        const current = await getData(client, path);
        let next: string | null;
        try {
          next = mergeMeshdeckOverride(current?.data ?? null, { parts, address, override });
        } catch (error) {
          if (!(error instanceof ConfiguratorsConflict)) throw error;
          throw new AppError("conflict", `${path}: ${error.message}; Meshdeck leaves it as it is`);
        }
        try {
          if (current === null) {
            if (next === null) return;
            await mkdirp(client, configGroup);
            await create(client, path, next);
          } else if (next === null) await remove(client, path, current.stat.version);
          else if (next !== current.data) await setData(client, path, next, current.stat.version);
          return;
        } catch (error) {
          if (!isNodeExists(error) && !isBadVersion(error) && !isNoNode(error)) throw error;
        }
      }
      throw new AppError("conflict", `${path} kept changing while Meshdeck wrote to it; try again`);
    },
  };
}
