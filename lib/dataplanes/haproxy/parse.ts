// HAProxy's Runtime API answers, read into plain rows (HAProxy 2.6: `show backend`, `show servers state`, `show stat`).

/** One server as `show servers state` gives it. */
export type TServerState = {
  backend: string;
  name: string;
  address: string;
  port: number;
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  opState: number;
  /** srv_admin_state: bit flags, 0x01 forced maintenance, 0x08 forced drain (others inherited). */
  adminState: number;
  /** srv_uweight: the weight in use, 0..256. */
  weight: number;
  /** srv_check_state: bit flags, 0x02 checks configured, 0x04 checks enabled. */
  checkState: number;
};

export type TAdminState = "ready" | "drain" | "maint";

// Maintenance: forced (0x01), inherited (0x02), from the configuration (0x04), or DNS resolution failing (0x20).
const maintFlags = 0x01 | 0x02 | 0x04 | 0x20;
// Drain: forced (0x08) or inherited (0x10).
const drainFlags = 0x08 | 0x10;
export const checkConfigured = 0x02;
export const checkEnabled = 0x04;

export function adminStateOf(server: Pick<TServerState, "adminState">): TAdminState {
  if (server.adminState & maintFlags) return "maint";
  return server.adminState & drainFlags ? "drain" : "ready";
}

/** Whether HAProxy counts the server up (running, or starting/stopping on its way). */
export function isUp(server: Pick<TServerState, "opState">): boolean {
  return server.opState !== 0;
}

/** `show backend`: one name a line after the `# name` header. */
export function parseBackends(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** `show servers state` (format version 1): a header naming the columns, then one server a line. */
export function parseServersState(text: string): TServerState[] {
  const lines = text.split("\n");
  const header = lines.find((line) => line.startsWith("# be_id"));
  if (!header || lines[0]?.trim() !== "1") throw new Error(`not a 'show servers state' answer: ${text.slice(0, 120)}`);
  const columns = header.slice(2).split(" ");
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`'show servers state' has no column ${name}`);
    return index;
  };
  const index = {
    backend: at("be_name"),
    name: at("srv_name"),
    address: at("srv_addr"),
    port: at("srv_port"),
    opState: at("srv_op_state"),
    adminState: at("srv_admin_state"),
    weight: at("srv_uweight"),
    checkState: at("srv_check_state"),
  };
  const servers: TServerState[] = [];
  for (const line of lines) {
    if (line === "" || line.startsWith("#") || line.trim() === "1") continue;
    const fields = line.split(" ");
    const field = (i: number) => fields[i] ?? "";
    servers.push({
      backend: field(index.backend),
      name: field(index.name),
      address: field(index.address),
      port: Number(field(index.port)),
      opState: Number(field(index.opState)),
      adminState: Number(field(index.adminState)),
      weight: Number(field(index.weight)),
      checkState: Number(field(index.checkState)),
    });
  }
  return servers;
}

/** One server's line of `show stat`: HAProxy's own view of it. */
export type TServerStat = {
  backend: string;
  server: string;
  /** UP, DOWN, DRAIN, MAINT, "no check"... as HAProxy words it. */
  status: string;
  weight: number;
  /** Current sessions. */
  sessions: number;
  /** The last check's status (L4OK, L7STS...), empty when the server is not checked. */
  checkStatus: string;
};

/** `show stat` CSV, servers only (not the FRONTEND/BACKEND aggregate lines). */
export function parseStat(text: string): TServerStat[] {
  const lines = text.split("\n");
  const header = lines[0]?.startsWith("# ") ? lines[0].slice(2).split(",") : undefined;
  if (!header) throw new Error(`not a 'show stat' answer: ${text.slice(0, 120)}`);
  const at = (name: string) => header.indexOf(name);
  // uweight is the weight set (0..256); weight is the effective one, scaled by slowstart and the like.
  const column = {
    px: at("pxname"),
    sv: at("svname"),
    status: at("status"),
    uweight: at("uweight"),
    weight: at("weight"),
    scur: at("scur"),
    check: at("check_status"),
  };
  const rows: TServerStat[] = [];
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const fields = line.split(",");
    const field = (index: number) => (index >= 0 ? (fields[index] ?? "") : "");
    const server = field(column.sv);
    if (server === "FRONTEND" || server === "BACKEND") continue;
    rows.push({
      backend: field(column.px),
      server,
      status: field(column.status),
      weight: Number(field(column.uweight >= 0 ? column.uweight : column.weight)),
      sessions: Number(field(column.scur)),
      checkStatus: field(column.check),
    });
  }
  return rows;
}
