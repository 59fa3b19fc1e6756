// Where HAProxy's Runtime API listens, as its `stats socket` line names it: a unix socket path, or ipv4@host:port.

export type TRuntimeAddress = { kind: "unix"; path: string } | { kind: "tcp"; host: string; port: number };

// sun_path holds 108 bytes with its NUL.
const maxSocketPathBytes = 107;

/** The address, or null when the text is neither form. */
export function parseRuntimeAddress(text: string): TRuntimeAddress | null {
  if (text.startsWith("/")) {
    // Printable, no spaces: a path an administrator copied from haproxy.cfg.
    if (Buffer.byteLength(text) > maxSocketPathBytes || !/^\/[\x21-\x7e]*$/.test(text) || text.split("/").includes("..")) return null;
    return { kind: "unix", path: text };
  }
  const tcp = /^ipv4@([A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(text);
  if (!tcp) return null;
  const port = Number(tcp[2]);
  if (port < 1 || port > 65535) return null;
  return { kind: "tcp", host: tcp[1]!, port };
}
