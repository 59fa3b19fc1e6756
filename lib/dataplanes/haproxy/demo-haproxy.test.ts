import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { demoHaproxyConfig } from "./demo-haproxy";

describe("the demo's haproxy.cfg", () => {
  test("Debian's haproxy takes it (haproxy -c), with a backend per service and the Runtime API at level admin", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshdeck-demo-cfg-"));
    try {
      const config = demoHaproxyConfig({ socket: join(dir, "admin.sock"), host: "127.0.0.1", port: 3081, services: ["frontend", "orders"] });
      writeFileSync(join(dir, "haproxy.cfg"), config);
      expect(execFileSync("/usr/sbin/haproxy", ["-c", "-f", join(dir, "haproxy.cfg")], { encoding: "utf8" })).toContain("Configuration file is valid");
      expect(config).toMatch(/^backend orders$/m);
      expect(config).toMatch(/^\s+stats socket .*admin\.sock mode 600 level admin$/m);
      expect(config).toMatch(/^\s+bind 127\.0\.0\.1:3081$/m);
      expect(config).toMatch(/^\s+http-request use-service prometheus-exporter if \{ path \/metrics \}$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
