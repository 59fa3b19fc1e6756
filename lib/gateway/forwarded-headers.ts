import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from "node:http";

// Headers that describe one connection, not the message (RFC 9110 7.6.1), and are never passed on; `proxy-connection`
// is the pre-standard spelling some clients still send.
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Header names a Connection header lists: hop-by-hop for this one message. */
function connectionOptions(value: string | undefined): Set<string> | undefined {
  if (!value) return undefined;
  const names = value.split(",").map((name) => name.trim().toLowerCase());
  // "keep-alive" and "close", the usual values, name nothing else to drop.
  return names.some((name) => name !== "keep-alive" && name !== "close") ? new Set(names) : undefined;
}

function copyEndToEnd(source: IncomingHttpHeaders, skip?: string): OutgoingHttpHeaders {
  const listed = connectionOptions(source.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const name in source) {
    if (hopByHop.has(name) || name === skip || listed?.has(name)) continue;
    headers[name] = source[name];
  }
  return headers;
}

/**
 * What the gateway sends upstream: the client's end-to-end headers, Host left for node to set to the instance's
 * address (the client's is kept in X-Forwarded-Host), the client's address appended to X-Forwarded-For, and
 * X-Forwarded-Proto/Host kept when a proxy in front (a TLS terminator) set them. Expect is dropped: the gateway's own
 * server already answered 100-continue.
 */
export function upstreamRequestHeaders(incoming: IncomingMessage): OutgoingHttpHeaders {
  const source = incoming.headers;
  const headers = copyEndToEnd(source, "host");
  delete headers.expect;
  const client = incoming.socket.remoteAddress ?? "unknown";
  const prior = source["x-forwarded-for"];
  headers["x-forwarded-for"] = prior ? `${Array.isArray(prior) ? prior.join(", ") : prior}, ${client}` : client;
  headers["x-forwarded-proto"] ??= "http";
  if (source.host !== undefined) headers["x-forwarded-host"] ??= source.host;
  return headers;
}

/** What the gateway sends back: the instance's end-to-end headers; node frames the body for the client's connection. */
export function clientResponseHeaders(upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  return copyEndToEnd(upstream);
}
