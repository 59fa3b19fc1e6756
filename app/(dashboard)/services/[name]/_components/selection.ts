import type { TInstanceSelector } from "@/lib/governance/schemas";
import type { TInstanceFilter } from "@/lib/registry/instance-page";

/** What the operator chose in the instance table: rows of the page shown, or every instance the filters match. */
export type TSelection = { kind: "rows"; rows: { id: string; version: number }[] } | { kind: "matching"; filter: TInstanceFilter; count: number };

export const noSelection: TSelection = { kind: "rows", rows: [] };

export function selectedCount(selection: TSelection): number {
  return selection.kind === "rows" ? selection.rows.length : selection.count;
}

/** The governance selector of a selection: ids for rows, the filters themselves for "all matching". */
export function toSelector(service: string, selection: TSelection): TInstanceSelector {
  if (selection.kind === "rows") return { service, ids: selection.rows.map((row) => row.id) };
  return { service, ...selection.filter };
}
