// Dubbo's URL (org.apache.dubbo.common.URL) as registries hold it: `protocol://[user[:password]@]host[:port]/path?k=v&...`.
// Parameter values are not encoded inside the URL; the whole URL is URL-encoded once to name a ZooKeeper node.

export type TDubboUrl = {
  protocol: string;
  host: string;
  /** 0 when the URL has none, as Dubbo reads it. */
  port: number;
  path: string;
  params: Map<string, string>;
};

const urlPattern = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/?]*@)?(\[[^\]/?]*\]|[^:/?]*)(?::(\d{1,5}))?(?:\/([^?]*))?(?:\?(.*))?$/s;

export function parseDubboUrl(text: string): TDubboUrl | null {
  const match = urlPattern.exec(text.trim());
  if (!match) return null;
  const [, protocol, rawHost, port, path, query] = match;
  const params = new Map<string, string>();
  for (const pair of (query ?? "").split("&")) {
    if (pair === "") continue;
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    // Dubbo keeps a key without a value as key=key; a later duplicate wins, as in its parser.
    if (key !== "") params.set(key, at < 0 ? key : pair.slice(at + 1));
  }
  return {
    protocol: protocol!.toLowerCase(),
    host: rawHost!.replace(/^\[|\]$/g, ""),
    port: port ? Number(port) : 0,
    path: path ?? "",
    params,
  };
}

/** A node name such as `dubbo%3A%2F%2F10.0.0.1%3A20880%2F...`: decoded once; null when it is not valid percent-encoding. */
export function decodeNodeName(name: string): string | null {
  try {
    return decodeURIComponent(name);
  } catch {
    return null;
  }
}

/** Dubbo's getParameter: the key, else its `default.` form that Dubbo 2.6 providers wrote. */
export function param(url: TDubboUrl, key: string): string | undefined {
  const value = url.params.get(key) ?? url.params.get(`default.${key}`);
  return value === undefined || value === "" ? undefined : value;
}

/** The interface a provider URL exports: its `interface` parameter, else the path. */
export function interfaceOf(url: TDubboUrl): string {
  return param(url, "interface") ?? url.path.split("/").at(-1) ?? "";
}

/** Dubbo's rule key, `interface:version:group` with empty parts kept (URL.getColonSeparatedKey). */
export function colonSeparatedKey(parts: { interface: string; version?: string; group?: string }): string {
  return `${parts.interface}:${parts.version ?? ""}:${parts.group ?? ""}`;
}

/** Dubbo's service key, `[group/]interface[:version]` (URL.getServiceKey), which configurator documents name. */
export function serviceKey(parts: { interface: string; version?: string; group?: string }): string {
  return `${parts.group ? `${parts.group}/` : ""}${parts.interface}${parts.version ? `:${parts.version}` : ""}`;
}
