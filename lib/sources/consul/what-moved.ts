// What a blocking query's answer says moved, in a form compared with the last answer: which services to read again.
import type { TConsulCheck } from "./decode-health";

/** Each service's tags, as one comparable text: `/v1/catalog/services` moves when a service appears, goes or is retagged. */
export function tagsByService(body: Record<string, string[] | null> | null): Map<string, string> {
  return new Map(Object.entries(body ?? {}).map(([name, tags]) => [name, [...(tags ?? [])].sort().join("\n")]));
}

/** The checks' statuses per service (`s:name`) and per node for node checks (`n:node`): what moved shows which services to read. */
export function checkPrints(checks: TConsulCheck[] | null): Map<string, string> {
  const lists = new Map<string, string[]>();
  for (const check of checks ?? []) {
    const key = check.ServiceName ? `s:${check.ServiceName}` : `n:${check.Node ?? ""}`;
    const line = `${check.ServiceID ?? ""}/${check.CheckID ?? ""}:${check.Status ?? ""}:${check.Notes ?? ""}`;
    const list = lists.get(key);
    if (list) list.push(line);
    else lists.set(key, [line]);
  }
  return new Map([...lists].map(([key, list]) => [key, list.sort().join("\n")]));
}
