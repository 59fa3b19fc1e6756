import { expectedShares, type TBalancingPolicy } from "@/lib/balancing";
import { takesTraffic } from "@/lib/catalog/traffic-state";
import type { TInstanceChange } from "./schemas";

export type TPreviewInstance = {
  id: string;
  health: string;
  weight: number;
  enabled: boolean;
  /** What the instance registers, which a reset gives back. */
  registeredWeight: number;
  registeredEnabled: boolean;
};

type TSide = { weight: number; enabled: boolean; takesTraffic: boolean; share: number };

export type TTrafficPreview = {
  instances: { id: string; health: string; selected: boolean; before: TSide; after: TSide }[];
  /** Instances taking traffic, before and after, of all registered. */
  capacity: { total: number; before: number; after: number };
  protectionThreshold: number;
  /** Why the guard refuses the change unless it is forced with a reason; null when it may go ahead. */
  refusal: { kind: "outage" | "below-threshold"; message: string } | null;
};

/** What an instance becomes under a change. */
export function applyChange(instance: TPreviewInstance, change: TInstanceChange): { weight: number; enabled: boolean } {
  if (change.reset) return { weight: instance.registeredWeight, enabled: instance.registeredEnabled };
  return { weight: change.weight ?? instance.weight, enabled: change.enabled ?? instance.enabled };
}

function sides(policy: TBalancingPolicy, states: { id: string; health: string; weight: number; enabled: boolean }[]): Map<string, TSide> {
  const live = states.filter(takesTraffic);
  const shares = expectedShares(
    policy,
    live.map(({ id, weight }) => ({ id, weight })),
  );
  return new Map(
    states.map((state) => [state.id, { weight: state.weight, enabled: state.enabled, takesTraffic: takesTraffic(state), share: shares.get(state.id) ?? 0 }]),
  );
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * Each instance's share of a service's traffic before and after a change to the selected instances, the capacity left,
 * and whether the guard refuses it: a change that takes traffic away is refused when it leaves no instance taking
 * traffic (an outage) or fewer than the protection threshold's share of the instances. Changes that add capacity never are.
 * The same function runs in the browser for the preview and on the server for the guard.
 */
export function previewChange({
  policy,
  protectionThreshold,
  instances,
  selected,
  change,
}: {
  policy: TBalancingPolicy;
  protectionThreshold: number;
  instances: TPreviewInstance[];
  selected: ReadonlySet<string>;
  change: TInstanceChange;
}): TTrafficPreview {
  const before = sides(policy, instances);
  const after = sides(
    policy,
    instances.map((instance) => ({ id: instance.id, health: instance.health, ...(selected.has(instance.id) ? applyChange(instance, change) : instance) })),
  );
  const count = (side: Map<string, TSide>) => [...side.values()].filter((state) => state.takesTraffic).length;
  const capacity = { total: instances.length, before: count(before), after: count(after) };
  let refusal: TTrafficPreview["refusal"] = null;
  if (capacity.after < capacity.before) {
    if (capacity.after === 0) refusal = { kind: "outage", message: "no instance would be left taking traffic" };
    else if (capacity.after / capacity.total < protectionThreshold) {
      refusal = {
        kind: "below-threshold",
        message: `${capacity.after} of ${capacity.total} instances would take traffic (${percent(capacity.after / capacity.total)}), below the protection threshold of ${percent(protectionThreshold)}`,
      };
    }
  }
  return {
    instances: instances.map((instance) => ({
      id: instance.id,
      health: instance.health,
      selected: selected.has(instance.id),
      before: before.get(instance.id)!,
      after: after.get(instance.id)!,
    })),
    capacity,
    protectionThreshold,
    refusal,
  };
}

// Rows a summarized preview shows: a small service's every instance, else the first of the selected and of the rest.
const previewRows = { all: 50, selected: 20, others: 10 };

type TShareRange = { min: number; max: number };

function shareRange(shares: number[]): TShareRange {
  return { min: Math.min(...shares), max: Math.max(...shares) };
}

/**
 * The preview with a bounded number of rows, for sending to a browser whatever the size of the service: the rows left
 * out are counted, with the range of their shares before and after.
 */
export function summarizePreview(preview: TTrafficPreview): TTrafficPreview & { more: { count: number; before: TShareRange; after: TShareRange } | null } {
  const { instances } = preview;
  if (instances.length <= previewRows.all) return { ...preview, more: null };
  const selected = instances.filter((row) => row.selected);
  const others = instances.filter((row) => !row.selected);
  const shown = [...selected.slice(0, previewRows.selected), ...others.slice(0, previewRows.others)];
  const left = [...selected.slice(previewRows.selected), ...others.slice(previewRows.others)];
  return {
    ...preview,
    instances: shown,
    more: {
      count: left.length,
      before: shareRange(left.map((row) => row.before.share)),
      after: shareRange(left.map((row) => row.after.share)),
    },
  };
}

/** What a change does to a proxy backend a data plane drives for the service: the servers it takes out or puts back. */
export type TDataPlaneEffect = {
  dataPlane: string;
  kind: string;
  backend: string;
  /** Selected servers that stop taking traffic (the first few), and how many in all. */
  leaving: { ids: string[]; count: number };
  /** Selected servers that start taking traffic again. */
  joining: { ids: string[]; count: number };
  /** Selected servers whose weight changes while they keep taking traffic. */
  reweighted: number;
};

const namedServers = 5;

/** The preview's change as each data plane driving the service will apply it. */
export function dataPlaneEffects(preview: TTrafficPreview, backends: readonly { dataPlane: string; kind: string; backend: string }[]): TDataPlaneEffect[] {
  const selected = preview.instances.filter((row) => row.selected);
  const leaving = selected.filter((row) => row.before.takesTraffic && !row.after.takesTraffic).map((row) => row.id);
  const joining = selected.filter((row) => !row.before.takesTraffic && row.after.takesTraffic).map((row) => row.id);
  const reweighted = selected.filter((row) => row.before.takesTraffic && row.after.takesTraffic && row.before.weight !== row.after.weight).length;
  return backends.map((backend) => ({
    ...backend,
    leaving: { ids: leaving.slice(0, namedServers), count: leaving.length },
    joining: { ids: joining.slice(0, namedServers), count: joining.length },
    reweighted,
  }));
}
