// Tests create and wipe databases and send traffic: they refuse anything that is not this machine.
export function assertLocal(url: string) {
  if (url.startsWith("file:")) return;
  const { hostname } = new URL(url);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(hostname)) {
    throw new Error(`tests run only against 127.0.0.1, not ${hostname}`);
  }
}
