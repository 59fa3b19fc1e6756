import "server-only";
import type { Client } from "node-zookeeper-client";
import type { TRemovalCause, TSourceInstance, TSourceOverride } from "../types";
import type { TTree, TWatchSpec } from "./tree-watch";

// What each framework keeps in ZooKeeper: which nodes to watch, how to read them into instances, and where an
// operator's weight or enabled flag is written so that the framework's clients (or, for Curator, Meshdeck's
// gateway and discovery API) honour it.

export type TSkipped = { path: string; reason: string };

export type TZkConvention = {
  roots: { path: string; spec: TWatchSpec }[];
  /** Every instance in the tree as the framework's clients see it, and the nodes that did not decode. */
  list(tree: TTree): { instances: TSourceInstance[]; skipped: TSkipped[] };
  writeOverride(client: Client, instance: TSourceInstance, override: TSourceOverride): Promise<void>;
  /** Why a listed instance went: an ephemeral node goes when its session expires, a persistent one only when deleted. */
  goneCause(instance: TSourceInstance): TRemovalCause;
};

/** Lists a node's children by name without following them. */
export const namesOnly: TWatchSpec = { children: () => null };

// A node re-written between our read and our write is read again; after this many tries the change fails.
export const maxWriteTries = 3;
