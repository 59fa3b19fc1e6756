import { z } from "zod";
import { hostRefusal } from "@/lib/net/address-policy";
import { ZServiceName } from "@/lib/registry/schemas";
import { haproxyNamePattern } from "./haproxy/plan";
import { parseRuntimeAddress } from "./haproxy/runtime-address";
import { healthModes } from "./types";

const ZName = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "may hold only lowercase letters, digits and '-', starting with a letter or digit");

// The Runtime API, as haproxy.cfg's `stats socket` names it; a TCP one is reached under the address policy.
const ZRuntimeAddress = z
  .string()
  .trim()
  .max(256, "must be at most 256 characters")
  .superRefine((text, ctx) => {
    const address = parseRuntimeAddress(text);
    if (!address) {
      ctx.addIssue({ code: "custom", message: "must be a unix socket path (/run/haproxy/admin.sock) or ipv4@host:port" });
      return;
    }
    const refusal = address.kind === "tcp" ? hostRefusal(address.host) : null;
    if (refusal) ctx.addIssue({ code: "custom", message: refusal });
  });

const ZBackendName = z.string().regex(haproxyNamePattern, "must be a HAProxy backend name: letters, digits, '.', '_', ':' and '-', at most 128");

// Each backend is driven by one service: two would undo each other's servers.
const ZBackendMap = z
  .record(ZServiceName, ZBackendName)
  .refine((map) => Object.keys(map).length <= 1000, "at most 1,000 services")
  .refine((map) => new Set(Object.values(map)).size === Object.values(map).length, "each backend may be named for one service only");

export const ZDataPlaneInput = z.strictObject({
  name: ZName,
  // nginx is rendered to an included file, not yet in this build: only HAProxy is accepted.
  kind: z.literal("haproxy", { error: "only haproxy data planes are driven in this version" }),
  address: ZRuntimeAddress,
  /** null or left out: the naming rule, backend `<service>`. */
  backends: ZBackendMap.nullable().default(null),
  healthMode: z.enum(healthModes).default("meshdeck"),
  enabled: z.boolean().default(true),
});

export type TDataPlaneInput = z.infer<typeof ZDataPlaneInput>;
