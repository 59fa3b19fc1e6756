import { describe, expect, test } from "vitest";
import { adminStateOf, isUp, parseBackends, parseServersState, parseStat } from "./parse";

// As HAProxy 2.6.12 answers, captured from Debian's haproxy.
const serversState = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 orders 2 o2 127.0.0.1 0 1 1 1 6 1 0 0 2 0 0 0 - 9002 - 0 0 - - 0
3 orders 1 a 127.0.0.3 2 8 5 5 63 1 0 4 0 0 0 0 - 9011 - 0 0 - - 0
4 users 1 c 127.0.0.1 0 0 256 1 54 8 2 0 6 0 0 0 - 9007 - 0 0 - - 0
`;

describe("show servers state", () => {
  test("reads each server's address, states, weight and checks by the header's column names", () => {
    expect(parseServersState(serversState)).toEqual([
      { backend: "orders", name: "o2", address: "127.0.0.1", port: 9002, opState: 0, adminState: 1, weight: 1, checkState: 2 },
      { backend: "orders", name: "a", address: "127.0.0.3", port: 9011, opState: 2, adminState: 8, weight: 5, checkState: 0 },
      { backend: "users", name: "c", address: "127.0.0.1", port: 9007, opState: 0, adminState: 0, weight: 256, checkState: 6 },
    ]);
  });

  test("no servers is an empty list", () => {
    expect(parseServersState(serversState.split("\n").slice(0, 2).join("\n") + "\n\n")).toEqual([]);
  });

  test("an answer that is not one (an error text) throws rather than reading as no servers", () => {
    expect(() => parseServersState("Unknown command.\n")).toThrow(/not a 'show servers state' answer/);
  });

  test.each<[number, string]>([
    [0, "ready"],
    [1, "maint"],
    [4, "maint"],
    [8, "drain"],
    [0x10, "drain"],
    [9, "maint"],
  ])("admin state %i reads as %s", (adminState, state) => {
    expect(adminStateOf({ adminState })).toBe(state);
  });

  test.each<[number, boolean]>([
    [0, false],
    [1, true],
    [2, true],
    [3, true],
  ])("op state %i is up: %s", (opState, up) => {
    expect(isUp({ opState })).toBe(up);
  });
});

describe("show backend and show stat", () => {
  test("backends: the names under the header", () => {
    expect(parseBackends("# name\norders\nusers\n")).toEqual(["orders", "users"]);
  });

  test("stat: servers only, with the set weight (uweight), sessions and check status", () => {
    const header =
      "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,uweight,";
    const server = (name: string, scur: number, status: string, weight: number, check: string, uweight: number) =>
      [
        "orders",
        name,
        0,
        0,
        scur,
        0,
        "",
        0,
        0,
        0,
        "",
        0,
        "",
        0,
        0,
        0,
        0,
        status,
        weight,
        1,
        0,
        0,
        0,
        0,
        0,
        "",
        1,
        3,
        1,
        "",
        0,
        "",
        2,
        0,
        "",
        0,
        check,
        uweight,
        "",
      ].join(",");
    const text = [header, server("a", 3, "DRAIN", 128, "", 128), server("b", 0, "UP 1/3", 10, "L4OK", 64), "orders,BACKEND,0,0,3,3"].join("\n") + "\n";
    expect(parseStat(text)).toEqual([
      { backend: "orders", server: "a", status: "DRAIN", weight: 128, sessions: 3, checkStatus: "" },
      { backend: "orders", server: "b", status: "UP 1/3", weight: 64, sessions: 0, checkStatus: "L4OK" },
    ]);
  });
});
