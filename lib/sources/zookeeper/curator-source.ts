import "server-only";
import { AppError } from "@/lib/errors";
import type { TSourceInstance } from "../types";
import { maxWriteTries, type TSkipped, type TZkConvention } from "./conventions";
import { decodeCuratorInstance, encodeMeshdeckOverride, meshdeckOverridePath, meshdeckOverridesRoot } from "./curator";
import type { TWatchSpec } from "./tree-watch";
import { create, isNodeExists, isNoNode, isNotEmpty, joinPath, mkdirp, remove, setData } from "./zk";

// Curator service discovery in ZooKeeper: instances under `<basePath>/<service>/<id>`, Meshdeck's overrides for
// them under `/meshdeck/overrides/<service>/<id>`.

export function curatorConvention(basePath: string): TZkConvention {
  const instancesSpec: TWatchSpec = { children: () => ({ children: () => ({ data: true }) }) };
  // With the tree's root as base path, ZooKeeper's own node and Meshdeck's are not services.
  const notServices = new Set(basePath === "/" ? ["zookeeper", meshdeckOverridesRoot.split("/")[1]!] : []);
  return {
    roots: [{ path: basePath, spec: { children: (name) => (notServices.has(name) ? null : instancesSpec.children!(name)) } }],
    list(tree) {
      const skipped: TSkipped[] = [];
      const instances: TSourceInstance[] = [];
      for (const service of tree.children(basePath)) {
        if (notServices.has(service)) continue;
        const servicePath = joinPath(basePath, service);
        for (const id of tree.children(servicePath)) {
          const path = joinPath(servicePath, id);
          const data = tree.data(path);
          if (data === undefined) continue;
          const decoded = decodeCuratorInstance({ service, id, data });
          if ("skipped" in decoded) {
            skipped.push({ path, reason: decoded.skipped });
            continue;
          }
          if (decoded.warning) skipped.push({ path, reason: decoded.warning });
          instances.push(decoded.instance);
        }
      }
      return { instances, skipped };
    },
    // Curator registers DYNAMIC instances as ephemeral nodes; STATIC and PERMANENT ones are persistent.
    goneCause: (instance) => ((instance.metadata.serviceType ?? "DYNAMIC") === "DYNAMIC" ? "session expired" : "node deleted"),
    async writeOverride(client, instance, override) {
      const path = meshdeckOverridePath(instance);
      const text = encodeMeshdeckOverride(override);
      const parent = path.slice(0, path.lastIndexOf("/"));
      if (text === null) {
        await remove(client, path, -1);
        // The service's node goes with its last override; another written meanwhile keeps it.
        await remove(client, parent, -1).catch((error: unknown) => {
          if (!isNotEmpty(error)) throw error;
        });
        return;
      }
      for (let attempt = 1; attempt <= maxWriteTries; attempt++) {
        try {
          await setData(client, path, text, -1);
          return;
        } catch (error) {
          if (!isNoNode(error)) throw error;
        }
        try {
          await mkdirp(client, parent);
          await create(client, path, text);
          return;
        } catch (error) {
          if (!isNodeExists(error) && !isNoNode(error)) throw error;
        }
      }
      throw new AppError("conflict", `${path} kept changing while Meshdeck wrote to it; try again`);
    },
  };
}
